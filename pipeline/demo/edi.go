package demo

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FOXTROT's ANSI X12 867 and GOLF's UN/EDIFACT SLSRPT files, written the way
// shared/docs/formats.md reads them.

// ediParties are the interchange's sender (the distributor) and receiver (the
// manufacturer): X12 ids, or EDIFACT GLNs.
type ediParties struct {
	sender, senderName, receiver, receiverName string
}

// orders cuts lines (sorted by date and order) into runs of one order each.
func orders(lines []*line) [][]*line {
	var out [][]*line
	for i, l := range lines {
		if i == 0 || l.order != lines[i-1].order {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], l)
	}
	return out
}

// x12Buyer is a reseller as FOXTROT's 867 gives it: account number and name in N1*BY,
// postcode in N4.
type x12Buyer struct {
	id       string
	name     string
	postcode string
}

// x12BuyerOf is p as FOXTROT's 867 gives it.
func x12BuyerOf(p *party) x12Buyer {
	return x12Buyer{id: p.accounts[foxtrot], name: x12Text(p.spellings[foxtrot]), postcode: p.postcode}
}

// edifactBuyer is a reseller as GOLF's LOC+162 (account number) and NAD+BY (name
// components, postcode) give it, before escaping.
type edifactBuyer struct {
	id       string
	name     []string
	postcode string
}

// edifactBuyerOf is p as GOLF's SLSRPT gives it.
func edifactBuyerOf(p *party) edifactBuyer {
	return edifactBuyer{id: p.accounts[golf], name: edifactName(p.spellings[golf]), postcode: p.postcode}
}

// x12Text is an X12 element value: upper-case ASCII, without the separators.
var x12Clean = strings.NewReplacer("*", " ", "~", " ", ">", " ", "^", " ")

func x12Text(s string) string { return x12Clean.Replace(strings.ToUpper(ascii(s))) }

// x12 is ff as FOXTROT's 867 (version 4010): one interchange, one functional group, one
// transaction set; '*' between elements, '~' and a line break after each segment. The
// header carries the purpose (BPT 00 original, 05 replacement), the report period
// (DTM 090 and 091) and the currency; then one PTD loop per invoice (PTD RT for its
// returns), with the reseller (N1 BY and its account number, the VAT on most), and a
// QTY loop per line: quantity, LIN with our SKU (VP) and the GTIN (UP), unit price,
// amount.
func (def *feedDef) x12(ff *feedFile) string {
	var b strings.Builder
	segs := 0 // of the transaction set, ST and SE included
	seg := func(elems ...string) {
		b.WriteString(strings.Join(elems, "*"))
		b.WriteString("~\n")
		segs++
	}
	e := def.edi
	ctl := fmt.Sprintf("%09d", ff.control)
	gs := strconv.Itoa(ff.control)
	fmt.Fprintf(&b, "ISA*00*%-10s*00*%-10s*ZZ*%-15s*ZZ*%-15s*%s*%s*U*00401*%s*0*P*>~\n",
		"", "", e.sender, e.receiver, ff.sent.Format("060102"), ff.sent.Format("1504"), ctl)
	fmt.Fprintf(&b, "GS*PT*%s*%s*%s*%s*%s*X*004010~\n", e.sender, e.receiver, ff.sent.Format("20060102"), ff.sent.Format("1504"), gs)
	segs = 0
	seg("ST", "867", "0001")
	purpose := "00"
	if ff.replaces {
		purpose = "05"
	}
	seg("BPT", purpose, "FX"+ff.from.Format("200601"), ff.sent.Format("20060102"), "DD")
	seg("CUR", "SE", "EUR")
	seg("DTM", "090", ff.from.Format("20060102"))
	seg("DTM", "091", ff.through.Format("20060102"))
	seg("N1", "DS", e.senderName, "91", e.sender)
	seg("N1", "MF", e.receiverName, "92", e.receiver)
	items := 0
	for _, o := range orders(ff.lines) {
		var sales, returns []*line
		for _, l := range o {
			if l.qty < 0 {
				returns = append(returns, l)
			} else {
				sales = append(sales, l)
			}
		}
		for _, loop := range []struct {
			code  string
			lines []*line
		}{{"SS", sales}, {"RT", returns}} {
			if len(loop.lines) == 0 {
				continue
			}
			first := loop.lines[0]
			p := first.party
			seg("PTD", loop.code)
			seg("DTM", "003", first.date.Format("20060102"))
			seg("REF", "IV", first.invoice)
			by := x12BuyerOf(p)
			seg("N1", "BY", by.name, "91", by.id)
			seg("N3", x12Text(p.address))
			seg("N4", x12Text(p.city), "", by.postcode, p.country)
			if first.withVAT {
				seg("REF", "VX", p.vatPrinted)
			}
			for _, l := range loop.lines {
				items++
				qty := def.dialect.integer(int64(abs(l.qty)))
				if l.bad == badQuantity {
					qty = "douze"
				}
				seg("QTY", "39", qty, "EA")
				if l.bad != badProduct {
					seg("LIN", "", "VP", l.product.sku, "UP", l.product.gtin)
				}
				seg("UIT", "EA", def.dialect.money(l.price))
				seg("AMT", "1", def.dialect.money(abs64(l.amount())))
				if l.bad == badDate {
					// The line's own invoice date, garbled, overrides the loop's.
					seg("DTM", "003", def.badDate(l.date))
				}
			}
		}
	}
	seg("CTT", strconv.Itoa(items))
	seg("SE", strconv.Itoa(segs+1), "0001")
	fmt.Fprintf(&b, "GE*1*%s~\nIEA*1*%s~\n", gs, ctl)
	return b.String()
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// edifactEscape puts the release character before the separators in an EDIFACT value.
var edifactEscape = strings.NewReplacer("?", "??", "'", "?'", "+", "?+", ":", "?:")

// edifactName splits a name into the components of C080, of 35 characters at most, at
// spaces (a reader joins them with one).
func edifactName(name string) []string {
	var parts []string
	cur := ""
	for _, w := range strings.Fields(name) {
		switch {
		case cur == "":
			cur = w
		case utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) <= 35:
			cur += " " + w
		default:
			parts = append(parts, cur)
			cur = w
		}
	}
	return append(parts, cur)
}

