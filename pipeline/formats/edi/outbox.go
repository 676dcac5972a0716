package edi

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"github.com/salesout/salesout/pipeline/canon"
)

// SpoolMem is how many bytes of pending lines an Outbox keeps in memory before it
// moves them to a temporary file (a variable for tests).
var SpoolMem = 16 << 20

// Outbox holds the reports and lines of the current interchange until its trailer
// has been checked, so that a count or control number mismatch found at the end of a
// transaction set, a group or the interchange can still be set on every line. It
// keeps them as compact records (no pointers for the garbage collector to follow);
// past SpoolMem bytes it moves them to a temporary file: memory stays bounded
// however large the interchange (record.go has the layout of the records).
type Outbox struct {
	emit     func(canon.Line, *Report) error
	done     ReportDone
	chunks   [][]byte // records, while they fit in memory, in chunks of about 1 MiB
	memBytes int
	f        *os.File
	w        *bufio.Writer
	spilled  bool
	reports  int
	setErr   map[int]string
	groupErr map[int]string
	rec      []byte
}

// NewOutbox returns an empty outbox that passes the lines to emit and each report, after
// its lines, to done (may be nil).
func NewOutbox(emit func(canon.Line, *Report) error, done ReportDone) *Outbox {
	return &Outbox{emit: emit, done: done, setErr: map[int]string{}, groupErr: map[int]string{}}
}

// AddReport starts a report (its lines follow) in group (0: none) and returns its
// ordinal, for SetReportErr. rep must be complete: later changes are not seen.
func (o *Outbox) AddReport(rep *Report, group int) (int, error) {
	ord := o.reports
	o.reports++
	b := append(o.rec[:0], 'R')
	b = binary.AppendUvarint(b, uint64(ord))
	b = binary.AppendUvarint(b, uint64(group))
	b = appendStr(b, rep.ID)
	b = appendStr(b, rep.Purpose)
	b = appendStr(b, rep.Currency)
	b = appendStr(b, rep.Control)
	b = binary.AppendVarint(b, rep.Seg)
	b = appendTime(b, rep.PeriodStart)
	b = appendTime(b, rep.PeriodEnd)
	o.rec = b
	return ord, o.put(b)
}

// AddLine adds a line to the last report; vals is indexed like canon.Fields ("" is
// absent).
func (o *Outbox) AddLine(no int64, raw []byte, err string, vals []string) error {
	b := append(o.rec[:0], 'L')
	b = binary.AppendVarint(b, no)
	b = binary.AppendUvarint(b, uint64(len(raw)))
	b = append(b, raw...)
	b = appendStr(b, err)
	b = binary.AppendUvarint(b, uint64(len(vals)))
	for _, v := range vals {
		if v == "" {
			b = append(b, 0)
			continue
		}
		b = appendStr(append(b, 1), v)
	}
	o.rec = b
	return o.put(b)
}

func (o *Outbox) put(rec []byte) error {
	if !o.spilled {
		last := len(o.chunks) - 1
		if last < 0 || len(o.chunks[last])+len(rec)+binary.MaxVarintLen64 > cap(o.chunks[last]) {
			o.chunks = append(o.chunks, make([]byte, 0, max(1<<20, len(rec)+binary.MaxVarintLen64)))
			last++
		}
		c := binary.AppendUvarint(o.chunks[last], uint64(len(rec)))
		o.chunks[last] = append(c, rec...)
		if o.memBytes += len(rec) + 2; o.memBytes <= SpoolMem {
			return nil
		}
		if o.f == nil {
			f, err := os.CreateTemp("", "salesout-edi-*.spool")
			if err != nil {
				return fmt.Errorf("spool EDI lines: %w", err)
			}
			o.f, o.w = f, bufio.NewWriterSize(f, 256<<10)
		}
		o.spilled = true
		for i, c := range o.chunks {
			if _, err := o.w.Write(c); err != nil {
				return fmt.Errorf("spool EDI lines: %w", err)
			}
			o.chunks[i] = nil
		}
		o.chunks, o.memBytes = nil, 0
		return nil
	}
	var n [binary.MaxVarintLen64]byte
	if _, err := o.w.Write(n[:binary.PutUvarint(n[:], uint64(len(rec)))]); err != nil {
		return fmt.Errorf("spool EDI lines: %w", err)
	}
	if _, err := o.w.Write(rec); err != nil {
		return fmt.Errorf("spool EDI lines: %w", err)
	}
	return nil
}

