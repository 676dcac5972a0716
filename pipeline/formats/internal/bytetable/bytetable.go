// Package bytetable decodes single-byte character sets (Windows-1252, ISO 8859-x) to
// UTF-8 with a table of 256 strings, built once from golang.org/x/text's charmap, the
// source of truth. The CSV reader and the EDIFACT character sets share it.
package bytetable

import (
	"encoding/binary"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Of returns the UTF-8 text of each byte of cm.
func Of(cm *charmap.Charmap) *[256]string {
	var t [256]string
	for b := range t {
		t[b] = string(cm.DecodeByte(byte(b)))
	}
	return &t
}

// Lazy returns a function that builds cm's table on its first call and returns the
// same table on every call.
func Lazy(cm *charmap.Charmap) func() *[256]string {
	return sync.OnceValue(func() *[256]string { return Of(cm) })
}

// Append appends src, in the single-byte encoding of table t, to dst in UTF-8.
func Append(dst, src []byte, t *[256]string) []byte {
	for {
		i := 0
		for i+8 <= len(src) && binary.LittleEndian.Uint64(src[i:])&0x8080808080808080 == 0 {
			i += 8
		}
		for i < len(src) && src[i] < utf8.RuneSelf {
			i++
		}
		dst = append(dst, src[:i]...)
		if i == len(src) {
			return dst
		}
		dst = append(dst, t[src[i]]...)
		src = src[i+1:]
	}
}
