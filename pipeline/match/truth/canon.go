package truth

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// canonKey reduces a company name to what a careful human compares: accents, case,
// punctuation, legal forms, stop words, abbreviations and word order do not count.
// "SARL Ets Dupont & Fils" and "dupont et fils etablissements" have the same key. The
// generator uses it to keep names unique in a town, so that the truth stays decidable.
func canonKey(name string) string {
	var tokBuf [16]string
	toks := canonTokens(name, tokBuf[:0])
	slices.Sort(toks)
	return strings.Join(toks, " ")
}

// canonTokens appends to toks the words of name that canonKey compares, in their order.
func canonTokens(name string, toks []string) []string {
	canonOnce.Do(buildCanon)
	var wordBuf [64]byte
	for rest := name; rest != ""; {
		var field string
		field, rest, _ = strings.Cut(rest, " ")
		word := wordBuf[:0]
		for _, r := range collapseInitials(field) {
			if r >= utf8.RuneSelf {
				if f, ok := asciiFold[r]; ok {
					for i := 0; i < len(f); i++ {
						word = append(word, lowerASCII(f[i]))
					}
					continue
				}
			}
			if c := lowerASCII(byte(r)); r < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
				word = append(word, c)
				continue
			}
			toks, word = canonWord(toks, word), word[:0]
		}
		toks = canonWord(toks, word)
	}
	return toks
}

// canonWord adds a lower-case ASCII word to toks unless it is dropped; abbreviable
// words are written abbreviated.
func canonWord(toks []string, word []byte) []string {
	if len(word) == 0 || canonDrop[string(word)] {
		return toks
	}
	if short, ok := canonExpand[string(word)]; ok {
		if canonDrop[short] {
			return toks
		}
		return append(toks, short)
	}
	return append(toks, string(word))
}

// lowerASCII lower-cases an ASCII letter.
func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// collapseInitials writes "S.A.R.L." as "SARL" and "e.K." as "eK": a token made of
// one- or two-letter pieces separated by dots.
func collapseInitials(t string) string {
	if !strings.Contains(t, ".") {
		return t
	}
	for _, piece := range strings.Split(t, ".") {
		if len([]rune(piece)) > 2 {
			return t
		}
	}
	return strings.ReplaceAll(t, ".", "")
}

var (
	canonOnce   sync.Once
	canonDrop   map[string]bool
	canonExpand map[string]string // full word → its abbreviation, so both compare equal
)

var stopWords = words(`et and und en y e de du des la le les l d the of van der den di del della dei zu am`)

// buildCanon builds the words canonKey drops (stop words, every spelling of every legal
// form) and the abbreviations it writes words as.
func buildCanon() {
	canonDrop = map[string]bool{}
	canonExpand = map[string]string{}
	for _, w := range stopWords {
		canonDrop[w] = true
	}
	norm := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(fold(collapseInitials(s))), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
		})
	}
	for _, co := range countries() {
		for _, f := range co.forms {
			for _, s := range append([]string{f.short}, f.variants...) {
				for _, part := range strings.Fields(s) {
					for _, w := range norm(part) {
						canonDrop[w] = true
					}
				}
			}
		}
	}
	for _, l := range []*language{langFR, langDE, langEN, langUS, langNL, langES, langIT} {
		for _, a := range l.nameAbbr {
			short, full := norm(a.short), norm(a.full)
			if len(short) == 1 && len(full) == 1 && short[0] != full[0] && !canonDrop[full[0]] {
				canonExpand[full[0]] = short[0]
			}
		}
	}
}