// SetReportErr records the reason of report ord (the first reason wins).
func (o *Outbox) SetReportErr(ord int, msg string) {
	if _, ok := o.setErr[ord]; !ok && msg != "" {
		o.setErr[ord] = msg
	}
}

// SetGroupErr records the reason of every report of group (the first wins).
func (o *Outbox) SetGroupErr(group int, msg string) {
	if _, ok := o.groupErr[group]; !ok && msg != "" && group > 0 {
		o.groupErr[group] = msg
	}
}

// Flush passes every pending report and line to emit and done, with the reasons found
// (the report's own, else its group's, else ichErr, the interchange's), and empties the
// outbox.
func (o *Outbox) Flush(ichErr string) error {
	var cur *Report
	lines := 0
	finish := func() error {
		if cur != nil && o.done != nil {
			return o.done(cur, lines)
		}
		return nil
	}
	handle := func(rec string) error {
		r := record{s: rec, off: 1}
		switch rec[0] {
		case 'R':
			if err := finish(); err != nil {
				return err
			}
			ord, group := int(r.uv()), int(r.uv())
			cur = &Report{ID: r.str(), Purpose: r.str(), Currency: r.str(), Control: r.str(), Seg: r.vi()}
			cur.PeriodStart, cur.PeriodEnd = r.time(), r.time()
			cur.Err = o.setErr[ord]
			if cur.Err == "" {
				cur.Err = o.groupErr[group]
			}
			if cur.Err == "" {
				cur.Err = ichErr
			}
			lines = 0
		case 'L':
			l := canon.Line{LineNo: r.vi(), Raw: r.str(), Err: r.str()}
			n := int(r.uv())
			if r.bad || n > len(rec) {
				return errSpool
			}
			vals := make([]string, n)
			l.Fields = make([]*string, n)
			for i := range vals {
				if r.byte1() == 1 {
					vals[i] = r.str()
					l.Fields[i] = &vals[i]
				}
			}
			if r.bad || cur == nil {
				return errSpool
			}
			if cur.Err != "" {
				l.Err = cur.Err
			}
			lines++
			return o.emit(l, cur)
		default:
			return errSpool
		}
		if r.bad {
			return errSpool
		}
		return nil
	}
	var err error
	if o.spilled {
		err = o.replay(handle)
	} else {
	chunks:
		for _, b := range o.chunks {
			for len(b) > 0 {
				n, k := binary.Uvarint(b)
				if k <= 0 || n == 0 || n > uint64(len(b)-k) {
					err = errSpool
					break chunks
				}
				if err = handle(string(b[k : k+int(n)])); err != nil {
					break chunks
				}
				b = b[k+int(n):]
			}
		}
	}
	if err == nil {
		err = finish()
	}
	clear(o.chunks)
	o.chunks, o.memBytes, o.reports, o.spilled = o.chunks[:0], 0, 0, false
	clear(o.setErr)
	clear(o.groupErr)
	if o.f != nil {
		if terr := o.f.Truncate(0); terr != nil && err == nil {
			err = terr
		}
		if _, serr := o.f.Seek(0, io.SeekStart); serr != nil && err == nil {
			err = serr
		}
		o.w.Reset(o.f)
	}
	return err
}

// Close removes the spool file, if any.
func (o *Outbox) Close() {
	if o.f != nil {
		name := o.f.Name()
		o.f.Close()
		os.Remove(name)
		o.f = nil
	}
}
