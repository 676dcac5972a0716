package formats

// A strict, streaming CSV reader that decodes the file's encoding, keeps physical line
// numbers and reports malformed records one by one instead of failing the whole file.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/salesout/salesout/pipeline/formats/internal/bytetable"
)

// CSVDialect describes how a feed writes its CSV files.
type CSVDialect struct {
	Delimiter rune   // ',' ';' '\t' '|' ...; 0 means ','
	Quote     rune   // usually '"', sometimes '\''; 0 means '"'
	Encoding  string // "utf-8" (BOM accepted and stripped), "windows-1252", "iso-8859-1", "iso-8859-15"; "" means "utf-8"
	HeaderRow int    // 1-based physical line of the header; lines above are a preamble to skip; 0 means 1
}

// Record is one data record of a CSV file.
type Record struct {
	Line   int64    // 1-based physical line number in the file where this record starts
	Fields []string // UTF-8, quotes removed, "" inside quotes -> "
	Raw    string   // the record's text decoded to UTF-8 (always valid), without its line terminator
	Err    error    // non-nil when this record is malformed; Raw and Line are still set (Raw cut to 1 MiB for a longer line)
}

// ErrBinary is returned (possibly wrapped with a reason) for a file that is not text:
// UTF-16, a NUL byte in its header, or most of the lines of its first 64 KiB holding
// NUL bytes, control characters or, for a UTF-8 file, invalid UTF-8 (see binaryStart).
// A stray bad byte in a text file costs its line only (Record.Err).
var ErrBinary = errors.New("file looks binary, not text")

const (
	// maxRecord caps the raw size of a record, line terminators included. It is also
	// the size of the read buffer, which always holds the whole current record.
	maxRecord = 1 << 20
	// maxQuoteLines caps the physical lines a quoted field may span.
	maxQuoteLines = 1000
	// sniffSize is how much of the file's start is checked for binary content.
	sniffSize = 64 << 10
)

// Record-level problems, kept in Record.Err.
var (
	errInvalidUTF8 = errors.New("invalid UTF-8 text (is the file's encoding right?)")
	errNUL         = errors.New("NUL byte in the text (is the file damaged?)")
	errLongLine    = fmt.Errorf("line longer than %d MiB", maxRecord>>20)
)

// errTooLong is peekLine's signal that the current record outgrew maxRecord.
var errTooLong = errors.New("record too long")

// byteTables maps each single-byte encoding to its decoding table, built once on
// first use from the charmap package, the source of truth.
var byteTables = map[string]func() *[256]string{
	"windows-1252": bytetable.Lazy(charmap.Windows1252),
	"iso-8859-1":   bytetable.Lazy(charmap.ISO8859_1),
	"iso-8859-15":  bytetable.Lazy(charmap.ISO8859_15),
}

// Flags of the current record.
const (
	flagBadUTF8 = 1 << iota // invalid UTF-8 in a UTF-8 file, replaced by U+FFFD
	flagNUL                 // a NUL byte
)

// fieldSpan locates a field's value in CSVReader.buf.
type fieldSpan struct {
	start, end int  // the value, quotes excluded
	tail       int  // when > 0, text after the closing quote, kept up to buf[tail] (lazy quotes)
	esc        bool // the value holds doubled quotes to collapse
}

// CSVReader reads a CSV file record by record, in bounded memory. Create it with
// NewCSVReader, call Header, then Next until io.EOF.
//
// Lines end with LF or CRLF; empty lines are skipped. Quoting is lenient: a quote
// inside an unquoted field is kept as is, text between a closing quote and the next
// delimiter is appended to the value, and line terminators inside a quoted field are
// kept as the file has them. A quoted field that does not close within 1000 lines or
// 1 MiB costs one record (see Record.Err), not the rest of the file.
type CSVReader struct {
	br       *bufio.Reader // raw input; the current record always starts at its read position
	delim    []byte        // the delimiter in UTF-8
	quote    []byte        // the quote in UTF-8
	table    *[256]string  // decoding of each byte for a single-byte encoding; nil for UTF-8
	encoding string        // for messages
	row      int           // the dialect's HeaderRow

	started bool     // the start of the file was checked
	header  []string // set by Header
	hdrLine int64
	hdrErr  error
	eof     bool  // the input reported io.EOF
	err     error // sticky I/O or whole-file error
	n       int64 // raw bytes consumed
	line    int64 // physical lines consumed

	// The record being read.
	buf   []byte      // its text in UTF-8, then the values of fields that needed unescaping
	spans []fieldSpan // its fields
	off   int         // raw bytes it has used so far, terminator of its last line included
	lines int         // physical lines it has used so far
	term  int         // length of its last line's terminator: 1 "\n", 2 "\r\n"
	flags int         // flagBadUTF8, flagNUL
}

