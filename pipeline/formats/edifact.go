package formats

// UN/EDIFACT SLSRPT (Sales data report), D96A and later, EANCOM or EDIFICE profiles,
// read with the mapping of shared/docs/formats.md.
//
// Structure read (other segments are ignored):
//
//	[UNA] UNB [UNG]  UNH BGM DTM NAD RFF CUX ...               (header)
//	  location first:  LOC DTM NAD RFF ...  (LIN PIA PRI MOA RFF DTM  QTY DTM ...)*
//	  item first:      LIN PIA PRI MOA ...  (LOC DTM NAD RFF  QTY DTM MOA ...)*
//	UNS CNT UNT [UNE] UNZ
//
// The first LOC or LIN of a message decides its layout. The line group (LIN in the
// location-first layout, LOC in the item-first one) makes one line per QTY+153 (sales)
// or QTY+77 (returns) it holds, or one line without a quantity when it holds none (SQL
// quarantines it). Segments after a QTY, up to the next QTY, LIN or LOC, belong to
// that quantity's line only; the others apply to every line of their group. Values
// are looked up from the most specific group to the header: the quantity's own
// segments, the line group, the enclosing group.

import (
	"fmt"
	"io"
	"strings"

	"github.com/salesout/salesout/pipeline/canon"
	"github.com/salesout/salesout/pipeline/formats/edi"
)

// ReadEDIFACT reads an EDIFACT file holding SLSRPT messages and passes each line,
// with the report (message) it belongs to, to emit. See ReadEDIFACTReports.
func ReadEDIFACT(r io.Reader, emit func(line canon.Line, rep *Report) error) error {
	return ReadEDIFACTReports(r, emit, nil)
}

// ReadEDIFACTReports is ReadEDIFACT with done (may be nil) called after each report's
// lines, also for reports without lines.
//
// Lines are passed in file order, interchange by interchange, once the interchange's
// UNZ trailer has been read: a segment count or reference mismatch (UNT, UNE, UNZ) or a
// missing trailer sets Report.Err on the messages concerned and Line.Err on each of
// their lines; the other messages load. The error returned is for I/O errors, an error
// from emit or done, and a file that is not EDIFACT (no UNA, UNB or UNH at the start)
// or holds no SLSRPT message although it holds others.
func ReadEDIFACTReports(r io.Reader, emit func(line canon.Line, rep *Report) error, done ReportDone) error {
	p := &edParser{sc: edi.NewScanner(r), out: edi.NewOutbox(emit, done), vals: make([]string, len(canon.Fields))}
	p.env = edi.NewEnvelope(edi.EDIFACT, p.out, p.endMsg)
	p.sep, p.termText, p.dec = edi.EDIFACTDefault, edi.EDIFACTDefault.TermText(), edi.DecodeAuto
	defer p.out.Close()
	return p.run()
}

// LIN / PIA item number types (formats.md): rank 1 wins over rank 2.
var edIDKinds = map[string]ediIDKind{
	"SA": {idSKU, 1}, "MF": {idSKU, 2},
	"IN":  {idDist, 1},
	"SRV": {idGTIN, 1}, "EN": {idGTIN, 2},
}

// edMaxParts caps the quantities of one line group (each is a line held until the
// group ends).
const edMaxParts = 1000

type edParser struct {
	sc   *edi.Scanner
	out  *edi.Outbox
	env  *edi.Envelope
	seg  edi.Segment
	vals []string

	sep      edi.Separators
	termText string
	dec      edi.Decoder

	msg *edMsg // the open message, nil between messages

	slsrpt    int
	others    int
	otherType string
}

// edMsg is the message being read.
type edMsg struct {
	rep     *Report
	ord     int
	group   int
	slsrpt  bool
	detail  bool
	layout  byte // 'L' location first, 'I' item first
	summary bool
	hdr     edCtx
	start   string // header period start / end as line dates (DTM+90 / DTM+91)
	end     string
	outer   edCtx
	inner   edCtx
	partIn  *edCtx // the group whose last part receives segments, or nil
}

// edCtx is a group of segments: the header, a location or item group, or the
// segments of one quantity (a part).
type edCtx struct {
	open     bool
	seg      int64
	locID    string
	locName  string
	by, pc   ediParty
	sn, end  ediParty
	vat, reg string
	inv      string
	date     string
	ids      ediIDs
	price    string
	gross    string
	amount   string
	amtCur   string
	cur      string
	err      string
	qty      string
	ret      bool
	raw      ediRaw
	parts    []edCtx
	lines    int // lines made from this group and its inner groups
}

