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

	"github.com/salesout/salesout/pipeline/canon"
	"github.com/salesout/salesout/pipeline/formats/edi"
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
	p := &x12Parser{sc: edi.NewScanner(r), out: edi.NewOutbox(emit, done), vals: make([]string, len(canon.Fields)), sep: edi.Separators{Release: -1}}
	p.env = edi.NewEnvelope(edi.X12, p.out, p.endSet)
	defer p.out.Close()
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
	sc   *edi.Scanner
	out  *edi.Outbox
	env  *edi.Envelope
	seg  edi.Segment
	vals []string

	sep      edi.Separators
	termText string
	started  bool

	set *x12Set // the open transaction set, nil between sets

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
	if err := p.sc.SkipBOMAndSpace(); err != nil && err != io.EOF {
		return err
	}
	if !p.sc.StartsWith("ISA") {
		return fmt.Errorf("not an X12 file: expected an ISA interchange header at the start, found %s", p.sc.DescribeStart())
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
	if p.sets867 == 0 && p.otherSets > 0 {
		return fmt.Errorf("not an X12 867 file: expected 867 transaction sets, found only %s", p.otherType)
	}
	return nil
}

// next reads the next segment into p.seg.
func (p *x12Parser) next() error {
	if err := p.sc.SkipBreaks(); err != nil {
		return err
	}
	if p.sc.StartsWith("ISA") {
		ok, err := p.readISA()
		if err != nil || ok {
			return err
		}
	}
	data, long, err := p.sc.Read(p.sep.Term, -1)
	if err != nil {
		return err
	}
	p.seg.Split(p.sc.Ord(), data, long, p.sep, edi.DecodeAuto)
	return nil
}

// readISA reads an ISA header, which fixes the separators (edi.ParseISA). When the
// header cannot be read, the first is an error (the file is not X12) and a later one is
// read with the current separators (ok false), its interchange quarantined.
func (p *x12Parser) readISA() (ok bool, err error) {
	sep, n, reason := edi.ParseISA(p.sc.Peek(edi.ISALength))
	if reason != "" {
		if !p.started {
			return false, fmt.Errorf("not an X12 file: malformed ISA interchange header (%s): %s", reason, p.sc.DescribeStart())
		}
		p.pendingISA = reason
		return false, nil
	}
	p.started = true
	p.sep, p.termText = sep, sep.TermText()
	data := p.sc.ReadFixed(n, n+1)
	p.seg.Split(p.sc.Ord(), data, false, p.sep, edi.DecodeAuto)
	return true, nil
}

func (p *x12Parser) segment(s *edi.Segment) error {
	switch s.Tag {
	case "ISA":
		headerErr := ""
		if p.pendingISA != "" {
			headerErr = fmt.Sprintf("%s: malformed interchange header (%s)", s.Where(), p.pendingISA)
			p.pendingISA = ""
		}
		return p.env.OpenInterchange(s, s.El(13), headerErr)
	case "IEA":
		return p.env.CloseInterchange(s)
	case "GS":
		return p.env.OpenGroup(s, s.El(6))
	case "GE":
		return p.env.CloseGroup(s)
	case "ST":
		ctl := s.El(2)
		group, err := p.env.OpenMessage(s, ctl)
		if err != nil {
			return err
		}
		st := &x12Set{ord: -1, group: group, is867: s.El(1) == "867"}
		if st.is867 {
			p.sets867++
			st.rep = &Report{Purpose: PurposeOriginal, Control: ctl, Seg: s.Ord}
			if !p.env.InGroup() {
				st.envErr = fmt.Sprintf("transaction set %s (%s): outside a functional group (no GS)", ctl, s.Where())
			}
		} else {
			p.otherSets++
			if p.otherType == "" {
				p.otherType = "transaction set " + edi.Quoted(s.El(1))
			}
		}
		p.set = st
		return nil
	case "SE":
		return p.env.CloseMessage(s)
	}
	if !p.env.Body() || !p.set.is867 {
		return nil // between sets, or not an 867: ignored
	}
	return p.body(p.set, s)
}

func (p *x12Parser) addReport(st *x12Set) error {
	if st.ord >= 0 {
		return nil
	}
	ord, err := p.out.AddReport(st.rep, st.group)
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
	p.out.SetReportErr(st.ord, firstOf(st.envErr, reason))
	return nil
}