// NewCSVReader returns a reader of r in dialect d. It fails for an unknown encoding or
// an unusable delimiter or quote; it does no I/O.
func NewCSVReader(r io.Reader, d CSVDialect) (*CSVReader, error) {
	if d.Delimiter == 0 {
		d.Delimiter = ','
	}
	if d.Quote == 0 {
		d.Quote = '"'
	}
	if d.HeaderRow == 0 {
		d.HeaderRow = 1
	}
	for _, c := range []struct {
		name string
		r    rune
	}{{"delimiter", d.Delimiter}, {"quote", d.Quote}} {
		if !utf8.ValidRune(c.r) || c.r == utf8.RuneError || c.r == '\n' || c.r == '\r' {
			return nil, fmt.Errorf("CSV %s %q is not usable", c.name, c.r)
		}
	}
	if d.Delimiter == d.Quote {
		return nil, fmt.Errorf("CSV delimiter and quote are both %q", d.Delimiter)
	}
	if d.HeaderRow < 0 {
		return nil, fmt.Errorf("CSV header row %d: must be 1 or more", d.HeaderRow)
	}
	enc := strings.ToLower(d.Encoding)
	if enc == "" {
		enc = "utf-8"
	}
	var table *[256]string
	if enc != "utf-8" {
		build, ok := byteTables[enc]
		if !ok {
			return nil, fmt.Errorf("unknown encoding %q (want utf-8, windows-1252, iso-8859-1 or iso-8859-15)", d.Encoding)
		}
		table = build()
	}
	return &CSVReader{
		br:       bufio.NewReaderSize(r, maxRecord),
		delim:    utf8.AppendRune(nil, d.Delimiter),
		quote:    utf8.AppendRune(nil, d.Quote),
		table:    table,
		encoding: enc,
		row:      d.HeaderRow,
	}, nil
}

// BytesRead returns the raw (undecoded) bytes consumed so far, for progress bars.
func (r *CSVReader) BytesRead() int64 { return r.n }

// Header skips the preamble above the dialect's HeaderRow, whatever its content, and
// returns the header record's fields, trimmed of spaces, and its line (blank lines at
// HeaderRow are skipped, so the line can be below it). It fails when the file ends
// first, for a malformed header, and with ErrBinary for a file that is not text.
// Later calls return the same result.
func (r *CSVReader) Header() (fields []string, line int64, err error) {
	if r.header != nil || r.hdrErr != nil {
		return r.header, r.hdrLine, r.hdrErr
	}
	r.header, r.hdrLine, r.hdrErr = r.readHeader()
	return r.header, r.hdrLine, r.hdrErr
}

// readHeader does the work of Header.
func (r *CSVReader) readHeader() ([]string, int64, error) {
	if err := r.start(); err != nil {
		return nil, 0, err
	}
	for r.line < int64(r.row-1) {
		ok, err := r.skipLine()
		if err != nil {
			return nil, 0, err
		}
		if !ok {
			return nil, 0, fmt.Errorf("file has %d lines, header expected on line %d", r.line, r.row)
		}
	}
	rec, err := r.record()
	switch {
	case errors.Is(err, io.EOF):
		if r.line < int64(r.row) {
			return nil, 0, fmt.Errorf("file has %d lines, header expected on line %d", r.line, r.row)
		}
		return nil, 0, fmt.Errorf("no header: the file has only blank lines from line %d", r.row)
	case err != nil:
		return nil, 0, err
	case errors.Is(rec.Err, errNUL):
		return nil, 0, fmt.Errorf("%w: NUL byte in the header on line %d", ErrBinary, rec.Line)
	case rec.Err != nil:
		return nil, 0, fmt.Errorf("header on line %d: %w", rec.Line, rec.Err)
	}
	for i, f := range rec.Fields {
		rec.Fields[i] = strings.TrimSpace(f)
	}
	return rec.Fields, rec.Line, nil
}

// Next returns the next data record, reading the header first if Header was not
// called. It returns io.EOF at the end; any other error is an I/O or whole-file
// problem (such as ErrBinary) and ends the reading; Record.Line then holds the number
// of lines read. Problems of a single record are in Record.Err instead.
//
// Exports concatenated into one file are read as one: a byte-order mark that starts a
// record is dropped, and a record that repeats the header is skipped (see
// repeatedHeader).
func (r *CSVReader) Next() (Record, error) {
	if _, _, err := r.Header(); err != nil {
		return Record{Line: r.line}, err
	}
	for {
		rec, err := r.record()
		if err != nil || !r.repeatedHeader(&rec) {
			return rec, err
		}
	}
}