func (c *edCtx) reset(seg int64) {
	raw, parts := c.raw, c.parts
	raw.reset()
	for i := range parts {
		parts[i].raw.reset()
	}
	*c = edCtx{open: true, seg: seg, raw: raw, parts: parts[:0]}
}

func (p *edParser) run() error {
	if err := p.sc.SkipBOMAndSpace(); err != nil && err != io.EOF {
		return err
	}
	if !p.sc.StartsWith("UNA") && !p.sc.StartsWith("UNB") && !p.sc.StartsWith("UNH") {
		return fmt.Errorf("not an EDIFACT file: expected UNA, UNB or UNH at the start, found %s", p.sc.DescribeStart())
	}
	for {
		err := p.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := p.segment(&p.seg); err != nil {
			return err
		}
	}
	if err := p.env.End(); err != nil {
		return err
	}
	if p.slsrpt == 0 && p.others > 0 {
		return fmt.Errorf("not an EDIFACT SLSRPT file: expected SLSRPT messages, found only %s", p.otherType)
	}
	return nil
}

// next reads the next segment into p.seg; a UNA service string advice is returned as
// a segment tagged UNA after its separators were taken.
func (p *edParser) next() error {
	if err := p.sc.SkipBreaks(); err != nil {
		return err
	}
	if p.sc.StartsWith("UNA") {
		if sep, ok := edi.ParseUNA(p.sc.Peek(edi.UNALength)); ok {
			p.sep, p.termText = sep, sep.TermText()
			data := p.sc.ReadFixed(edi.UNALength, edi.UNALength)
			p.seg.Split(p.sc.Ord(), data, false, edi.Separators{Release: -1}, edi.DecodeAuto)
			p.seg.Tag = "UNA"
			return nil
		}
	} else if p.sc.StartsWith("UNB\x1d") {
		// syntax level B defaults: IS4 / IS3 / IS1 separators, no release character
		p.sep, p.termText = edi.EDIFACTLevelB, edi.EDIFACTLevelB.TermText()
	}
	data, long, err := p.sc.Read(p.sep.Term, p.sep.Release)
	if err != nil {
		return err
	}
	p.seg.Split(p.sc.Ord(), data, long, p.sep, p.dec)
	return nil
}

func (p *edParser) segment(s *edi.Segment) error {
	switch s.Tag {
	case "UNA":
		return nil
	case "UNB":
		p.dec = edi.Charset(s.C(1, 0))
		s.Dec = p.dec
		return p.env.OpenInterchange(s, s.El(5), "")
	case "UNZ":
		return p.env.CloseInterchange(s)
	case "UNG":
		return p.env.OpenGroup(s, s.El(5))
	case "UNE":
		return p.env.CloseGroup(s)
	case "UNH":
		ref := s.El(1)
		group, err := p.env.OpenMessage(s, ref)
		if err != nil {
			return err
		}
		m := &edMsg{ord: -1, group: group, slsrpt: s.C(2, 0) == "SLSRPT"}
		if m.slsrpt {
			p.slsrpt++
			m.rep = &Report{Purpose: PurposeOriginal, Control: ref, Seg: s.Ord}
		} else {
			p.others++
			if p.otherType == "" {
				p.otherType = "message type " + edi.Quoted(s.C(2, 0))
			}
		}
		p.msg = m
		return nil
	case "UNT":
		return p.env.CloseMessage(s)
	}
	if !p.env.Body() || !p.msg.slsrpt {
		return nil // between messages, or not an SLSRPT: ignored
	}
	return p.body(p.msg, s)
}

func (p *edParser) addReport(m *edMsg) error {
	if m.ord >= 0 {
		return nil
	}
	ord, err := p.out.AddReport(m.rep, m.group)
	m.ord = ord
	return err
}

// endMsg closes the message with reason (empty: no structural problem).
func (p *edParser) endMsg(reason string) error {
	m := p.msg
	p.msg = nil
	if m == nil || !m.slsrpt {
		return nil
	}
	if err := p.closeGroups(m); err != nil {
		return err
	}
	if err := p.addReport(m); err != nil {
		return err
	}
	p.out.SetReportErr(m.ord, reason)
	return nil
}

// target is the group receiving the current segment's data.
func (m *edMsg) target() *edCtx {
	if g := m.partIn; g != nil && len(g.parts) > 0 {
		return &g.parts[len(g.parts)-1]
	}
	if m.inner.open {
		return &m.inner
	}
	if m.outer.open {
		return &m.outer
	}
	return &m.hdr
}

