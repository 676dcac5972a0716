package formats

// Shared machinery of the EDI readers (x12.go, edifact.go): the Report seam, segment
// scanning and splitting, value normalisation, and the outbox that holds an
// interchange's lines until its trailers have been checked.

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/salesout/salesout/pipeline/canon"
)

// Report is one sales report inside an EDI file (an X12 867 transaction set or an
// EDIFACT SLSRPT message): its lines belong to it.
type Report struct {
	ID          string    // BPT02 / BGM02
	Purpose     string    // "original" | "replace" | "cancel"  (X12 BPT01 00 / 05,15 / 01; EDIFACT BGM message function 9 original, 5 replace, 1 cancel, else original)
	PeriodStart time.Time // DTM*090 / DTM+90 (zero when absent)
	PeriodEnd   time.Time // DTM*091 / DTM+91
	Currency    string    // CUR02 / CUX
	Control     string    // ST02 / UNH01 control reference, for messages
	Err         string    // non-empty: the whole report is quarantined with this reason (count or control number mismatch); its lines are still emitted, each with Line.Err set to the same reason
}

// Report purposes.
const (
	PurposeOriginal = "original"
	PurposeReplace  = "replace"
	PurposeCancel   = "cancel"
)

// ReportDone is called once for every report, after all its lines (possibly none: a
// cancellation often has no detail) were passed to emit, with the number of lines.
// It lets a caller act on reports without lines, which emit never sees.
type ReportDone func(rep *Report, lines int) error

const (
	// ediMaxSegment caps a segment's length; a longer segment is cut there and the
	// line (or report part) it belongs to gets an error.
	ediMaxSegment = 64 << 10
	// ediMaxRaw caps canon.Line.Raw.
	ediMaxRaw = 4 << 10
)

// ediSpoolMem is how many bytes of pending lines the outbox keeps in memory before it
// moves them to a temporary file (a variable for tests).
var ediSpoolMem = 16 << 20

// Canonical field positions.
var (
	fInvoiceDate   = ediField("invoice_date")
	fInvoiceNumber = ediField("invoice_number")
	fResellerID    = ediField("reseller_id")
	fResellerName  = ediField("reseller_name")
	fResellerVAT   = ediField("reseller_vat")
	fResellerReg   = ediField("reseller_registration")
	fResellerAddr  = ediField("reseller_address")
	fResellerPC    = ediField("reseller_postcode")
	fResellerCity  = ediField("reseller_city")
	fResellerCtry  = ediField("reseller_country")
	fEndName       = ediField("end_customer_name")
	fEndPC         = ediField("end_customer_postcode")
	fEndCtry       = ediField("end_customer_country")
	fSKU           = ediField("sku")
	fDistSKU       = ediField("distributor_sku")
	fGTIN          = ediField("gtin")
	fQuantity      = ediField("quantity")
	fUnitPrice     = ediField("unit_price")
	fAmount        = ediField("amount")
	fCurrency      = ediField("currency")
)

func ediField(name string) int {
	i := canon.Index(name)
	if i < 0 {
		panic("formats: canonical field " + name + " is unknown")
	}
	return i
}

// ---------------------------------------------------------------------------------
// Party and product identification, shared by both formats.

// ediParty is a reseller or end customer as a segment group describes it.
type ediParty struct {
	set                                  bool
	id, reg, name, vat, address          string
	city, postcode, country, idQualifier string
}

// ediIDs holds a line's product ids; each kind keeps the id of the best-ranked
// qualifier seen (rank 1 is best, 0 is unset).
type ediIDs struct {
	v    [3]string // sku, distributor_sku, gtin
	rank [3]int8
}

const (
	idSKU = iota
	idDist
	idGTIN
)

// ediIDKind maps a qualifier to its kind and rank.
type ediIDKind struct {
	kind int
	rank int8
}

func (p *ediIDs) add(kinds map[string]ediIDKind, qual, id string) bool {
	k, ok := kinds[qual]
	if !ok || id == "" {
		return false
	}
	if p.rank[k.kind] == 0 || k.rank < p.rank[k.kind] {
		p.v[k.kind], p.rank[k.kind] = id, k.rank
	}
	return true
}

