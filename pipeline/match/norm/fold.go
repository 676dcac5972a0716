// Package norm normalises what distributors and channel databases write about a
// company so that two spellings of the same thing compare equal: company names (with
// their legal form kept apart), street addresses, postcodes, cities, countries,
// registration and VAT numbers. It also holds the string similarities and the phonetic
// key the record-linkage engine (package linkage) is built on.
//
// Every function is pure and deterministic; none allocates global state after init.
package norm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	unorm "golang.org/x/text/unicode/norm"
)

// special spells out the letters that Unicode does not decompose into a base letter
// and a combining accent.
var special = map[rune]string{
	'ß': "SS", 'ẞ': "SS", 'Æ': "AE", 'æ': "AE", 'Œ': "OE", 'œ': "OE", 'Ø': "O", 'ø': "O",
	'Ł': "L", 'ł': "L", 'Đ': "D", 'đ': "D", 'Ð': "D", 'ð': "D", 'Þ': "TH", 'þ': "TH",
	'ı': "I", 'ĸ': "K", 'Ŋ': "N", 'ŋ': "N",
}

// Fold returns s in upper-case ASCII: accents are removed (é → E, ü → U), letters with
// no decomposition are spelled out (ß → SS, Œ → OE, Ø → O, Ł → L), '&' is kept as a
// word of its own, every other character that is not an ASCII letter or digit (dots,
// dashes, apostrophes, slashes...) becomes a space, runs of spaces are collapsed and
// the ends trimmed. Characters of other scripts are dropped.
func Fold(s string) string {
	if !isASCII(s) {
		s = unorm.NFD.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true // no leading space
	put := func(c byte) {
		if c == ' ' {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			return
		}
		b.WriteByte(c)
		space = false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			put(byte(r - 'a' + 'A'))
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			put(byte(r))
		case r == '&':
			put(' ')
			put('&')
			put(' ')
		case unicode.Is(unicode.Mn, r):
			// a combining accent: dropped, the base letter was already written
		default:
			if sp, ok := special[r]; ok {
				for i := 0; i < len(sp); i++ {
					put(sp[i])
				}
				continue
			}
			put(' ')
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// Tokens is Fold split into words.
func Tokens(s string) []string { return strings.Fields(Fold(s)) }

// Compact is Fold with the spaces removed: "S.A.R.L." and "S A R L" both give "SARL".
func Compact(s string) string { return strings.ReplaceAll(Fold(s), " ", "") }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