// body handles a segment inside an SLSRPT message.
func (p *edParser) body(m *edMsg, s *edi.Segment) error {
	if m.summary {
		return nil
	}
	switch s.Tag {
	case "LOC":
		if !m.detail {
			m.detail, m.layout = true, 'L'
		}
		var g *edCtx
		if m.layout == 'L' {
			if err := p.closeGroups(m); err != nil {
				return err
			}
			g = &m.outer
		} else {
			if err := p.closeInner(m); err != nil {
				return err
			}
			g = &m.inner
		}
		g.reset(s.Ord)
		m.partIn = nil
		g.locID, g.locName = s.C(2, 0), s.C(2, 3)
	case "LIN":
		if !m.detail {
			m.detail, m.layout = true, 'I'
		}
		var g *edCtx
		if m.layout == 'L' {
			if err := p.closeInner(m); err != nil {
				return err
			}
			g = &m.inner
		} else {
			if err := p.closeGroups(m); err != nil {
				return err
			}
			g = &m.outer
		}
		g.reset(s.Ord)
		m.partIn = nil
		id, typ := s.C(3, 0), s.C(3, 1)
		if typ == "" {
			typ = edGuessType(id)
		}
		g.ids.add(edIDKinds, typ, id)
	case "UNS":
		if err := p.closeGroups(m); err != nil {
			return err
		}
		m.summary = true
		return nil
	case "QTY":
		qual := s.C(1, 0)
		if qual != "153" && qual != "77" {
			break // another quantity (stock, ordered...): not a sale
		}
		var g *edCtx
		if m.inner.open {
			g = &m.inner
		} else if m.outer.open && m.layout == 'I' {
			g = &m.outer // item-first: a quantity of the item, before any location
		} else {
			break // a location's total, or a quantity outside any group
		}
		if len(g.parts) >= edMaxParts {
			g.err = firstOf(g.err, fmt.Sprintf("%s: more than %d quantities in one group", s.Where(), edMaxParts))
			break
		}
		if len(g.parts) < cap(g.parts) {
			g.parts = g.parts[:len(g.parts)+1]
			pt := &g.parts[len(g.parts)-1]
			raw := pt.raw
			raw.reset()
			*pt = edCtx{open: true, seg: s.Ord, raw: raw}
		} else {
			g.parts = append(g.parts, edCtx{open: true, seg: s.Ord})
		}
		m.partIn = g
		pt := &g.parts[len(g.parts)-1]
		pt.qty, pt.ret = edNumber(s.C(1, 1)), qual == "77"
		if pt.qty == "" {
			pt.err = s.Where() + ": quantity element missing"
		}
	}
	t := m.target()
	if s.Long {
		t.err = firstOf(t.err, fmt.Sprintf("%s: segment longer than %d KiB", s.Where(), edi.MaxSegment>>10))
	}
	switch s.Tag {
	case "BGM":
		if !m.detail {
			m.rep.ID = s.C(2, 0)
			m.rep.Purpose = edi.PurposeEDIFACT(s.El(3))
		}
	case "DTM":
		qual, val, format := s.C(1, 0), s.C(1, 1), s.C(1, 2)
		from, to := edDate(val, format)
		switch {
		case !m.detail:
			switch qual {
			case "90":
				if t, ok := parseCCYYMMDD(from); ok {
					m.rep.PeriodStart = t
				}
				if from != to && m.rep.PeriodEnd.IsZero() { // a 718 range
					if t, ok := parseCCYYMMDD(to); ok {
						m.rep.PeriodEnd = t
					}
				}
				m.start = firstOf(m.start, isoDate(from))
			case "91":
				if t, ok := parseCCYYMMDD(to); ok {
					m.rep.PeriodEnd = t
				}
				m.end = firstOf(m.end, isoDate(to))
			}
		case qual == "356":
			t.date = firstOf(t.date, isoDate(to))
		}
	case "CUX":
		cur := s.C(1, 1)
		for i := 1; i <= s.N() && i <= 3; i++ {
			if s.C(i, 0) == "2" && s.C(i, 1) != "" {
				cur = s.C(i, 1)
				break
			}
		}
		if !m.detail {
			m.rep.Currency = firstOf(m.rep.Currency, cur)
		} else {
			t.cur = firstOf(t.cur, cur)
		}
	case "NAD":
		if !m.detail {
			break // the report's parties (sender, recipient): not the reseller
		}
		var pt *ediParty
		switch s.El(1) {
		case "BY":
			pt = &t.by
		case "PC":
			pt = &t.pc
		case "SN":
			pt = &t.sn
		case "UC", "EN":
			pt = &t.end
		}
		if pt == nil || pt.set {
			break
		}
		edNAD(s, pt)
	case "RFF":
		if !m.detail {
			break
		}
		switch qual, val := s.C(1, 0), s.C(1, 1); qual {
		case "VA":
			t.vat = firstOf(t.vat, val)
		case "XA":
			t.reg = firstOf(t.reg, val)
		case "IV":
			t.inv = firstOf(t.inv, val)
		}
	case "PIA":
		for i := 2; i <= s.N() && i <= 6; i++ {
			id, typ := s.C(i, 0), s.C(i, 1)
			if typ == "" {
				typ = edGuessType(id)
			}
			t.ids.add(edIDKinds, typ, id)
		}
	case "PRI":
		qual, price, basis := s.C(1, 0), edNumber(s.C(1, 1)), edNumber(s.C(1, 4))
		if basis != "" && price != "" {
			if q, ok := divideDecimal(price, basis); ok {
				price = q
			}
		}
		switch qual {
		case "AAA":
			t.price = firstOf(t.price, price)
		case "AAB":
			t.gross = firstOf(t.gross, price)
		}
	case "MOA":
		if s.C(1, 0) == "203" && t.amount == "" {
			t.amount, t.amtCur = edNumber(s.C(1, 1)), s.C(1, 2)
		}
	}
	t.raw.add(p.dec(edRawBytes(s)), p.termText)
	return nil
}