// edifact is ff as GOLF's SLSRPT (D96A, EANCOM): UNA, UNOC (the caller encodes the text
// as Latin-1), a line break after each segment, one message in the location-first
// layout: a location group per reseller (LOC 162 with GOLF's account number, NAD BY,
// RFF VA when known), then a line group per sale: LIN with the GTIN, PIA with our SKU,
// net unit price, line amount, quantity (QTY 153, or 77 for a return) and sales date.
func (def *feedDef) edifact(ff *feedFile) string {
	var b strings.Builder
	segs := 0 // of the message, UNH and UNT included
	seg := func(tag string, elems ...string) {
		b.WriteString(tag)
		for _, e := range elems {
			b.WriteString("+" + e)
		}
		b.WriteString("'\n")
		segs++
	}
	e := def.edi
	ref := fmt.Sprintf("G%09d", ff.control)
	b.WriteString("UNA:+.? '\n")
	seg("UNB", "UNOC:3", e.sender+":14", e.receiver+":14", ff.sent.Format("060102:1504"), ref)
	segs = 0
	seg("UNH", "1", "SLSRPT:D:96A:UN:EAN004")
	seg("BGM", "73E", "GOLF-SR-"+ff.from.Format("200601"), "9")
	seg("DTM", "137:"+ff.sent.Format("20060102")+":102")
	seg("DTM", "90:"+ff.from.Format("20060102")+":102")
	seg("DTM", "91:"+ff.through.Format("20060102")+":102")
	seg("NAD", "SU", e.receiver+"::9")
	seg("NAD", "FR", e.sender+"::9")
	seg("CUX", "2:EUR:4")

	// The resellers in the order of their account numbers, each one's sales by date.
	var resellers []*party
	byReseller := map[*party][]*line{}
	for _, l := range ff.lines {
		if byReseller[l.party] == nil {
			resellers = append(resellers, l.party)
		}
		byReseller[l.party] = append(byReseller[l.party], l)
	}
	acct := func(p *party) string { return p.accounts[golf] }
	slices.SortStableFunc(resellers, func(a, b *party) int { return strings.Compare(acct(a), acct(b)) })
	n := 0
	for _, p := range resellers {
		lines := byReseller[p]
		by := edifactBuyerOf(p)
		id := edifactEscape.Replace(by.id) + "::91"
		seg("LOC", "162", id)
		name := slices.Clone(by.name)
		for i := range name {
			name[i] = edifactEscape.Replace(name[i])
		}
		seg("NAD", "BY", id, "", strings.Join(name, ":"), edifactEscape.Replace(p.address),
			edifactEscape.Replace(p.city), "", edifactEscape.Replace(by.postcode), p.country)
		for _, l := range lines {
			if l.withVAT {
				seg("RFF", "VA:"+edifactEscape.Replace(p.vatPrinted))
				break
			}
		}
		for _, l := range lines {
			n++
			if l.bad == badProduct {
				seg("LIN", strconv.Itoa(n))
			} else {
				seg("LIN", strconv.Itoa(n), "", l.product.gtin+":EN")
				seg("PIA", "1", edifactEscape.Replace(l.product.sku)+":SA")
			}
			seg("PRI", "AAA:"+def.dialect.money(l.price))
			seg("MOA", "203:"+def.dialect.money(abs64(l.amount())))
			qty := def.dialect.integer(int64(abs(l.qty)))
			if l.bad == badQuantity {
				qty = "douze"
			}
			if l.qty < 0 {
				seg("QTY", "77:"+qty)
			} else {
				seg("QTY", "153:"+qty)
			}
			date := l.date.Format("20060102")
			if l.bad == badDate {
				date = def.badDate(l.date)
			}
			seg("DTM", "356:"+date+":102")
		}
	}
	seg("UNS", "S")
	seg("CNT", "2:"+strconv.Itoa(n))
	seg("UNT", strconv.Itoa(segs+1), "1")
	fmt.Fprintf(&b, "UNZ+1+%s'\n", ref)
	return b.String()
}
