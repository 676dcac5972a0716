package edi

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// The records of an Outbox: uvarint length, then 'R' ord group ID Purpose Currency
// Control start end, or 'L' lineNo raw err nfields (flag [value])*; strings are
// uvarint length + bytes.

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	return binary.AppendVarint(append(b, 1), t.Unix())
}

var errSpool = errors.New("spool EDI lines: corrupt record")

// record decodes one record; its strings share one allocation.
type record struct {
	s   string
	off int
	bad bool
}

func (r *record) uv() uint64 {
	v, n := binary.Uvarint([]byte(r.s[r.off:min(len(r.s), r.off+binary.MaxVarintLen64)]))
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.off += n
	return v
}

func (r *record) vi() int64 {
	v, n := binary.Varint([]byte(r.s[r.off:min(len(r.s), r.off+binary.MaxVarintLen64)]))
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.off += n
	return v
}

func (r *record) byte1() byte {
	if r.off >= len(r.s) {
		r.bad = true
		return 0
	}
	r.off++
	return r.s[r.off-1]
}

func (r *record) str() string {
	n := r.uv()
	if r.bad || n > uint64(len(r.s)-r.off) {
		r.bad = true
		return ""
	}
	v := r.s[r.off : r.off+int(n)]
	r.off += int(n)
	return v
}

func (r *record) time() time.Time {
	if r.byte1() == 0 {
		return time.Time{}
	}
	return time.Unix(r.vi(), 0).UTC()
}

func (o *Outbox) replay(handle func(string) error) error {
	if err := o.w.Flush(); err != nil {
		return fmt.Errorf("spool EDI lines: %w", err)
	}
	if _, err := o.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("spool EDI lines: %w", err)
	}
	br := bufio.NewReaderSize(o.f, 256<<10)
	var p []byte
	for {
		n, err := binary.ReadUvarint(br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("spool EDI lines: %w", err)
		}
		if n == 0 || n > 64<<20 {
			return errSpool
		}
		if uint64(cap(p)) < n {
			p = make([]byte, n)
		}
		p = p[:n]
		if _, err := io.ReadFull(br, p); err != nil {
			return fmt.Errorf("spool EDI lines: %w", err)
		}
		if err := handle(string(p)); err != nil {
			return err
		}
	}
}
