package edi

import (
	"fmt"
	"strings"
)

// Segment is one segment split into elements (element 0 is the tag).
type Segment struct {
	Ord  int64   // ordinal in the file (1-based)
	Data []byte  // as sent, release characters kept, terminator removed
	Long bool    // cut at MaxSegment
	Tag  string  // element 0
	Dec  Decoder // decodes its values

	bounds  [][2]int
	comp    byte
	release int
}

// Split fills s from data, with the element and component separators and the release
// character of sep.
func (s *Segment) Split(ord int64, data []byte, long bool, sep Separators, dec Decoder) {
	s.Ord, s.Data, s.Long, s.comp, s.release, s.Dec = ord, data, long, sep.Comp, sep.Release, dec
	s.bounds = s.bounds[:0]
	elem, release := sep.Elem, sep.Release
	start := 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		if release >= 0 && c == byte(release) {
			i++
			continue
		}
		if c == elem {
			s.bounds = append(s.bounds, [2]int{start, i})
			start = i + 1
		}
	}
	s.bounds = append(s.bounds, [2]int{start, len(data)})
	s.Tag = segmentTag(data[s.bounds[0][0]:s.bounds[0][1]])
}

// tags are the tags the readers know, to turn a segment's tag into a string without
// allocating.
var tags = func() map[string]string {
	m := map[string]string{}
	for _, t := range strings.Fields(`ISA IEA GS GE ST SE BPT CUR DTM REF PTD N1 N2 N3 N4 QTY LIN SII UIT AMT CTT
		UNA UNB UNZ UNG UNE UNH UNT UNS BGM CUX NAD RFF LOC PIA PRI MOA`) {
		m[t] = t
	}
	return m
}()

// segmentTag returns a segment's tag as a string; anything that is not a known tag is
// cut to 8 bytes and made valid UTF-8.
func segmentTag(b []byte) string {
	if t, ok := tags[string(b)]; ok {
		return t
	}
	if len(b) > 8 {
		b = b[:8]
	}
	return strings.TrimSpace(DecodeAuto(b))
}

// N is the number of data elements.
func (s *Segment) N() int { return len(s.bounds) - 1 }

func (s *Segment) rawEl(i int) []byte {
	if i < 0 || i >= len(s.bounds) {
		return nil
	}
	b := s.bounds[i]
	return s.Data[b[0]:b[1]]
}

// El is data element i (1-based), release characters removed, decoded, trimmed.
func (s *Segment) El(i int) string { return s.text(s.rawEl(i)) }

// C is component j (0-based) of element i.
func (s *Segment) C(i, j int) string {
	e := s.rawEl(i)
	start, k := 0, 0
	for x := 0; x < len(e); x++ {
		ch := e[x]
		if s.release >= 0 && ch == byte(s.release) {
			x++
			continue
		}
		if ch == s.comp {
			if k == j {
				return s.text(e[start:x])
			}
			k++
			start = x + 1
		}
	}
	if k == j {
		return s.text(e[start:])
	}
	return ""
}

func (s *Segment) text(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s.release >= 0 {
		for i := 0; i < len(b); i++ {
			if b[i] == byte(s.release) {
				u := make([]byte, 0, len(b))
				for j := 0; j < len(b); j++ {
					if b[j] == byte(s.release) && j+1 < len(b) {
						j++
					}
					u = append(u, b[j])
				}
				b = u
				break
			}
		}
	}
	return strings.TrimSpace(s.Dec(b))
}

// Where names the segment in messages: "segment 57 QTY".
func (s *Segment) Where() string { return fmt.Sprintf("segment %d %s", s.Ord, s.Tag) }
