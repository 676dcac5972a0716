package edi

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/salesout/salesout/pipeline/formats/internal/bytetable"
)

// Decoder turns the bytes of a value into valid UTF-8.
type Decoder func([]byte) string

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// DecodeUTF8 keeps valid UTF-8 and replaces invalid bytes with U+FFFD.
func DecodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// DecodeLatin1 decodes ISO-8859-1.
func DecodeLatin1(b []byte) string {
	if isASCII(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// DecodeAuto keeps valid UTF-8 and reads anything else as ISO-8859-1 (X12 declares no
// character set; North American senders use ASCII, UTF-8 or Latin-1).
func DecodeAuto(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return DecodeLatin1(b)
}

// charmaps are the EDIFACT syntax identifiers read with a decoding table.
var charmaps = map[string]func() *[256]string{
	"UNOD": bytetable.Lazy(charmap.ISO8859_2),
	"UNOE": bytetable.Lazy(charmap.ISO8859_5),
	"UNOF": bytetable.Lazy(charmap.ISO8859_7),
}

func decodeWith(t *[256]string) Decoder {
	return func(b []byte) string {
		if isASCII(b) {
			return string(b)
		}
		return string(bytetable.Append(make([]byte, 0, len(b)+8), b, t))
	}
}

// Charset returns the decoder of an EDIFACT UNB01 syntax identifier: UNOA to UNOC
// Latin-1, UNOD to UNOF ISO 8859-2, -5, -7, UNOW and UNOY UTF-8; any other is read as
// DecodeAuto does.
func Charset(id string) Decoder {
	switch id {
	case "UNOA", "UNOB", "UNOC":
		return DecodeLatin1
	case "UNOW", "UNOY":
		return DecodeUTF8
	}
	if t, ok := charmaps[id]; ok {
		return decodeWith(t())
	}
	return DecodeAuto
}