// repeatedHeader drops a UTF-8 byte-order mark that starts rec (as a single-byte
// encoding decodes it: "ï»¿") and reports whether rec then repeats the header, column
// for column: the start of a second export in a concatenated file, not a sale.
func (r *CSVReader) repeatedHeader(rec *Record) bool {
	if rec.Err != nil || len(rec.Fields) == 0 {
		return false
	}
	bom := "\ufeff"
	if r.table != nil {
		bom = "\u00ef\u00bb\u00bf"
	}
	if f, ok := strings.CutPrefix(rec.Fields[0], bom); ok {
		rec.Fields[0], rec.Raw = f, strings.TrimPrefix(rec.Raw, bom)
	}
	if len(rec.Fields) != len(r.header) {
		return false
	}
	for i, f := range rec.Fields {
		if strings.TrimSpace(f) != r.header[i] {
			return false
		}
	}
	return true
}

// start checks the start of the file, once: ErrBinary for binary content, the UTF-8
// byte-order mark stripped, or refused when the dialect says a single-byte encoding.
func (r *CSVReader) start() error {
	if r.started {
		return r.err
	}
	r.started = true
	p, err := r.br.Peek(sniffSize)
	switch {
	case errors.Is(err, io.EOF):
		r.eof = true
	case err != nil:
		r.err = err
		return err
	}
	const bom = "\xef\xbb\xbf"
	why := binaryStart(p, r.table == nil, r.eof)
	switch {
	case bytes.HasPrefix(p, []byte("\xff\xfe")) || bytes.HasPrefix(p, []byte("\xfe\xff")):
		r.err = fmt.Errorf("%w: it is UTF-16 text (byte-order mark); export it as UTF-8 or Windows-1252", ErrBinary)
	case why != "":
		r.err = fmt.Errorf("%w: %s", ErrBinary, why)
	case r.table != nil && bytes.HasPrefix(p, []byte(bom)):
		r.err = fmt.Errorf("file starts with a UTF-8 byte-order mark but its encoding is set to %s", r.encoding)
	case r.table == nil && bytes.HasPrefix(p, []byte(bom)):
		r.consume(len(bom), 0)
	}
	return r.err
}

// binaryStart says why the start p of a file is binary, or "" when it is text: a file
// is binary when most of its lines are not text (a NUL byte, a control character other
// than tab, CR and form feed, or, for UTF-8, an invalid byte), so that a stray NUL or
// Latin-1 byte in a text file costs its line only, not the file.
func binaryStart(p []byte, utf8Text, atEOF bool) string {
	lines, bad, nul, invalid := 0, 0, 0, 0
	for len(p) > 0 {
		line := p
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			line, p = p[:i], p[i+1:]
		} else {
			p = nil
		}
		lines++
		hasNUL := bytes.IndexByte(line, 0) >= 0
		hasCtl := bytes.ContainsFunc(line, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\r' && r != '\f' })
		hasBad := utf8Text && invalidUTF8(line, atEOF || len(p) > 0) > 0
		if hasNUL || hasCtl || hasBad {
			bad++
		}
		if hasNUL {
			nul++
		}
		if hasBad {
			invalid++
		}
	}
	switch {
	case bad*2 <= lines:
		return ""
	case nul > 0:
		return fmt.Sprintf("NUL bytes in %d of the %d lines of its first %d KiB", nul, lines, sniffSize>>10)
	case invalid > 0:
		return fmt.Sprintf("%d of the %d lines of its first %d KiB are not valid UTF-8 (is the file's encoding right?)", invalid, lines, sniffSize>>10)
	}
	return fmt.Sprintf("control characters in %d of the %d lines of its first %d KiB", bad, lines, sniffSize>>10)
}

// invalidUTF8 counts the bytes of p that are not valid UTF-8; unless atEOF, a
// character cut at the end of p is not counted.
func invalidUTF8(p []byte, atEOF bool) int {
	if utf8.Valid(p) {
		return 0
	}
	bad := 0
	for len(p) > 0 {
		if p[0] < utf8.RuneSelf {
			p = p[1:]
			continue
		}
		if !atEOF && !utf8.FullRune(p) {
			break
		}
		c, size := utf8.DecodeRune(p)
		if c == utf8.RuneError && size == 1 {
			bad++
		}
		p = p[size:]
	}
	return bad
}