// fill takes, for each kind still empty, the id of q.
func (p *ediIDs) fill(q *ediIDs) {
	for k := range p.v {
		if p.v[k] == "" && q.v[k] != "" {
			p.v[k], p.rank[k] = q.v[k], q.rank[k]
		}
	}
}

// ---------------------------------------------------------------------------------
// Values.

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func joinNonEmpty(sep string, vs ...string) string {
	var b strings.Builder
	for _, v := range vs {
		if v == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(v)
	}
	return b.String()
}

// isPlainNumber reports whether s is an unsigned or signed decimal number written
// with digits and at most one '.' (no exponent, no grouping).
func isPlainNumber(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// negate makes a positive number negative ("5" -> "-5", "+5" -> "-5"); a number
// already negative, and anything that is not a plain number, is returned as is.
func negate(s string) string {
	if s == "" || s[0] == '-' || !isPlainNumber(s) {
		return s
	}
	return "-" + strings.TrimPrefix(s, "+")
}

// isoDate turns CCYYMMDD (a real calendar date) into YYYY-MM-DD; anything else is
// returned as is, for SQL to quarantine with its value.
func isoDate(s string) string {
	if len(s) != 8 || !isDigits(s) {
		return s
	}
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	m := int(s[4]-'0')*10 + int(s[5]-'0')
	d := int(s[6]-'0')*10 + int(s[7]-'0')
	if m < 1 || m > 12 || d < 1 || d > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return s
	}
	return s[:4] + "-" + s[4:6] + "-" + s[6:]
}

