package formats

// What the X12 and EDIFACT readers share above the envelope (package edi): the
// canonical fields they fill, the parties and product ids of a line, and its raw text.

import (
	"unicode/utf8"

	"github.com/salesout/salesout/pipeline/canon"
	"github.com/salesout/salesout/pipeline/formats/edi"
)

// The reports of the EDI readers are package edi's, named here for their callers.
type (
	Report     = edi.Report
	ReportDone = edi.ReportDone
)

// Report purposes.
const (
	PurposeOriginal = edi.PurposeOriginal
	PurposeReplace  = edi.PurposeReplace
	PurposeCancel   = edi.PurposeCancel
)

// ediMaxRaw caps canon.Line.Raw.
const ediMaxRaw = 4 << 10

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