// consume drops n raw bytes holding lines physical lines from the input.
func (r *CSVReader) consume(n, lines int) {
	r.br.Discard(n) // cannot fail: the bytes are buffered
	r.n += int64(n)
	r.line += int64(lines)
}

// skipLine consumes one physical line, whatever its content and length. It reports
// false at the end of the input.
func (r *CSVReader) skipLine() (bool, error) {
	read := false
	for {
		p, err := r.br.ReadSlice('\n')
		r.n += int64(len(p))
		read = read || len(p) > 0
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			r.eof = true
		case err != nil:
			r.err = err
			return false, err
		}
		if read {
			r.line++
		}
		return read, nil
	}
}

// peekLine returns the physical line at raw offset off of the current record, without
// its terminator, and the offset just after the terminator. It reads more input as
// needed, without consuming any. It returns io.EOF when no byte is left at off, and
// errTooLong when the line does not end within maxRecord bytes of the record's start.
func (r *CSVReader) peekLine(off int) (line []byte, next int, err error) {
	from := off
	for {
		p, _ := r.br.Peek(r.br.Buffered()) // cannot fail: the bytes are buffered
		if i := bytes.IndexByte(p[from:], '\n'); i >= 0 {
			end := from + i
			if end > off && p[end-1] == '\r' {
				end--
			}
			return p[off:end], from + i + 1, nil
		}
		from = len(p)
		switch {
		case r.eof && off == len(p):
			return nil, off, io.EOF
		case r.eof:
			line = p[off:]
			if len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
			}
			return line, len(p), nil
		case len(p) == r.br.Size():
			return nil, off, errTooLong
		}
		if _, err := r.br.Peek(len(p) + 1); errors.Is(err, io.EOF) {
			r.eof = true
		} else if err != nil {
			r.err = err
			return nil, off, err
		}
	}
}

// record reads the next record, skipping blank lines.
func (r *CSVReader) record() (Record, error) {
	if r.err != nil {
		return Record{Line: r.line}, r.err
	}
	for {
		line, next, err := r.peekLine(0)
		switch {
		case errors.Is(err, errTooLong):
			return r.longLine()
		case err != nil:
			return Record{Line: r.line}, err
		case len(line) == 0:
			r.consume(next, 1)
			continue
		}
		r.buf, r.spans, r.flags = r.buf[:0], r.spans[:0], 0
		r.off, r.lines, r.term = next, 1, next-len(line)
		r.appendLine(line)
		break
	}
	rec := Record{Line: r.line + 1}
	quoteLine, err := r.split(rec.Line)
	if err != nil {
		return Record{Line: r.line}, err
	}
	rec.Raw, rec.Fields = r.materialize()
	switch {
	case r.flags&flagNUL != 0:
		rec.Err = errNUL
	case quoteLine > 0:
		rec.Err = fmt.Errorf("unterminated quote starting on line %d", quoteLine)
	case r.flags&flagBadUTF8 != 0:
		rec.Err = errInvalidUTF8
	}
	r.consume(r.off, r.lines)
	return rec, nil
}

// longLine returns a record for a physical line longer than maxRecord, which fills
// the read buffer: Raw holds its start, and the rest of the line is skipped.
func (r *CSVReader) longLine() (Record, error) {
	p, _ := r.br.Peek(r.br.Buffered()) // cannot fail: the bytes are buffered
	r.buf, r.flags = r.buf[:0], 0
	r.appendLine(p)
	rec := Record{Line: r.line + 1, Raw: string(r.buf), Err: errLongLine}
	if _, err := r.skipLine(); err != nil {
		return Record{Line: r.line}, err
	}
	return rec, nil
}

// appendLine appends a physical line, decoded to valid UTF-8, to the record's text.
func (r *CSVReader) appendLine(line []byte) {
	if bytes.IndexByte(line, 0) >= 0 {
		r.flags |= flagNUL
	}
	switch {
	case r.table != nil:
		r.buf = bytetable.Append(r.buf, line, r.table)
	case utf8.Valid(line):
		r.buf = append(r.buf, line...)
	default:
		r.flags |= flagBadUTF8
		r.buf = append(r.buf, bytes.ToValidUTF8(line, []byte("\uFFFD"))...)
	}
}

// more appends the next physical line to the record, for a quoted field that goes on.
// It reports false at the end of the input or when the record would outgrow maxRecord.
func (r *CSVReader) more() (bool, error) {
	line, next, err := r.peekLine(r.off)
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, errTooLong):
		return false, nil
	case err != nil:
		return false, err
	}
	r.buf = append(r.buf, "\r\n"[2-r.term:]...)
	r.term = next - r.off - len(line)
	r.off = next
	r.lines++
	r.appendLine(line)
	return true, nil
}