func parseCCYYMMDD(s string) (time.Time, bool) {
	if len(s) != 8 || !isDigits(s) {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102", s)
	return t, err == nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// dateRange splits "CCYYMMDD-CCYYMMDD" (EDIFACT 718, X12 RD8).
func dateRange(s string) (from, to string, ok bool) {
	from, to, ok = strings.Cut(s, "-")
	if !ok || len(from) != 8 || len(to) != 8 {
		return "", "", false
	}
	return from, to, true
}

// divideDecimal returns a/b as a decimal string when both are plain numbers and b is
// not zero: exact when the quotient terminates, else with 10 decimals.
func divideDecimal(a, b string) (string, bool) {
	if !isPlainNumber(a) || !isPlainNumber(b) {
		return "", false
	}
	x, ok1 := new(big.Rat).SetString(a)
	y, ok2 := new(big.Rat).SetString(b)
	if !ok1 || !ok2 || y.Sign() == 0 {
		return "", false
	}
	q := new(big.Rat).Quo(x, y)
	if n, exact := q.FloatPrec(); exact {
		return q.FloatString(n), true
	}
	s := strings.TrimRight(q.FloatString(10), "0")
	return strings.TrimSuffix(s, "."), true
}

// ---------------------------------------------------------------------------------
// Character sets.

// ediDecoder turns the bytes of a value into valid UTF-8.
type ediDecoder func([]byte) string

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// decodeUTF8 keeps valid UTF-8 and replaces invalid bytes with U+FFFD.
func decodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// decodeLatin1 decodes ISO-8859-1.
func decodeLatin1(b []byte) string {
	if isASCII(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// decodeAuto keeps valid UTF-8 and reads anything else as ISO-8859-1 (X12 declares no
// character set; North American senders use ASCII, UTF-8 or Latin-1).
func decodeAuto(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return decodeLatin1(b)
}

var ediCharmaps = map[string]func() *[256]string{
	"UNOD": sync.OnceValue(func() *[256]string { return ediTable(charmap.ISO8859_2) }),
	"UNOE": sync.OnceValue(func() *[256]string { return ediTable(charmap.ISO8859_5) }),
	"UNOF": sync.OnceValue(func() *[256]string { return ediTable(charmap.ISO8859_7) }),
}

func ediTable(cm *charmap.Charmap) *[256]string {
	var t [256]string
	for b := range t {
		t[b] = string(cm.DecodeByte(byte(b)))
	}
	return &t
}

func decodeWith(t *[256]string) ediDecoder {
	return func(b []byte) string {
		if isASCII(b) {
			return string(b)
		}
		var s strings.Builder
		s.Grow(len(b) + 8)
		for _, c := range b {
			s.WriteString(t[c])
		}
		return s.String()
	}
}

// ---------------------------------------------------------------------------------
// Segment scanning.

// ediScanner reads segments from a stream without holding more than one segment
// (at most ediMaxSegment bytes) in memory.
type ediScanner struct {
	br  *bufio.Reader
	buf []byte
	ord int64 // ordinal of the last segment read (1-based)
}

func newEDIScanner(r io.Reader) *ediScanner {
	return &ediScanner{br: bufio.NewReaderSize(r, ediMaxSegment)}
}

// skipBOMAndSpace skips a UTF-8 byte order mark and white space at the start of the
// file.
func (s *ediScanner) skipBOMAndSpace() error {
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

// skipBreaks skips the line breaks senders put between segments; io.EOF at the end.
func (s *ediScanner) skipBreaks() error {
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

// startsWith reports whether the unread input starts with tag.
func (s *ediScanner) startsWith(tag string) bool {
	p, _ := s.br.Peek(len(tag))
	return string(p) == tag
}

// describeStart quotes the first bytes of the unread input, for error messages.
func (s *ediScanner) describeStart() string {
	p, _ := s.br.Peek(24)
	if len(p) == 0 {
		return "an empty file"
	}
	return fmt.Sprintf("%q", decodeAuto(p))
}

// read returns the next segment's bytes without its terminator (valid until the next
// call). A terminator preceded by an odd number of release characters belongs to the
// data (release < 0: none). A segment longer than ediMaxSegment is cut and long is
// true. The last segment of the file may lack its terminator. At the end: io.EOF.
func (s *ediScanner) read(term byte, release int) (seg []byte, long bool, err error) {
	s.buf = s.buf[:0]
	trail := 0 // release characters right before the current position
	add := func(p []byte) {
		if room := ediMaxSegment - len(s.buf); len(p) > room {
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

// ---------------------------------------------------------------------------------
// Segments.

// ediSeg is one segment split into elements (element 0 is the tag).
type ediSeg struct {
	ord     int64
	data    []byte
	long    bool
	tag     string
	bounds  [][2]int
	comp    byte
	release int
	dec     ediDecoder
}

// split fills s from data.
func (s *ediSeg) split(ord int64, data []byte, long bool, elem, comp byte, release int, dec ediDecoder) {
	s.ord, s.data, s.long, s.comp, s.release, s.dec = ord, data, long, comp, release, dec
	s.bounds = s.bounds[:0]
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
	s.tag = ediTag(data[s.bounds[0][0]:s.bounds[0][1]])
}

// termText is a segment terminator as UTF-8 text, for ediRaw.
func termText(term byte) string { return decodeLatin1([]byte{term}) }

// ediTags are the tags the readers know, to turn a segment's tag into a string without
// allocating.
var ediTags = func() map[string]string {
	m := map[string]string{}
	for _, t := range strings.Fields(`ISA IEA GS GE ST SE BPT CUR DTM REF PTD N1 N2 N3 N4 QTY LIN SII UIT AMT CTT
		UNA UNB UNZ UNG UNE UNH UNT UNS BGM CUX NAD RFF LOC PIA PRI MOA`) {
		m[t] = t
	}
	return m
}()

// ediTag returns a segment's tag as a string; anything that is not a known tag is
// cut to 8 bytes and made valid UTF-8.
func ediTag(b []byte) string {
	if t, ok := ediTags[string(b)]; ok {
		return t
	}
	if len(b) > 8 {
		b = b[:8]
	}
	return strings.TrimSpace(decodeAuto(b))
}

// n is the number of data elements.
func (s *ediSeg) n() int { return len(s.bounds) - 1 }

func (s *ediSeg) rawEl(i int) []byte {
	if i < 0 || i >= len(s.bounds) {
		return nil
	}
	b := s.bounds[i]
	return s.data[b[0]:b[1]]
}

// el is data element i (1-based), release characters removed, decoded, trimmed.
func (s *ediSeg) el(i int) string { return s.text(s.rawEl(i)) }

// c is component j (0-based) of element i.
func (s *ediSeg) c(i, j int) string {
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

func (s *ediSeg) text(b []byte) string {
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
	return strings.TrimSpace(s.dec(b))
}

// where names the segment in messages: "segment 57 QTY".
func (s *ediSeg) where() string { return fmt.Sprintf("segment %d %s", s.ord, s.tag) }

// ---------------------------------------------------------------------------------
// Raw text of a line.

// ediRaw collects a line's segments, joined by the segment terminator, up to ediMaxRaw.
type ediRaw struct {
	b    []byte
	full bool
}

func (r *ediRaw) reset() { r.b, r.full = r.b[:0], false }

// add appends a segment; term is the segment terminator as UTF-8 text.
func (r *ediRaw) add(seg string, term string) {
	if r.full {
		return
	}
	if len(r.b) > 0 {
		r.b = append(r.b, term...)
	}
	if room := ediMaxRaw - len(r.b); len(seg) > room {
		cut := room - len("...")
		for cut > 0 && !utf8.RuneStart(seg[cut]) {
			cut--
		}
		if cut < 0 {
			cut = 0
		}
		r.b = append(r.b, seg[:cut]...)
		r.b = append(r.b, "..."...)
		r.full = true
		return
	}
	r.b = append(r.b, seg...)
}

// joinRaw joins two raw texts with the terminator, within ediMaxRaw.
func joinRaw(a, b *ediRaw, term string) []byte {
	if len(b.b) == 0 {
		return a.b
	}
	if len(a.b) == 0 {
		return b.b
	}
	r := ediRaw{b: make([]byte, 0, len(a.b)+len(term)+len(b.b)), full: a.full}
	r.b = append(r.b, a.b...)
	r.add(string(b.b), term)
	return r.b
}

// ---------------------------------------------------------------------------------
// Outbox.

// ediOutbox holds the reports and lines of the current interchange until its trailer
// has been checked, so that a count or control number mismatch found at the end of a
// transaction set, a group or the interchange can still be set on every line. It
// keeps them as compact records (no pointers for the garbage collector to follow);
// past ediSpoolMem bytes it moves them to a temporary file: memory stays bounded
// however large the interchange.
//
// Records: uvarint length, then 'R' ord group ID Purpose Currency Control start end,
// or 'L' lineNo raw err nfields (flag [value])*; strings are uvarint length + bytes.
type ediOutbox struct {
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

func newEDIOutbox(emit func(canon.Line, *Report) error, done ReportDone) *ediOutbox {
	return &ediOutbox{emit: emit, done: done, setErr: map[int]string{}, groupErr: map[int]string{}}
}

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

// addReport starts a report (its lines follow) in group (0: none) and returns its
// ordinal, for setReportErr. rep must be complete: later changes are not seen.
func (o *ediOutbox) addReport(rep *Report, group int) (int, error) {
	ord := o.reports
	o.reports++
	b := append(o.rec[:0], 'R')
	b = binary.AppendUvarint(b, uint64(ord))
	b = binary.AppendUvarint(b, uint64(group))
	b = appendStr(b, rep.ID)
	b = appendStr(b, rep.Purpose)
	b = appendStr(b, rep.Currency)
	b = appendStr(b, rep.Control)
	b = appendTime(b, rep.PeriodStart)
	b = appendTime(b, rep.PeriodEnd)
	o.rec = b
	return ord, o.put(b)
}

// addLine adds a line to the last report; vals is indexed like canon.Fields ("" is
// absent).
func (o *ediOutbox) addLine(no int64, raw []byte, err string, vals []string) error {
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

func (o *ediOutbox) put(rec []byte) error {
	if !o.spilled {
		last := len(o.chunks) - 1
		if last < 0 || len(o.chunks[last])+len(rec)+binary.MaxVarintLen64 > cap(o.chunks[last]) {
			o.chunks = append(o.chunks, make([]byte, 0, max(1<<20, len(rec)+binary.MaxVarintLen64)))
			last++
		}
		c := binary.AppendUvarint(o.chunks[last], uint64(len(rec)))
		o.chunks[last] = append(c, rec...)
		if o.memBytes += len(rec) + 2; o.memBytes <= ediSpoolMem {
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

// setReportErr records the reason of report ord (the first reason wins).
func (o *ediOutbox) setReportErr(ord int, msg string) {
	if _, ok := o.setErr[ord]; !ok && msg != "" {
		o.setErr[ord] = msg
	}
}

// setGroupErr records the reason of every report of group (the first wins).
func (o *ediOutbox) setGroupErr(group int, msg string) {
	if _, ok := o.groupErr[group]; !ok && msg != "" && group > 0 {
		o.groupErr[group] = msg
	}
}

var errEDISpool = errors.New("spool EDI lines: corrupt record")

// ediRecord decodes one record; its strings share one allocation.
type ediRecord struct {
	s   string
	off int
	bad bool
}

func (r *ediRecord) uv() uint64 {
	v, n := binary.Uvarint([]byte(r.s[r.off:min(len(r.s), r.off+binary.MaxVarintLen64)]))
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.off += n
	return v
}

func (r *ediRecord) vi() int64 {
	v, n := binary.Varint([]byte(r.s[r.off:min(len(r.s), r.off+binary.MaxVarintLen64)]))
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.off += n
	return v
}

func (r *ediRecord) byte1() byte {
	if r.off >= len(r.s) {
		r.bad = true
		return 0
	}
	r.off++
	return r.s[r.off-1]
}

func (r *ediRecord) str() string {
	n := r.uv()
	if r.bad || n > uint64(len(r.s)-r.off) {
		r.bad = true
		return ""
	}
	v := r.s[r.off : r.off+int(n)]
	r.off += int(n)
	return v
}

func (r *ediRecord) time() time.Time {
	if r.byte1() == 0 {
		return time.Time{}
	}
	return time.Unix(r.vi(), 0).UTC()
}

// flush passes every pending report and line to emit and done, with the reasons found
// (the report's own, else its group's, else ichErr, the interchange's), and empties the
// outbox.
func (o *ediOutbox) flush(ichErr string) error {
	var cur *Report
	lines := 0
	finish := func() error {
		if cur != nil && o.done != nil {
			return o.done(cur, lines)
		}
		return nil
	}
	handle := func(rec string) error {
		r := ediRecord{s: rec, off: 1}
		switch rec[0] {
		case 'R':
			if err := finish(); err != nil {
				return err
			}
			ord, group := int(r.uv()), int(r.uv())
			cur = &Report{ID: r.str(), Purpose: r.str(), Currency: r.str(), Control: r.str()}
			cur.PeriodStart, cur.PeriodEnd = r.time(), r.time()
			cur.Err = firstOf(o.setErr[ord], o.groupErr[group], ichErr)
			lines = 0
		case 'L':
			l := canon.Line{LineNo: r.vi(), Raw: r.str(), Err: r.str()}
			n := int(r.uv())
			if r.bad || n > len(rec) {
				return errEDISpool
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
				return errEDISpool
			}
			if cur.Err != "" {
				l.Err = cur.Err
			}
			lines++
			return o.emit(l, cur)
		default:
			return errEDISpool
		}
		if r.bad {
			return errEDISpool
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
					err = errEDISpool
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

func (o *ediOutbox) replay(handle func(string) error) error {
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
			return errEDISpool
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

// close removes the spool file, if any.
func (o *ediOutbox) close() {
	if o.f != nil {
		name := o.f.Name()
		o.f.Close()
		os.Remove(name)
		o.f = nil
	}
}
