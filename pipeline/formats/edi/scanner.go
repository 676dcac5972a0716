package edi

import (
	"bufio"
	"fmt"
	"io"
)

// MaxSegment caps a segment's length; a longer segment is cut there and the line (or
// report part) it belongs to gets an error.
const MaxSegment = 64 << 10

// Scanner reads segments from a stream without holding more than one segment (at most
// MaxSegment bytes) in memory.
type Scanner struct {
	br  *bufio.Reader
	buf []byte
	ord int64 // ordinal of the last segment read (1-based)
}

// NewScanner returns a scanner of r.
func NewScanner(r io.Reader) *Scanner {
	return &Scanner{br: bufio.NewReaderSize(r, MaxSegment)}
}

// Ord is the ordinal of the last segment read (1-based).
func (s *Scanner) Ord() int64 { return s.ord }

// SkipBOMAndSpace skips a UTF-8 byte order mark and white space at the start of the
// file.
func (s *Scanner) SkipBOMAndSpace() error {
	if p, _ := s.br.Peek(3); len(p) == 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF {
		s.br.Discard(3)
	}
	for {
		b, err := s.br.ReadByte()
		if err != nil {
			return err
		}
		if b != ' ' && b != '\t' && b != '\r' && b != '\n' {
			return s.br.UnreadByte()
		}
	}
}

// SkipBreaks skips the line breaks senders put between segments; io.EOF at the end.
func (s *Scanner) SkipBreaks() error {
	for {
		b, err := s.br.ReadByte()
		if err != nil {
			return err
		}
		if b != '\r' && b != '\n' {
			return s.br.UnreadByte()
		}
	}
}

// StartsWith reports whether the unread input starts with tag.
func (s *Scanner) StartsWith(tag string) bool {
	p, _ := s.br.Peek(len(tag))
	return string(p) == tag
}

// DescribeStart quotes the first bytes of the unread input, for error messages.
func (s *Scanner) DescribeStart() string {
	p, _ := s.br.Peek(24)
	if len(p) == 0 {
		return "an empty file"
	}
	return fmt.Sprintf("%q", DecodeAuto(p))
}

// Peek returns up to n unread bytes without reading them (valid until the next read).
func (s *Scanner) Peek(n int) []byte {
	p, _ := s.br.Peek(n)
	return p
}

// ReadFixed reads a segment of a fixed layout (X12 ISA, EDIFACT UNA) found with Peek:
// it returns a copy of its first n bytes, skips skip bytes (the segment, terminator
// included) and counts one segment.
func (s *Scanner) ReadFixed(n, skip int) []byte {
	p, _ := s.br.Peek(n)
	data := append([]byte(nil), p...)
	s.br.Discard(skip)
	s.ord++
	return data
}

// Read returns the next segment's bytes without its terminator (valid until the next
// call). A terminator preceded by an odd number of release characters belongs to the
// data (release < 0: none). A segment longer than MaxSegment is cut and long is true.
// The last segment of the file may lack its terminator. At the end: io.EOF.
func (s *Scanner) Read(term byte, release int) (seg []byte, long bool, err error) {
	s.buf = s.buf[:0]
	trail := 0 // release characters right before the current position
	add := func(p []byte) {
		if room := MaxSegment - len(s.buf); len(p) > room {
			p, long = p[:room], true
		}
		s.buf = append(s.buf, p...)
	}
	count := func(p []byte) {
		if release < 0 {
			return
		}
		n := 0
		for n < len(p) && p[len(p)-1-n] == byte(release) {
			n++
		}
		if n == len(p) {
			trail += n
		} else {
			trail = n
		}
	}
	for {
		chunk, err := s.br.ReadSlice(term)
		switch {
		case err == bufio.ErrBufferFull:
			add(chunk)
			count(chunk)
			continue
		case err == io.EOF:
			if len(chunk) == 0 && len(s.buf) == 0 && !long {
				return nil, false, io.EOF
			}
			add(chunk)
		case err != nil:
			return nil, false, err
		default:
			body := chunk[:len(chunk)-1]
			count(body)
			if trail%2 == 1 { // released terminator: data
				add(chunk)
				trail = 0
				continue
			}
			add(body)
		}
		break
	}
	s.ord++
	if term == '\n' && len(s.buf) > 0 && s.buf[len(s.buf)-1] == '\r' {
		s.buf = s.buf[:len(s.buf)-1]
	}
	return s.buf, long, nil
}