// quoteAt reports whether the record's text has the quote at byte i.
func (r *CSVReader) quoteAt(i int) bool {
	return i < len(r.buf) && r.buf[i] == r.quote[0] && (len(r.quote) == 1 || bytes.HasPrefix(r.buf[i:], r.quote))
}

// split cuts the record's text into fields (r.spans), reading further physical lines
// while a quoted field is open. A quoted field still open at the end of the input,
// after maxQuoteLines lines or when the record reaches maxRecord bytes is
// unterminated: the record is then cut at the end of the line where the quote starts
// (the field keeps the rest of that line), so that reading resumes on the next line,
// and split returns that line's number (0 when all quotes are closed). first is the
// line number of the record's first line.
func (r *CSVReader) split(first int64) (int64, error) {
	pos := 0
	for {
		if !r.quoteAt(pos) {
			i := indexSep(r.buf[pos:], r.delim)
			if i < 0 {
				r.spans = append(r.spans, fieldSpan{start: pos, end: len(r.buf)})
				return 0, nil
			}
			r.spans = append(r.spans, fieldSpan{start: pos, end: pos + i})
			pos += i + len(r.delim)
			continue
		}
		s := fieldSpan{start: pos + len(r.quote)}
		from := s.start
		// The record as it was at the end of the quote's line, set on reading further.
		markLen, markOff, markLines, markFlags := -1, 0, 0, 0
		for {
			i := indexSep(r.buf[from:], r.quote)
			if i < 0 {
				if markLen < 0 {
					markLen, markOff, markLines, markFlags = len(r.buf), r.off, r.lines, r.flags
				}
				from = len(r.buf)
				more := false
				if r.lines-markLines+1 < maxQuoteLines {
					var err error
					if more, err = r.more(); err != nil {
						return 0, err
					}
				}
				if !more {
					r.buf, r.off, r.lines, r.flags = r.buf[:markLen], markOff, markLines, markFlags
					s.end = markLen
					r.spans = append(r.spans, s)
					return first + int64(markLines) - 1, nil
				}
				continue
			}
			q := from + i
			after := q + len(r.quote)
			if r.quoteAt(after) {
				s.esc = true
				from = after + len(r.quote)
				continue
			}
			s.end = q
			j := indexSep(r.buf[after:], r.delim)
			if j < 0 {
				j = len(r.buf) - after
			}
			if j > 0 {
				s.tail = after + j
			}
			r.spans = append(r.spans, s)
			if after+j == len(r.buf) {
				return 0, nil
			}
			pos = after + j + len(r.delim)
			break
		}
	}
}

// materialize returns the record's Raw text and Fields from r.buf and r.spans, with
// one string allocation: the values of fields needing unescaping are appended to
// r.buf first, and every field is a substring of that string.
func (r *CSVReader) materialize() (string, []string) {
	rawLen := len(r.buf)
	for i := range r.spans {
		s := &r.spans[i]
		if !s.esc && s.tail == 0 {
			continue
		}
		start := len(r.buf)
		if s.esc {
			r.buf = appendUnquoted(r.buf, s.start, s.end, r.quote)
		} else {
			r.buf = append(r.buf, r.buf[s.start:s.end]...)
		}
		if s.tail > 0 {
			r.buf = append(r.buf, r.buf[s.end+len(r.quote):s.tail]...)
		}
		s.start, s.end = start, len(r.buf)
	}
	text := string(r.buf)
	fields := make([]string, len(r.spans))
	for i, s := range r.spans {
		fields[i] = text[s.start:s.end]
	}
	return text[:rawLen], fields
}

// appendUnquoted appends buf[start:end], a quoted value where every quote is doubled,
// to buf with the doubled quotes collapsed.
func appendUnquoted(buf []byte, start, end int, quote []byte) []byte {
	for start < end {
		i := indexSep(buf[start:end], quote)
		if i < 0 {
			return append(buf, buf[start:end]...)
		}
		buf = append(buf, buf[start:start+i+len(quote)]...)
		start += i + 2*len(quote)
	}
	return buf
}

// indexSep is bytes.Index, quicker for the usual one-byte separator.
func indexSep(s, sep []byte) int {
	if len(sep) == 1 {
		return bytes.IndexByte(s, sep[0])
	}
	return bytes.Index(s, sep)
}