// edRawBytes is the segment as sent (release characters kept).
func edRawBytes(s *edi.Segment) []byte { return s.Data }

// edNAD reads a NAD: party id C082, name C080 (else the first line of C058), street
// C059 (else the other lines of C058), city 3164, postcode 3251, country 3207.
func edNAD(s *edi.Segment, pt *ediParty) {
	pt.set = true
	pt.id = s.C(2, 0)
	name := joinNonEmpty(" ", s.C(4, 0), s.C(4, 1), s.C(4, 2), s.C(4, 3), s.C(4, 4))
	free := []string{s.C(3, 0), s.C(3, 1), s.C(3, 2), s.C(3, 3), s.C(3, 4)}
	if name == "" {
		name, free = free[0], free[1:]
	}
	pt.name = name
	pt.address = joinNonEmpty(", ", s.C(5, 0), s.C(5, 1), s.C(5, 2), s.C(5, 3))
	if pt.address == "" {
		pt.address = joinNonEmpty(", ", free...)
	}
	pt.city, pt.postcode, pt.country = s.El(6), s.El(8), s.El(9)
}

// edGuessType types an item number sent without its type: a GTIN when it has the
// digits of one (8, 12, 13 or 14), else the manufacturer's article number.
func edGuessType(id string) string {
	if id == "" {
		return ""
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return "SA"
		}
	}
	switch len(id) {
	case 8, 12, 13, 14:
		return "SRV"
	}
	return "SA"
}

// edNumber writes a number with '.' as its decimal mark: EDIFACT numbers carry no
// grouping, so a single ',' (UNA's decimal mark, or a sender's) is the decimal mark.
func edNumber(s string) string {
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		return strings.Replace(s, ",", ".", 1)
	}
	return s
}

// edDate returns a DTM date as (start, end) CCYYMMDD text by its format code: 102
// CCYYMMDD, 203 CCYYMMDDHHMM, 204 CCYYMMDDHHMMSS, 718 CCYYMMDD-CCYYMMDD; without a
// code, by its shape. A value it cannot read is returned as sent.
func edDate(v, format string) (from, to string) {
	if format == "" {
		switch {
		case len(v) == 17 && strings.Contains(v, "-"):
			format = "718"
		case len(v) == 12:
			format = "203"
		case len(v) == 14:
			format = "204"
		}
	}
	switch format {
	case "203", "204":
		if (format == "203" && len(v) == 12 || format == "204" && len(v) == 14) && isDigits(v) {
			return v[:8], v[:8]
		}
	case "718":
		if a, b, ok := dateRange(v); ok {
			return a, b
		}
	}
	return v, v
}

// closeInner ends the inner group, making its lines.
func (p *edParser) closeInner(m *edMsg) error {
	if !m.inner.open {
		return nil
	}
	m.inner.open = false
	m.partIn = nil
	enc := &m.outer
	if !enc.open {
		enc = nil
	}
	n, err := p.emitGroup(m, &m.inner, enc)
	if enc != nil {
		enc.lines += n
	}
	return err
}

