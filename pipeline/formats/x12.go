package formats

// ANSI X12 867 (Product Transfer and Resale Report), versions 4010 and 5010, read
// with the mapping of shared/docs/formats.md.
//
// Structure read (other segments are ignored):
//
//	ISA  GS  ST*867  BPT CUR DTM*090 DTM*091 ...          (header)
//	     PTD  DTM REF  N1 N2 N3 N4 REF ...                (PTD loop: transfer type, reseller)
//	          [SII]  QTY*39 LIN UIT AMT REF DTM CUR ...   (one line item: QTY loop; 5010 SII loop)
//	     CTT SE GE IEA
//
// A line item opens with QTY, LIN or SII, in either order (QTY then LIN, as the
// standard has it, or LIN then QTY, as many senders write it): a LIN or QTY joins the
// open item when that item lacks one, else opens the next item. Items after an SII
// inherit its product ids (an SII loop may hold several QTY loops).

import (
	"fmt"
	"io"
	"strconv"

	"github.com/salesout/salesout/pipeline/canon"
)

// ReadX12 reads an X12 file holding 867 transaction sets and passes each line, with
// the report (transaction set) it belongs to, to emit. See ReadX12Reports.
func ReadX12(r io.Reader, emit func(line canon.Line, rep *Report) error) error {
	return ReadX12Reports(r, emit, nil)
}

// ReadX12Reports is ReadX12 with done (may be nil) called after each report's lines,
// also for reports without lines.
//
// Lines are passed in file order, interchange by interchange, once the interchange's
// IEA trailer has been read: a segment count or control number mismatch (SE, GE, IEA),
// a missing trailer or a transaction set outside a functional group sets Report.Err on
// the transaction sets concerned and Line.Err on each of their lines; the other sets
// load. The error returned is for I/O errors, an error from emit or done, and a file
// that is not X12 (no ISA at the start) or holds no 867 transaction set although it
// holds others.
func ReadX12Reports(r io.Reader, emit func(line canon.Line, rep *Report) error, done ReportDone) error {
	p := &x12Parser{sc: newEDIScanner(r), out: newEDIOutbox(emit, done), vals: make([]string, len(canon.Fields))}
	defer p.out.close()
	return p.run()
}

// LIN / SII product id qualifiers (formats.md): rank 1 wins over rank 2.
var x12IDKinds = map[string]ediIDKind{
	"VP": {idSKU, 1}, "MG": {idSKU, 2},
	"BP": {idDist, 1}, "VN": {idDist, 2},
	"UP": {idGTIN, 1}, "EN": {idGTIN, 2}, "UK": {idGTIN, 3},
}

// x12ReturnTypes are PTD01 product transfer type codes that report returns: BN
// return, RU return to usable inventory, RV return to vendor, RB/RP return of broken /
// list price, and the RT / CR codes some implementation guides use.
var x12ReturnTypes = map[string]bool{"BN": true, "RU": true, "RV": true, "RB": true, "RP": true, "RT": true, "CR": true}

// x12TotalAmounts are AMT01 qualifiers of totals (never a line amount), and LI, a
// unit price.
var x12TotalAmounts = map[string]bool{
	"2": true, "3": true, "4": true, "5": true, "8": true, "9": true, "AD": true, "BT": true,
	"NP": true, "OP": true, "PA": true, "SC": true, "TP": true, "TT": true,
}

type x12Parser struct {
	sc   *ediScanner
	out  *ediOutbox
	seg  ediSeg
	vals []string

	elem, comp, term byte
	termText         string
	started          bool

	// interchange
	inISA   bool
	isaCtl  string
	isaSeg  int64
	groups  int
	ichErr  string
	implied bool

	// functional group
	inGS     bool
	gsCtl    string
	gsSeg    int64
	gsSets   int
	groupOrd int

	set *x12Set

	sets867    int
	otherSets  int
	otherType  string
	pendingISA string // a malformed ISA's reason, for the interchange it opens
}

