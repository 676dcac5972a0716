package sniff

// The encoding of CSV samples, from the bytes where the candidate encodings differ.

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// The encodings a feed can name.
const (
	encUTF8    = "utf-8"
	enc1252    = "windows-1252"
	enc88591   = "iso-8859-1"
	enc885915  = "iso-8859-15"
	bomUTF8    = "\xef\xbb\xbf"
	maxExample = 3
)

// encodingGuess is the detected encoding and its evidence.
type encodingGuess struct {
	name       string
	confidence float64
	why        string
	alts       []Alternative
}

// latin15Bytes are the bytes ISO-8859-15 reads differently from ISO-8859-1 (and from
// Windows-1252): € Š š Ž ž Œ œ Ÿ against ¤ ¦ ¨ ´ ¸ ¼ ½ ¾.
var latin15Bytes = []byte{0xa4, 0xa6, 0xa8, 0xb4, 0xb8, 0xbc, 0xbd, 0xbe}

// detectEncoding decides between UTF-8 and the single-byte encodings from the samples'
// bytes.
func detectEncoding(samples []*sample) encodingGuess {
	var all [][]byte
	bom, high := 0, 0
	for _, s := range samples {
		all = append(all, s.data)
		if bytes.HasPrefix(s.data, []byte(bomUTF8)) {
			bom++
		}
		for _, c := range s.data {
			if c >= 0x80 {
				high++
			}
		}
	}
	if bom > 0 {
		return encodingGuess{encUTF8, 1, fmt.Sprintf("UTF-8 byte-order mark at the start of %d of %d file(s)", bom, len(samples)), nil}
	}
	if high == 0 {
		return encodingGuess{encUTF8, 1, "plain ASCII: every encoding reads it the same", nil}
	}
	validUTF8 := true
	for i, d := range all {
		if samples[i].cut {
			d = trimCutRune(d)
		}
		if !utf8.Valid(d) {
			validUTF8 = false
			break
		}
	}
	if validUTF8 {
		return encodingGuess{encUTF8, 0.99, fmt.Sprintf("valid UTF-8 with %d non-ASCII bytes (%s)", high, examples(all, decodeUTF8)), nil}
	}
	// A single-byte encoding. 0x80-0x9F are control codes in ISO-8859-1/15, printable
	// characters (€ ‚ „ … ’ “ ” – —) in Windows-1252.
	c1 := countBytes(all, func(c byte) bool { return c >= 0x80 && c <= 0x9f })
	if c1 > 0 {
		return encodingGuess{enc1252, 0.95,
			fmt.Sprintf("not UTF-8; %d byte(s) in 0x80-0x9F, which only Windows-1252 prints (%s)", c1, examplesOf(all, decode1252, func(c byte) bool { return c >= 0x80 && c <= 0x9f })),
			[]Alternative{{enc885915, "if the file was written as ISO-8859-15 with stray control bytes"}}}
	}
	// Bytes where ISO-8859-15 and ISO-8859-1 (and Windows-1252) differ: read them in
	// context. Next to a letter they are Œ œ Š š Ž ž Ÿ (ISO-8859-15); next to digits,
	// 0xA4 is the euro sign of ISO-8859-15, and ¼ ½ ¾ fractions of ISO-8859-1.
	l15, l1 := 0, 0
	for _, d := range all {
		for i, c := range d {
			if bytes.IndexByte(latin15Bytes, c) < 0 {
				continue
			}
			prev, next := byteAt(d, i-1), byteAt(d, i+1)
			switch {
			case c == 0xa4 && (isDigit(prev) || isDigit(next) || prev == ' ' || next == ' ' || next == ';' || next == '|' || next == ','):
				l15++ // "12,50 €", "Montant €"
			case isLetter(prev) || isLetter(next):
				l15++
			case c >= 0xbc && c <= 0xbe && (isDigit(prev) || isDigit(next)):
				l1++
			default:
				l1++
			}
		}
	}
	switch {
	case l15 > 0 && l15 >= l1:
		return encodingGuess{enc885915, 0.9,
			fmt.Sprintf("not UTF-8, no byte in 0x80-0x9F; %d byte(s) that ISO-8859-15 reads as € Œ œ Š š Ž ž Ÿ in words or amounts (%s)", l15, examplesOf(all, decode885915, func(c byte) bool { return bytes.IndexByte(latin15Bytes, c) >= 0 })),
			[]Alternative{{enc88591, "if those bytes are ¤ ¼ ½ ¾ ¦ ¨ ´ ¸ rather than € Œ œ Š š Ž ž Ÿ"}}}
	case l1 > 0:
		return encodingGuess{enc88591, 0.8,
			fmt.Sprintf("not UTF-8, no byte in 0x80-0x9F; %d byte(s) read as ¤ ¼ ½ ¾ ¦ ¨ ´ ¸ in ISO-8859-1 (%s)", l1, examplesOf(all, decode88591, func(c byte) bool { return bytes.IndexByte(latin15Bytes, c) >= 0 })),
			[]Alternative{{enc885915, "if those bytes are € Œ œ Š š Ž ž Ÿ"}}}
	}
	return encodingGuess{enc1252, 0.85,
		fmt.Sprintf("not UTF-8; only accented letters that Windows-1252, ISO-8859-1 and -15 all read the same (%s)", examples(all, decode1252)),
		[]Alternative{{enc88591, "identical for these files"}, {enc885915, "if later files write € as 0xA4"}}}
}

