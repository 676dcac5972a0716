package edi

import "fmt"

// Separators are the delimiters of an interchange.
type Separators struct {
	Elem, Comp, Term byte // element and component separators, segment terminator
	Release          int  // release character, -1 for none
}

// TermText is the segment terminator as UTF-8 text, to join a line's segments.
func (s Separators) TermText() string { return DecodeLatin1([]byte{s.Term}) }

// ISALength is how many bytes of the input ParseISA wants to see: an ISA header is 106
// bytes, longer when a sender pads its elements.
const ISALength = 512

// ParseISA reads the separators an X12 ISA header at the start of head fixes: the
// element separator is the byte after "ISA", the component separator is ISA16 (after
// the 16th element separator) and the segment terminator the byte after it. It
// returns the header's length without its terminator, or why it is malformed.
func ParseISA(head []byte) (sep Separators, n int, reason string) {
	end := -1
	if len(head) < 4 {
		return sep, 0, "too short"
	}
	elem := head[3]
	if isAlnum(elem) || elem == ' ' || elem == '\r' || elem == '\n' {
		return sep, 0, fmt.Sprintf("element separator %q is not a separator", elem)
	}
	k := 0
	for i := 3; i < len(head); i++ {
		if head[i] == elem {
			k++
			if k == 16 {
				end = i
				break
			}
		}
	}
	switch {
	case end < 0 || end+2 >= len(head):
		return sep, 0, "fewer than 16 elements"
	case head[end+2] == elem || isAlnum(head[end+2]) || head[end+2] == ' ':
		return sep, 0, fmt.Sprintf("segment terminator %q after ISA16 is not a separator", head[end+2])
	}
	return Separators{Elem: elem, Comp: head[end+1], Term: head[end+2], Release: -1}, end + 2, ""
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// EDIFACT separators without a UNA: the syntax level A defaults, and the syntax level
// B ones (IS4 / IS3 / IS1, no release character) for an interchange that starts
// "UNB" + IS3.
var (
	EDIFACTDefault = Separators{Comp: ':', Elem: '+', Term: '\'', Release: '?'}
	EDIFACTLevelB  = Separators{Comp: 0x1f, Elem: 0x1d, Term: 0x1c, Release: -1}
)

// UNALength is the length of an EDIFACT UNA service string advice.
const UNALength = 9

// ParseUNA reads the separators of a UNA service string advice ("UNA:+.? '") at the
// start of head; false when head is shorter than UNALength. A space as release
// character means none.
func ParseUNA(head []byte) (Separators, bool) {
	if len(head) < UNALength {
		return Separators{}, false
	}
	sep := Separators{Comp: head[3], Elem: head[4], Term: head[8], Release: int(head[6])}
	if head[6] == ' ' {
		sep.Release = -1
	}
	return sep, true
}