// x12Set is the transaction set being read.
type x12Set struct {
	rep     *Report
	ord     int // outbox ordinal, -1 until the report is added
	group   int
	is867   bool
	segs    int
	ctl     string
	seg     int64
	err     string // line-level problem of the header (an unreadable segment)
	envErr  string // the set is outside a functional group
	detail  bool   // a PTD was seen: header segments no longer apply
	summary bool   // CTT seen
	ptd     x12PTD
	inPTD   bool
	party   *ediParty // N1 loop being read
	sink    ediParty  // N1 loops the mapping does not use
	item    x12Item
	sii     ediIDs // ids of the current SII loop
	hasSII  bool
}

// x12PTD is the PTD loop being read.
type x12PTD struct {
	ret                 bool
	d003, d011, invoice string
	cur, err            string
	by, st, so, uc, en  ediParty
}

// x12Item is the line item being read.
type x12Item struct {
	open            bool
	seg             int64
	hasQty, hasLIN  bool
	qty, qtyAlt     string
	ids             ediIDs
	price, priceAlt string
	amount, amtAlt  string
	d003, d011      string
	invoice, cur    string
	err             string
	last            int64
	raw             ediRaw
}

func (p *x12Parser) run() error {
	if err := p.sc.skipBOMAndSpace(); err != nil && err != io.EOF {
		return err
	}
	if !p.sc.startsWith("ISA") {
		return fmt.Errorf("not an X12 file: expected an ISA interchange header at the start, found %s", p.sc.describeStart())
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
	if err := p.endInterchange(fmt.Sprintf("interchange %s (segment %d): no IEA trailer before the end of the file", p.isaCtl, p.isaSeg)); err != nil {
		return err
	}
	if p.sets867 == 0 && p.otherSets > 0 {
		return fmt.Errorf("not an X12 867 file: expected 867 transaction sets, found only %s", p.otherType)
	}
	return nil
}

// next reads the next segment into p.seg.
func (p *x12Parser) next() error {
	if err := p.sc.skipBreaks(); err != nil {
		return err
	}
	if p.sc.startsWith("ISA") {
		ok, err := p.readISA()
		if err != nil || ok {
			return err
		}
	}
	data, long, err := p.sc.read(p.term, -1)
	if err != nil {
		return err
	}
	p.seg.split(p.sc.ord, data, long, p.elem, p.comp, -1, decodeAuto)
	return nil
}

// readISA reads an ISA header, which fixes the separators: the element separator is
// the byte after "ISA", the component separator is ISA16 (after the 16th element
// separator) and the segment terminator the byte after it. When the header cannot be
// read, the first is an error (the file is not X12) and a later one is read with the
// current separators (ok false), its interchange quarantined.
func (p *x12Parser) readISA() (ok bool, err error) {
	head, _ := p.sc.br.Peek(512)
	reason := ""
	end := -1
	if len(head) < 4 {
		reason = "too short"
	} else if elem := head[3]; isAlnum(elem) || elem == ' ' || elem == '\r' || elem == '\n' {
		reason = fmt.Sprintf("element separator %q is not a separator", elem)
	} else {
		n := 0
		for i := 3; i < len(head); i++ {
			if head[i] == elem {
				n++
				if n == 16 {
					end = i
					break
				}
			}
		}
		switch {
		case end < 0 || end+2 >= len(head):
			reason = "fewer than 16 elements"
		case head[end+2] == elem || isAlnum(head[end+2]) || head[end+2] == ' ':
			reason = fmt.Sprintf("segment terminator %q after ISA16 is not a separator", head[end+2])
		}
	}
	if reason != "" {
		if !p.started {
			return false, fmt.Errorf("not an X12 file: malformed ISA interchange header (%s): %s", reason, p.sc.describeStart())
		}
		p.pendingISA = reason
		return false, nil
	}
	p.started = true
	p.elem, p.comp, p.term = head[3], head[end+1], head[end+2]
	p.termText = termText(p.term)
	data := append([]byte(nil), head[:end+2]...)
	p.sc.br.Discard(end + 3)
	p.sc.ord++
	p.seg.split(p.sc.ord, data, false, p.elem, p.comp, -1, decodeAuto)
	return true, nil
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

func (p *x12Parser) segment(s *ediSeg) error {
	switch s.tag {
	case "ISA":
		if p.inISA {
			if err := p.endInterchange(fmt.Sprintf("interchange %s (segment %d): no IEA trailer before %s", p.isaCtl, p.isaSeg, s.where())); err != nil {
				return err
			}
		}
		p.inISA, p.isaCtl, p.isaSeg, p.groups, p.implied = true, s.el(13), s.ord, 0, false
		p.ichErr = ""
		if p.pendingISA != "" {
			p.ichErr = fmt.Sprintf("%s: malformed interchange header (%s)", s.where(), p.pendingISA)
			p.pendingISA = ""
		}
		return nil
	case "IEA":
		if !p.inISA {
			return nil
		}
		if err := p.endGroupIfOpen(s); err != nil {
			return err
		}
		if p.ichErr == "" {
			if n, ok := atoi(s.el(1)); !ok || n != p.groups {
				p.ichErr = fmt.Sprintf("interchange %s: IEA01 says %s functional groups, the interchange has %d", p.isaCtl, quoteOr(s.el(1)), p.groups)
			} else if !p.implied && s.el(2) != p.isaCtl {
				p.ichErr = fmt.Sprintf("interchange %s: IEA02 control number %s does not match ISA13", p.isaCtl, quoteOr(s.el(2)))
			}
		}
		return p.endInterchange("")
	case "GS":
		p.openInterchangeIfNone(s)
		if err := p.endGroupIfOpen(s); err != nil {
			return err
		}
		p.inGS, p.gsCtl, p.gsSeg, p.gsSets = true, s.el(6), s.ord, 0
		p.groupOrd++
		p.groups++
		return nil
	case "GE":
		if !p.inGS {
			return nil
		}
		if err := p.endSetIfOpen(s); err != nil {
			return err
		}
		if n, ok := atoi(s.el(1)); !ok || n != p.gsSets {
			p.out.setGroupErr(p.groupOrd, fmt.Sprintf("functional group %s: GE01 says %s transaction sets, the group has %d", p.gsCtl, quoteOr(s.el(1)), p.gsSets))
		} else if s.el(2) != p.gsCtl {
			p.out.setGroupErr(p.groupOrd, fmt.Sprintf("functional group %s: GE02 control number %s does not match GS06", p.gsCtl, quoteOr(s.el(2))))
		}
		p.inGS = false
		return nil
	case "ST":
		p.openInterchangeIfNone(s)
		if err := p.endSetIfOpen(s); err != nil {
			return err
		}
		st := &x12Set{ord: -1, segs: 1, ctl: s.el(2), seg: s.ord, is867: s.el(1) == "867"}
		if p.inGS {
			p.gsSets++
			st.group = p.groupOrd
		}
		if st.is867 {
			p.sets867++
			st.rep = &Report{Purpose: PurposeOriginal, Control: st.ctl}
			if !p.inGS {
				st.envErr = fmt.Sprintf("transaction set %s (%s): outside a functional group (no GS)", st.ctl, s.where())
			}
		} else {
			p.otherSets++
			if p.otherType == "" {
				p.otherType = "transaction set " + quoteOr(s.el(1))
			}
		}
		p.set = st
		return nil
	case "SE":
		st := p.set
		if st == nil {
			return nil
		}
		st.segs++
		msg := ""
		if n, ok := atoi(s.el(1)); !ok || n != st.segs {
			msg = fmt.Sprintf("transaction set %s: SE01 says %s segments, the set has %d", st.ctl, quoteOr(s.el(1)), st.segs)
		} else if s.el(2) != st.ctl {
			msg = fmt.Sprintf("transaction set %s: SE02 control number %s does not match ST02", st.ctl, quoteOr(s.el(2)))
		}
		return p.endSet(msg)
	}
	st := p.set
	if st == nil {
		return nil // between sets: ignored
	}
	st.segs++
	if !st.is867 {
		return nil
	}
	return p.body(st, s)
}

func (p *x12Parser) openInterchangeIfNone(s *ediSeg) {
	if !p.inISA {
		p.inISA, p.isaCtl, p.isaSeg, p.groups, p.implied = true, "", s.ord, 0, true
		p.ichErr = fmt.Sprintf("%s: outside an interchange (no ISA header before it)", s.where())
	}
}

func (p *x12Parser) endSetIfOpen(s *ediSeg) error {
	if st := p.set; st != nil {
		return p.endSet(fmt.Sprintf("transaction set %s (segment %d): no SE trailer before %s", st.ctl, st.seg, s.where()))
	}
	return nil
}

func (p *x12Parser) endGroupIfOpen(s *ediSeg) error {
	if err := p.endSetIfOpen(s); err != nil {
		return err
	}
	if p.inGS {
		p.out.setGroupErr(p.groupOrd, fmt.Sprintf("functional group %s (segment %d): no GE trailer before %s", p.gsCtl, p.gsSeg, s.where()))
		p.inGS = false
	}
	return nil
}

// endInterchange closes what is open (reason: why the trailers are missing, for
// whatever is still open) and passes the interchange's lines on.
func (p *x12Parser) endInterchange(reason string) error {
	if !p.inISA {
		return nil
	}
	if p.set != nil {
		st := p.set
		if err := p.endSet(fmt.Sprintf("transaction set %s (segment %d): no SE trailer before the end of the file", st.ctl, st.seg)); err != nil {
			return err
		}
	}
	if p.inGS {
		p.out.setGroupErr(p.groupOrd, fmt.Sprintf("functional group %s (segment %d): no GE trailer before the end of the file", p.gsCtl, p.gsSeg))
		p.inGS = false
	}
	if p.ichErr == "" {
		p.ichErr = reason
	}
	p.inISA = false
	err := p.out.flush(p.ichErr)
	p.ichErr = ""
	return err
}

func (p *x12Parser) addReport(st *x12Set) error {
	if st.ord >= 0 {
		return nil
	}
	ord, err := p.out.addReport(st.rep, st.group)
	st.ord = ord
	return err
}

// endSet closes the transaction set with reason (empty: no structural problem).
func (p *x12Parser) endSet(reason string) error {
	st := p.set
	p.set = nil
	if st == nil || !st.is867 {
		return nil
	}
	if err := p.flushItem(st); err != nil {
		return err
	}
	if err := p.addReport(st); err != nil {
		return err
	}
	p.out.setReportErr(st.ord, firstOf(st.envErr, reason))
	return nil
}

// body handles a segment inside an 867 transaction set.
func (p *x12Parser) body(st *x12Set, s *ediSeg) error {
	it := &st.item
	if s.long {
		msg := fmt.Sprintf("%s: segment longer than %d KiB", s.where(), ediMaxSegment>>10)
		switch {
		case it.open:
			it.err = firstOf(it.err, msg)
		case st.inPTD:
			st.ptd.err = firstOf(st.ptd.err, msg)
		default:
			st.err = firstOf(st.err, msg)
		}
	}
	switch s.tag {
	case "BPT":
		if !st.detail {
			st.rep.Purpose = x12Purpose(s.el(1))
			st.rep.ID = s.el(2)
		}
	case "CUR":
		switch cur := s.el(2); {
		case it.open:
			it.cur = firstOf(it.cur, cur)
		case st.inPTD:
			st.ptd.cur = firstOf(st.ptd.cur, cur)
		case !st.detail:
			st.rep.Currency = firstOf(st.rep.Currency, cur)
		}
	case "DTM":
		p.dtm(st, s)
	case "REF":
		qual, val := s.el(1), s.el(2)
		switch {
		case it.open:
			if qual == "IV" {
				it.invoice = firstOf(it.invoice, val)
			}
		case st.inPTD:
			switch {
			case qual == "IV":
				st.ptd.invoice = firstOf(st.ptd.invoice, val)
			case (qual == "VX" || qual == "TJ") && st.party != nil:
				if qual == "VX" || st.party.vat == "" {
					st.party.vat = val
				}
			}
		}
	case "PTD":
		if err := p.flushItem(st); err != nil {
			return err
		}
		st.detail, st.inPTD, st.summary = true, true, false
		st.ptd = x12PTD{ret: x12ReturnTypes[s.el(1)]}
		st.party, st.hasSII = nil, false
	case "N1":
		if !st.inPTD || st.summary {
			st.party = nil
			break
		}
		if err := p.flushItem(st); err != nil {
			return err
		}
		var pt *ediParty
		switch s.el(1) {
		case "BY":
			pt = &st.ptd.by
		case "ST":
			pt = &st.ptd.st
		case "SO":
			pt = &st.ptd.so
		case "UC":
			pt = &st.ptd.uc
		case "EN":
			pt = &st.ptd.en
		}
		if pt == nil || pt.set {
			st.sink = ediParty{}
			pt = &st.sink
		}
		pt.set = true
		pt.name = s.el(2)
		pt.idQualifier = s.el(3)
		switch id := s.el(4); pt.idQualifier {
		case "1", "9": // D-U-N-S
			pt.reg = id
		default:
			pt.id = id
		}
		st.party = pt
	case "N2":
		if st.party != nil && !it.open && st.party.name == "" {
			st.party.name = joinNonEmpty(" ", s.el(1), s.el(2))
		}
	case "N3":
		if st.party != nil && !it.open {
			st.party.address = joinNonEmpty(", ", st.party.address, s.el(1), s.el(2))
		}
	case "N4":
		if st.party != nil && !it.open {
			st.party.city, st.party.postcode, st.party.country = s.el(1), s.el(3), s.el(4)
		}
	case "SII", "LIN", "QTY":
		if st.inPTD && !st.summary {
			if err := p.itemSegment(st, s); err != nil {
				return err
			}
		}
	case "UIT":
		if it.open {
			it.price = firstOf(it.price, s.el(2))
		}
	case "AMT":
		if it.open {
			switch qual, amt := s.el(1), s.el(2); {
			case qual == "LI":
				it.priceAlt = firstOf(it.priceAlt, amt)
			case !x12TotalAmounts[qual]:
				it.amount = firstOf(it.amount, amt)
			}
		}
	case "CTT":
		if err := p.flushItem(st); err != nil {
			return err
		}
		st.summary, st.inPTD, st.party = true, false, nil
	}
	if it.open && it.last != s.ord {
		it.raw.add(decodeAuto(s.data), p.termText)
		it.last = s.ord
	}
	return nil
}

// dtm reads a DTM: DTM02 (CCYYMMDD), or DTM05 / DTM06 (D8, RD8 ranges, DT).
func (p *x12Parser) dtm(st *x12Set, s *ediSeg) {
	qual := s.el(1)
	from, to := x12DTMValue(s)
	it := &st.item
	var d003, d011 *string
	switch {
	case it.open:
		d003, d011 = &it.d003, &it.d011
	case st.inPTD:
		d003, d011 = &st.ptd.d003, &st.ptd.d011
	case !st.detail:
		switch qual {
		case "090":
			if t, ok := parseCCYYMMDD(from); ok {
				st.rep.PeriodStart = t
			}
		case "091":
			if t, ok := parseCCYYMMDD(to); ok {
				st.rep.PeriodEnd = t
			}
		}
		return
	default:
		return
	}
	switch qual {
	case "003":
		*d003 = firstOf(*d003, isoDate(to))
	case "011":
		*d011 = firstOf(*d011, isoDate(to))
	}
}

// x12DTMValue returns a DTM's date as (start, end) CCYYMMDD text; both are the same
// for a single date, and the value as sent when it is not a date.
func x12DTMValue(s *ediSeg) (from, to string) {
	if d := s.el(2); d != "" {
		return d, d
	}
	v := s.el(6)
	switch s.el(5) {
	case "RD8":
		if a, b, ok := dateRange(v); ok {
			return a, b
		}
	case "DT":
		if len(v) >= 8 && isDigits(v) {
			return v[:8], v[:8]
		}
	}
	return v, v
}

func x12Purpose(code string) string {
	switch code {
	case "05", "15":
		return PurposeReplace
	case "01":
		return PurposeCancel
	}
	return PurposeOriginal
}

// itemSegment handles SII, LIN and QTY, which open line items or complete the open one.
func (p *x12Parser) itemSegment(st *x12Set, s *ediSeg) error {
	it := &st.item
	switch s.tag {
	case "SII":
		st.hasSII = false // a new SII loop: the previous one's ids no longer apply
		if err := p.openItem(st, s); err != nil {
			return err
		}
		var ids ediIDs
		if q := s.el(3); isPlainNumber(q) || s.n() <= 3 {
			// standard SII: SII01/02 id, SII03 quantity, SII05 unit price, SII07 amount
			ids.add(x12IDKinds, s.el(1), s.el(2))
			it.qtyAlt, it.priceAlt, it.amtAlt = q, s.el(5), s.el(7)
		} else {
			// qualifier / id pairs, as in LIN
			for i := 1; i+1 <= s.n(); i += 2 {
				ids.add(x12IDKinds, s.el(i), s.el(i+1))
			}
		}
		st.sii, st.hasSII = ids, true
		it.ids.fill(&ids)
	case "LIN":
		if !it.open || it.hasLIN {
			if err := p.openItem(st, s); err != nil {
				return err
			}
		}
		it.hasLIN = true
		var ids ediIDs
		for i := 2; i+1 <= s.n(); i += 2 {
			ids.add(x12IDKinds, s.el(i), s.el(i+1))
		}
		ids.fill(&it.ids)
		it.ids = ids
	case "QTY":
		if s.el(1) != "39" {
			return nil // another quantity (not the one sold): ignored
		}
		if !it.open || it.hasQty {
			if err := p.openItem(st, s); err != nil {
				return err
			}
		}
		it.hasQty = true
		it.qty = s.el(2)
		if it.qty == "" {
			it.err = firstOf(it.err, s.where()+": quantity element missing (QTY02)")
		}
	}
	return nil
}

// openItem closes the open item and opens one at s.
func (p *x12Parser) openItem(st *x12Set, s *ediSeg) error {
	if err := p.flushItem(st); err != nil {
		return err
	}
	it := &st.item
	raw := it.raw
	raw.reset()
	*it = x12Item{open: true, seg: s.ord, last: s.ord, raw: raw}
	if st.hasSII {
		it.ids = st.sii
	}
	it.raw.add(decodeAuto(s.data), p.termText)
	return nil
}

// flushItem turns the open item into a line.
func (p *x12Parser) flushItem(st *x12Set) error {
	it := &st.item
	if !it.open {
		return nil
	}
	it.open = false
	if err := p.addReport(st); err != nil {
		return err
	}
	v := p.vals
	clear(v)
	ptd := &st.ptd
	v[fInvoiceDate] = firstOf(it.d003, ptd.d003, it.d011, ptd.d011)
	v[fInvoiceNumber] = firstOf(it.invoice, ptd.invoice)
	res := &ptd.by
	if !res.set {
		res = &ptd.st
	}
	if !res.set {
		res = &ptd.so
	}
	v[fResellerID], v[fResellerReg], v[fResellerName] = res.id, res.reg, res.name
	v[fResellerVAT], v[fResellerAddr] = res.vat, res.address
	v[fResellerCity], v[fResellerPC], v[fResellerCtry] = res.city, res.postcode, res.country
	end := &ptd.uc
	if !end.set {
		end = &ptd.en
	}
	v[fEndName], v[fEndPC], v[fEndCtry] = end.name, end.postcode, end.country
	v[fSKU], v[fDistSKU], v[fGTIN] = it.ids.v[idSKU], it.ids.v[idDist], it.ids.v[idGTIN]
	qty := it.qty
	if !it.hasQty {
		qty = it.qtyAlt
	}
	amount := firstOf(it.amount, it.amtAlt)
	if ptd.ret {
		qty, amount = negate(qty), negate(amount)
	}
	v[fQuantity], v[fAmount] = qty, amount
	v[fUnitPrice] = firstOf(it.price, it.priceAlt)
	v[fCurrency] = firstOf(it.cur, ptd.cur, st.rep.Currency)
	return p.out.addLine(it.seg, it.raw.b, firstOf(it.err, ptd.err, st.err), v)
}

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func quoteOr(s string) string {
	if s == "" {
		return "nothing"
	}
	return strconv.Quote(s)
}