// trimCutRune drops a character cut at the end of a sample read up to maxSample.
func trimCutRune(d []byte) []byte {
	for i := 1; i <= 3 && i <= len(d); i++ {
		if utf8.RuneStart(d[len(d)-i]) {
			if !utf8.FullRune(d[len(d)-i:]) {
				return d[:len(d)-i]
			}
			break
		}
	}
	return d
}

func countBytes(all [][]byte, f func(byte) bool) int {
	n := 0
	for _, d := range all {
		for _, c := range d {
			if f(c) {
				n++
			}
		}
	}
	return n
}

func byteAt(d []byte, i int) byte {
	if i < 0 || i >= len(d) {
		return 0
	}
	return d[i]
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isLetter is an ASCII letter or a high byte (an accented letter in these encodings).
func isLetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0xc0
}

var (
	decode1252   = charmap.Windows1252.NewDecoder()
	decode88591  = charmap.ISO8859_1.NewDecoder()
	decode885915 = charmap.ISO8859_15.NewDecoder()
)

type decoder interface {
	Bytes([]byte) ([]byte, error)
}

type utf8Decoder struct{}

func (utf8Decoder) Bytes(b []byte) ([]byte, error) {
	return bytes.ToValidUTF8(b, []byte("\uFFFD")), nil
}

var decodeUTF8 decoder = utf8Decoder{}

// examples quotes up to three words with non-ASCII bytes, decoded.
func examples(all [][]byte, dec decoder) string {
	return examplesOf(all, dec, func(c byte) bool { return c >= 0x80 })
}

// examplesOf quotes up to three words holding a byte for which want holds, decoded.
func examplesOf(all [][]byte, dec decoder, want func(byte) bool) string {
	seen := map[string]bool{}
	var out []string
	for _, d := range all {
		for i := 0; i < len(d) && len(out) < maxExample; i++ {
			if !want(d[i]) {
				continue
			}
			start, end := i, i
			for start > 0 && isWordByte(d[start-1]) {
				start--
			}
			for end < len(d) && isWordByte(d[end]) {
				end++
			}
			if end-start > 30 {
				end = min(end, i+15)
				start = max(start, i-15)
			}
			w, err := dec.Bytes(d[start:end])
			if err == nil && !seen[string(w)] {
				seen[string(w)] = true
				out = append(out, fmt.Sprintf("%q", w))
			}
			i = end
		}
	}
	return joinComma(out)
}

func isWordByte(c byte) bool {
	return c >= 0x80 || isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func joinComma(xs []string) string { return strings.Join(xs, ", ") }

// decodeText decodes a sample's bytes in an encoding, without a UTF-8 BOM.
func decodeText(data []byte, enc string) string {
	switch enc {
	case enc1252:
		b, _ := decode1252.Bytes(data)
		return string(b)
	case enc88591:
		b, _ := decode88591.Bytes(data)
		return string(b)
	case enc885915:
		b, _ := decode885915.Bytes(data)
		return string(b)
	}
	return string(bytes.ToValidUTF8(bytes.TrimPrefix(data, []byte(bomUTF8)), []byte("\uFFFD")))
}