// closeGroups ends the inner and the outer group; an item-first item without
// locations makes its lines from its own quantities.
func (p *edParser) closeGroups(m *edMsg) error {
	if err := p.closeInner(m); err != nil {
		return err
	}
	if !m.outer.open {
		return nil
	}
	m.outer.open = false
	m.partIn = nil
	if m.layout == 'I' && m.outer.lines == 0 {
		_, err := p.emitGroup(m, &m.outer, nil)
		return err
	}
	return nil
}

// emitGroup makes the lines of group g (enclosed by enc, or nil): one per quantity,
// or one without a quantity.
func (p *edParser) emitGroup(m *edMsg, g, enc *edCtx) (int, error) {
	if len(g.parts) == 0 {
		return 1, p.emitLine(m, nil, g, enc, g.seg)
	}
	for i := range g.parts {
		no := g.parts[i].seg
		if len(g.parts) == 1 {
			no = g.seg
		}
		if err := p.emitLine(m, &g.parts[i], g, enc, no); err != nil {
			return i, err
		}
	}
	return len(g.parts), nil
}

func (p *edParser) emitLine(m *edMsg, pt, g, enc *edCtx, no int64) error {
	if err := p.addReport(m); err != nil {
		return err
	}
	var chain [3]*edCtx
	n := 0
	for _, c := range []*edCtx{pt, g, enc} {
		if c != nil {
			chain[n] = c
			n++
		}
	}
	cs := chain[:n]
	get := func(f func(*edCtx) string) string {
		for _, c := range cs {
			if v := f(c); v != "" {
				return v
			}
		}
		return ""
	}
	party := func(f func(*edCtx) *ediParty) *ediParty {
		for _, c := range cs {
			if pp := f(c); pp.set {
				return pp
			}
		}
		return nil
	}
	res := party(func(c *edCtx) *ediParty { return &c.by })
	if res == nil {
		res = party(func(c *edCtx) *ediParty { return &c.pc })
	}
	if res == nil {
		res = party(func(c *edCtx) *ediParty { return &c.sn })
	}
	if res == nil {
		res = &ediParty{}
	}
	end := party(func(c *edCtx) *ediParty { return &c.end })
	if end == nil {
		end = &ediParty{}
	}

	v := p.vals
	clear(v)
	v[fInvoiceDate] = firstOf(get(func(c *edCtx) string { return c.date }), m.start, m.end)
	v[fInvoiceNumber] = get(func(c *edCtx) string { return c.inv })
	v[fResellerID] = firstOf(get(func(c *edCtx) string { return c.locID }), res.id)
	v[fResellerName] = firstOf(res.name, get(func(c *edCtx) string { return c.locName }))
	v[fResellerVAT] = firstOf(get(func(c *edCtx) string { return c.vat }), res.vat)
	v[fResellerReg] = get(func(c *edCtx) string { return c.reg })
	v[fResellerAddr], v[fResellerCity], v[fResellerPC], v[fResellerCtry] = res.address, res.city, res.postcode, res.country
	v[fEndName], v[fEndPC], v[fEndCtry] = end.name, end.postcode, end.country
	var ids ediIDs
	for _, c := range cs {
		ids.fill(&c.ids)
	}
	v[fSKU], v[fDistSKU], v[fGTIN] = ids.v[idSKU], ids.v[idDist], ids.v[idGTIN]
	var qty, amount, amtCur string
	ret := false
	if pt != nil {
		qty, ret, amount, amtCur = pt.qty, pt.ret, pt.amount, pt.amtCur
	}
	if amount == "" && (pt == nil || len(g.parts) == 1) {
		amount, amtCur = g.amount, g.amtCur
	}
	if ret {
		qty, amount = negate(qty), negate(amount)
	}
	v[fQuantity], v[fAmount] = qty, amount
	v[fUnitPrice] = firstOf(get(func(c *edCtx) string { return c.price }), get(func(c *edCtx) string { return c.gross }))
	v[fCurrency] = firstOf(amtCur, get(func(c *edCtx) string { return c.cur }), m.rep.Currency)
	errMsg := get(func(c *edCtx) string { return c.err })
	errMsg = firstOf(errMsg, m.hdr.err)
	raw := g.raw.b
	if pt != nil {
		raw = joinRaw(&g.raw, &pt.raw, p.termText)
	}
	return p.out.AddLine(no, raw, errMsg, v)
}