// body handles a segment inside an 867 transaction set.
func (p *x12Parser) body(st *x12Set, s *edi.Segment) error {
	it := &st.item
	if s.Long {
		msg := fmt.Sprintf("%s: segment longer than %d KiB", s.Where(), edi.MaxSegment>>10)
		switch {
		case it.open:
			it.err = firstOf(it.err, msg)
		case st.inPTD:
			st.ptd.err = firstOf(st.ptd.err, msg)
		default:
			st.err = firstOf(st.err, msg)
		}
	}
	switch s.Tag {
	case "BPT":
		if !st.detail {
			st.rep.Purpose = edi.PurposeX12(s.El(1))
			st.rep.ID = s.El(2)
		}
	case "CUR":
		switch cur := s.El(2); {
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
		qual, val := s.El(1), s.El(2)
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
		st.ptd = x12PTD{ret: x12ReturnTypes[s.El(1)]}
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
		switch s.El(1) {
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
		pt.name = s.El(2)
		pt.idQualifier = s.El(3)
		switch id := s.El(4); pt.idQualifier {
		case "1", "9": // D-U-N-S
			pt.reg = id
		default:
			pt.id = id
		}
		st.party = pt
	case "N2":
		if st.party != nil && !it.open && st.party.name == "" {
			st.party.name = joinNonEmpty(" ", s.El(1), s.El(2))
		}
	case "N3":
		if st.party != nil && !it.open {
			st.party.address = joinNonEmpty(", ", st.party.address, s.El(1), s.El(2))
		}
	case "N4":
		if st.party != nil && !it.open {
			st.party.city, st.party.postcode, st.party.country = s.El(1), s.El(3), s.El(4)
		}
	case "SII", "LIN", "QTY":
		if st.inPTD && !st.summary {
			if err := p.itemSegment(st, s); err != nil {
				return err
			}
		}
	case "UIT":
		if it.open {
			it.price = firstOf(it.price, s.El(2))
		}
	case "AMT":
		if it.open {
			switch qual, amt := s.El(1), s.El(2); {
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
	if it.open && it.last != s.Ord {
		it.raw.add(edi.DecodeAuto(s.Data), p.termText)
		it.last = s.Ord
	}
	return nil
}

// dtm reads a DTM: DTM02 (CCYYMMDD), or DTM05 / DTM06 (D8, RD8 ranges, DT).
func (p *x12Parser) dtm(st *x12Set, s *edi.Segment) {
	qual := s.El(1)
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
func x12DTMValue(s *edi.Segment) (from, to string) {
	if d := s.El(2); d != "" {
		return d, d
	}
	v := s.El(6)
	switch s.El(5) {
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

// itemSegment handles SII, LIN and QTY, which open line items or complete the open one.
func (p *x12Parser) itemSegment(st *x12Set, s *edi.Segment) error {
	it := &st.item
	switch s.Tag {
	case "SII":
		st.hasSII = false // a new SII loop: the previous one's ids no longer apply
		if err := p.openItem(st, s); err != nil {
			return err
		}
		var ids ediIDs
		if q := s.El(3); isPlainNumber(q) || s.N() <= 3 {
			// standard SII: SII01/02 id, SII03 quantity, SII05 unit price, SII07 amount
			ids.add(x12IDKinds, s.El(1), s.El(2))
			it.qtyAlt, it.priceAlt, it.amtAlt = q, s.El(5), s.El(7)
		} else {
			// qualifier / id pairs, as in LIN
			for i := 1; i+1 <= s.N(); i += 2 {
				ids.add(x12IDKinds, s.El(i), s.El(i+1))
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
		for i := 2; i+1 <= s.N(); i += 2 {
			ids.add(x12IDKinds, s.El(i), s.El(i+1))
		}
		ids.fill(&it.ids)
		it.ids = ids
	case "QTY":
		if s.El(1) != "39" {
			return nil // another quantity (not the one sold): ignored
		}
		if !it.open || it.hasQty {
			if err := p.openItem(st, s); err != nil {
				return err
			}
		}
		it.hasQty = true
		it.qty = s.El(2)
		if it.qty == "" {
			it.err = firstOf(it.err, s.Where()+": quantity element missing (QTY02)")
		}
	}
	return nil
}

// openItem closes the open item and opens one at s.
func (p *x12Parser) openItem(st *x12Set, s *edi.Segment) error {
	if err := p.flushItem(st); err != nil {
		return err
	}
	it := &st.item
	raw := it.raw
	raw.reset()
	*it = x12Item{open: true, seg: s.Ord, last: s.Ord, raw: raw}
	if st.hasSII {
		it.ids = st.sii
	}
	it.raw.add(edi.DecodeAuto(s.Data), p.termText)
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
	return p.out.AddLine(it.seg, it.raw.b, firstOf(it.err, ptd.err, st.err), v)
}
