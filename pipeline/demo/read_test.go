package demo

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/salesout/salesout/pipeline/config"
)

// A small reader of feed files, written from the contract rather than from the
// generator, to check that the files are what config.yaml says they are.

// feedTable is a feed file read: its header and its data rows as records.
type feedTable struct {
	header []string
	rows   [][]string
}

// readFeedFile unwraps (.gz, .zip), decodes, skips the preamble and splits the records
// of one file of feed f.
func readFeedFile(path string, f config.Feed) (*feedTable, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	switch {
	case strings.HasSuffix(path, ".gz"):
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		if raw, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	case strings.HasSuffix(path, ".zip"):
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			return nil, err
		}
		if len(zr.File) != 1 {
			return nil, fmt.Errorf("%d files in the zip, want 1", len(zr.File))
		}
		rc, err := zr.File[0].Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		if raw, err = io.ReadAll(rc); err != nil {
			return nil, err
		}
	}
	text, err := decode(raw, f.CSV.Encoding)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < f.CSV.HeaderRow {
		return nil, fmt.Errorf("%d lines, header expected on line %d", len(lines), f.CSV.HeaderRow)
	}
	var records [][]string
	for _, l := range lines[f.CSV.HeaderRow-1:] {
		rec, err := splitRecord(strings.TrimSuffix(l, "\r"), f.CSV.DelimiterRune(), []rune(f.CSV.Quote)[0])
		if err != nil {
			return nil, err
		}
		records = append(records, rec)
	}
	t := &feedTable{header: records[0], rows: records[1:]}
	for field, col := range f.Columns {
		if !slices.Contains(t.header, col) {
			return nil, fmt.Errorf("no column %q (%s) in the header %q", col, field, t.header)
		}
	}
	for i, r := range t.rows {
		if len(r) != len(t.header) {
			return nil, fmt.Errorf("row %d has %d fields, the header %d", i+1, len(r), len(t.header))
		}
	}
	return t, nil
}

// decode turns raw into text; UTF-8 must be valid, its BOM is dropped.
func decode(raw []byte, encoding string) (string, error) {
	var cm *charmap.Charmap
	switch encoding {
	case "utf-8":
		if !utf8.Valid(raw) {
			return "", fmt.Errorf("not valid UTF-8")
		}
		return strings.TrimPrefix(string(raw), "\ufeff"), nil
	case "windows-1252":
		cm = charmap.Windows1252
	case "iso-8859-15":
		cm = charmap.ISO8859_15
	default:
		return "", fmt.Errorf("unknown encoding %q", encoding)
	}
	b, err := cm.NewDecoder().Bytes(raw)
	if err != nil {
		return "", err
	}
	if bytes.ContainsRune(b, utf8.RuneError) || bytes.ContainsRune(b, 0) {
		return "", fmt.Errorf("bytes that %s does not define", encoding)
	}
	return string(b), nil
}

// splitRecord splits one line into fields; a field that starts with quote runs to the
// next lone quote, a doubled quote inside standing for one.
func splitRecord(s string, delim, quote rune) ([]string, error) {
	var fields []string
	rs := []rune(s)
	for i := 0; ; {
		var b strings.Builder
		if i < len(rs) && rs[i] == quote {
			for i++; ; i++ {
				if i >= len(rs) {
					return nil, fmt.Errorf("unterminated quote in %q", s)
				}
				if rs[i] == quote {
					if i+1 < len(rs) && rs[i+1] == quote {
						b.WriteRune(quote)
						i++
						continue
					}
					i++
					break
				}
				b.WriteRune(rs[i])
			}
			if i < len(rs) && rs[i] != delim {
				return nil, fmt.Errorf("text after a closing quote in %q", s)
			}
		} else {
			for ; i < len(rs) && rs[i] != delim; i++ {
				b.WriteRune(rs[i])
			}
		}
		fields = append(fields, b.String())
		if i >= len(rs) {
			return fields, nil
		}
		i++ // the delimiter
	}
}

// value is the field of row that the feed maps to the canonical field, else its default.
func (t *feedTable) value(f config.Feed, row []string, field string) string {
	if col, ok := f.Columns[field]; ok {
		return row[slices.Index(t.header, col)]
	}
	return f.Defaults[field]
}

// reseller is what row says of its reseller.
func (t *feedTable) reseller(f config.Feed, row []string) resellerRead {
	return resellerRead{
		id: t.value(f, row, "reseller_id"), name: t.value(f, row, "reseller_name"),
		postcode: t.value(f, row, "reseller_postcode"), registration: t.value(f, row, "reseller_registration"),
		vat: t.value(f, row, "reseller_vat"),
	}.trimmed()
}

// parsedLine is a row typed as the loader would type it.
type parsedLine struct {
	date                   time.Time
	qty, unitPrice, amount float64
	currency               string
}

// parse types row; an error is a reason to quarantine it.
func (t *feedTable) parse(f config.Feed, row []string) (parsedLine, error) {
	var l parsedLine
	var err error
	if l.date, err = time.Parse(goLayout(f.CSV.DateFormat), t.value(f, row, "invoice_date")); err != nil {
		return l, err
	}
	if t.value(f, row, "sku")+t.value(f, row, "distributor_sku")+t.value(f, row, "gtin") == "" {
		return l, fmt.Errorf("no product")
	}
	number := func(s string) (float64, error) {
		if f.CSV.Thousands != "" {
			s = strings.ReplaceAll(s, f.CSV.Thousands, "")
		}
		return strconv.ParseFloat(strings.Replace(s, f.CSV.Decimal, ".", 1), 64)
	}
	if l.qty, err = number(t.value(f, row, "quantity")); err != nil {
		return l, err
	}
	if l.unitPrice, err = number(t.value(f, row, "unit_price")); err != nil {
		return l, err
	}
	l.amount = l.qty * l.unitPrice
	if s := t.value(f, row, "amount"); s != "" {
		if l.amount, err = number(s); err != nil {
			return l, err
		}
	}
	l.currency = t.value(f, row, "currency")
	return l, nil
}

// feedFileNames are the files of feed f under its source's folder, by name.
func feedFileNames(c *config.Config, f config.Feed) ([]string, error) {
	entries, err := os.ReadDir(c.Source(f.Source).Dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if ok, _ := filepath.Match(f.Match, e.Name()); ok {
			names = append(names, filepath.Join(c.Source(f.Source).Dir, e.Name()))
		}
	}
	return names, nil
}

// readLine is a line of a feed file typed as the loader would type it, or the reason
// to quarantine it, and what it says of its reseller.
type readLine struct {
	parsedLine
	err      error
	reseller resellerRead
}

// resellerRead is what a line says of its reseller, each value trimmed of spaces as
// the loader trims it ("" is absent).
type resellerRead struct {
	id, name, postcode, registration, vat string
}

// trimmed is r with every value trimmed of leading and trailing spaces.
func (r resellerRead) trimmed() resellerRead {
	return resellerRead{strings.TrimSpace(r.id), strings.TrimSpace(r.name), strings.TrimSpace(r.postcode),
		strings.TrimSpace(r.registration), strings.TrimSpace(r.vat)}
}

// feedRead is a feed file read, whatever its format.
type feedRead struct {
	lines []readLine
	// A report that restates its period (X12 BPT 05): the lines loaded before with a
	// date in [from, to] are superseded.
	replaces bool
	from, to time.Time

	returnLoops int  // X12 PTD loops of returns
	apostrophes int  // EDIFACT reseller names with an apostrophe (released as ?')
	latin1      bool // EDIFACT: bytes that are not UTF-8 (UNOC is Latin-1)
}

// readLines reads a file of feed f in the feed's format.
func readLines(path string, f config.Feed) (*feedRead, error) {
	switch f.Format {
	case "x12-867":
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return readX12(raw)
	case "edifact-slsrpt":
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return readEDIFACT(raw)
	case "xlsx":
		return readXLSX(path, f)
	}
	table, err := readFeedFile(path, f)
	if err != nil {
		return nil, err
	}
	rd := &feedRead{}
	for _, row := range table.rows {
		l, err := table.parse(f, row)
		rd.lines = append(rd.lines, readLine{l, err, table.reseller(f, row)})
	}
	return rd, nil
}

// ediLine is the fields of an EDI line as text, typed by typed.
type ediLine struct {
	date, sku, gtin, qty, price, amount, currency string
	ret                                           bool // a return: quantity and amount count negative
	reseller                                      resellerRead
}

func (e ediLine) typed() readLine {
	l := readLine{reseller: e.reseller.trimmed()}
	var err error
	if l.date, err = time.Parse("20060102", e.date); err != nil {
		l.err = fmt.Errorf("date %q: %w", e.date, err)
		return l
	}
	if e.sku == "" && e.gtin == "" {
		l.err = fmt.Errorf("no product")
		return l
	}
	num := func(s string) float64 {
		v, perr := strconv.ParseFloat(s, 64)
		if perr != nil && l.err == nil {
			l.err = fmt.Errorf("number %q: %w", s, perr)
		}
		return v
	}
	l.qty, l.unitPrice, l.amount = num(e.qty), num(e.price), num(e.amount)
	if e.ret {
		l.qty, l.amount = -l.qty, -l.amount
	}
	l.currency = e.currency
	return l
}

// readX12 reads an X12 867 file: the separators from ISA, the control counts checked;
// a line per QTY loop, its date from its own DTM 003, else its PTD loop's.
func readX12(raw []byte) (*feedRead, error) {
	text := string(raw)
	if len(text) < 106 || !strings.HasPrefix(text, "ISA") {
		return nil, fmt.Errorf("no ISA header")
	}
	elem, term := text[3:4], text[105:106]
	rd := &feedRead{}
	var (
		set               []string // segments of the transaction set
		sets, groups      int
		currency, ptdDate string
		ret, header       bool
		item              *ediLine
		isaCtl, gsCtl     string
		stCtl             string
		itemDate          string
		buyer             resellerRead // of the PTD loop: N1*BY name and id, N4 postcode, REF*VX
	)
	flush := func() {
		if item != nil {
			item.date = firstNonEmpty(itemDate, ptdDate)
			rd.lines = append(rd.lines, item.typed())
			item, itemDate = nil, ""
		}
	}
	for _, s := range strings.Split(text, term) {
		s = strings.TrimLeft(s, "\r\n")
		if s == "" {
			continue
		}
		el := strings.Split(s, elem)
		get := func(i int) string {
			if i < len(el) {
				return el[i]
			}
			return ""
		}
		if set != nil {
			set = append(set, s)
		}
		switch el[0] {
		case "ISA":
			isaCtl = get(13)
		case "GS":
			gsCtl, groups = get(6), groups+1
		case "ST":
			set, stCtl, sets, header = []string{s}, get(2), sets+1, true
			if get(1) != "867" {
				return nil, fmt.Errorf("transaction set %s", get(1))
			}
		case "BPT":
			rd.replaces = get(1) == "05"
			if get(1) != "00" && get(1) != "05" {
				return nil, fmt.Errorf("BPT purpose %s", get(1))
			}
		case "CUR":
			currency = get(2)
		case "DTM":
			var err error
			switch {
			case header && get(1) == "090":
				rd.from, err = time.Parse("20060102", get(2))
			case header && get(1) == "091":
				rd.to, err = time.Parse("20060102", get(2))
			case get(1) == "003" && item != nil:
				itemDate = get(2)
			case get(1) == "003":
				ptdDate = get(2)
			}
			if err != nil {
				return nil, err
			}
		case "PTD":
			flush()
			header, ptdDate, buyer = false, "", resellerRead{}
			ret = get(1) == "RT"
			if ret {
				rd.returnLoops++
			}
		case "N1":
			if get(1) == "BY" {
				buyer.name, buyer.id = get(2), get(4)
			}
		case "N4":
			buyer.postcode = get(3)
		case "REF":
			if get(1) == "VX" && !header {
				buyer.vat = get(2)
			}
		case "QTY":
			flush()
			item = &ediLine{qty: get(2), currency: currency, ret: ret, reseller: buyer}
		case "LIN", "UIT", "AMT":
			if item == nil {
				return nil, fmt.Errorf("%s outside a QTY loop", el[0])
			}
		}
		switch el[0] {
		case "LIN":
			for i := 2; i+1 < len(el); i += 2 {
				switch el[i] {
				case "VP":
					item.sku = el[i+1]
				case "UP":
					item.gtin = el[i+1]
				}
			}
		case "UIT":
			item.price = get(2)
		case "AMT":
			item.amount = get(2)
		case "CTT":
			flush()
		case "SE":
			flush()
			if n, _ := strconv.Atoi(get(1)); n != len(set) || get(2) != stCtl {
				return nil, fmt.Errorf("SE %s*%s for a set of %d segments, ST %s", get(1), get(2), len(set), stCtl)
			}
			set = nil
		case "GE":
			if n, _ := strconv.Atoi(get(1)); n != sets || get(2) != gsCtl {
				return nil, fmt.Errorf("GE %s*%s for %d sets, GS %s", get(1), get(2), sets, gsCtl)
			}
		case "IEA":
			if n, _ := strconv.Atoi(get(1)); n != groups || get(2) != isaCtl {
				return nil, fmt.Errorf("IEA %s*%s for %d groups, ISA %s", get(1), get(2), groups, isaCtl)
			}
		}
	}
	if sets != 1 || set != nil {
		return nil, fmt.Errorf("%d transaction sets, one unterminated: %v", sets, set != nil)
	}
	return rd, nil
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// ediSegments splits EDIFACT text into segments of elements of components, with the
// release character applied and the line breaks between segments dropped.
func ediSegments(text string, comp, elem, rel, term rune) [][][]string {
	var segs [][][]string
	var seg [][]string
	var el []string
	var b strings.Builder
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == rel && i+1 < len(rs):
			i++
			b.WriteRune(rs[i])
		case c == comp:
			el = append(el, b.String())
			b.Reset()
		case c == elem:
			seg = append(seg, append(el, b.String()))
			el = nil
			b.Reset()
		case c == term:
			segs = append(segs, append(seg, append(el, b.String())))
			seg, el = nil, nil
			b.Reset()
		case (c == '\n' || c == '\r') && len(seg) == 0 && len(el) == 0 && b.Len() == 0:
		default:
			b.WriteRune(c)
		}
	}
	return segs
}

// readEDIFACT reads an SLSRPT interchange in the location-first layout: UNA, the
// character set of UNB, the UNT and UNZ counts checked; a line per LIN group, its date
// from the group's DTM 356, else the location's.
func readEDIFACT(raw []byte) (*feedRead, error) {
	rd := &feedRead{latin1: !utf8.Valid(raw)}
	if !bytes.HasPrefix(raw, []byte("UNA")) || len(raw) < 9 {
		return nil, fmt.Errorf("no UNA")
	}
	comp, elem, rel, term := rune(raw[3]), rune(raw[4]), rune(raw[6]), rune(raw[8])
	body := raw[9:]
	if bytes.Contains(body[:min(len(body), 40)], []byte("UNOC:")) {
		text, err := charmap.ISO8859_1.NewDecoder().Bytes(body)
		if err != nil {
			return nil, err
		}
		body = text
	} else if !utf8.Valid(body) {
		return nil, fmt.Errorf("not UTF-8 and not declared UNOC")
	}
	var (
		msgs, segs, lins   int
		currency, locDate  string
		item               *ediLine
		itemDate, unbRef   string
		inMsg, inLoc, seen bool
		buyer              resellerRead // of the location: LOC+162 id, NAD+BY name and postcode, RFF+VA
	)
	flush := func() {
		if item != nil {
			item.date = firstNonEmpty(itemDate, locDate)
			rd.lines = append(rd.lines, item.typed())
			item, itemDate = nil, ""
		}
	}
	for _, s := range ediSegments(string(body), comp, elem, rel, term) {
		c := func(i, j int) string {
			if i < len(s) && j < len(s[i]) {
				return s[i][j]
			}
			return ""
		}
		if inMsg {
			segs++
		}
		switch c(0, 0) {
		case "UNB":
			unbRef = c(5, 0)
			if c(1, 0) != "UNOC" {
				return nil, fmt.Errorf("character set %s", c(1, 0))
			}
		case "UNH":
			inMsg, segs, msgs = true, 1, msgs+1
			if c(2, 0) != "SLSRPT" {
				return nil, fmt.Errorf("message %s", c(2, 0))
			}
		case "BGM":
			if c(3, 0) != "9" {
				return nil, fmt.Errorf("BGM function %s", c(3, 0))
			}
		case "CUX":
			currency = c(1, 1)
		case "LOC":
			flush()
			inLoc, locDate = true, ""
			buyer = resellerRead{id: c(2, 0)}
		case "NAD":
			if inLoc && c(1, 0) == "BY" && len(s) > 4 && strings.Contains(strings.Join(s[4], " "), "'") {
				rd.apostrophes++
			}
			if inLoc && c(1, 0) == "BY" {
				// The name's components (C080, five at most), trimmed, joined by a space.
				var parts []string
				for j := range 5 {
					if v := strings.TrimSpace(c(4, j)); v != "" {
						parts = append(parts, v)
					}
				}
				buyer.name, buyer.postcode = strings.Join(parts, " "), c(8, 0)
			}
		case "RFF":
			if inLoc && c(1, 0) == "VA" {
				buyer.vat = c(1, 1)
			}
		case "PIA", "PRI", "MOA", "QTY":
			if item == nil {
				return nil, fmt.Errorf("%s outside a LIN group", c(0, 0))
			}
		}
		switch c(0, 0) {
		case "DTM":
			switch {
			case c(1, 0) == "356" && item != nil:
				itemDate = c(1, 1)
			case c(1, 0) == "356":
				locDate = c(1, 1)
			}
		case "LIN":
			flush()
			lins++
			item = &ediLine{currency: currency, reseller: buyer}
			if c(3, 1) == "EN" {
				item.gtin = c(3, 0)
			}
			seen = false
		case "PIA":
			if c(2, 1) == "SA" {
				item.sku = c(2, 0)
			}
		case "PRI":
			if c(1, 0) == "AAA" {
				item.price = c(1, 1)
			}
		case "MOA":
			if c(1, 0) == "203" {
				item.amount = c(1, 1)
			}
		case "QTY":
			if seen {
				return nil, fmt.Errorf("two quantities in a LIN group")
			}
			seen = true
			item.qty, item.ret = c(1, 1), c(1, 0) == "77"
		case "UNS":
			flush()
			inLoc = false
		case "CNT":
			if n, _ := strconv.Atoi(c(1, 1)); c(1, 0) == "2" && n != lins {
				return nil, fmt.Errorf("CNT says %d lines, the message has %d", n, lins)
			}
		case "UNT":
			flush()
			if n, _ := strconv.Atoi(c(1, 0)); n != segs {
				return nil, fmt.Errorf("UNT says %d segments, the message has %d", n, segs)
			}
			inMsg = false
		case "UNZ":
			if n, _ := strconv.Atoi(c(1, 0)); n != msgs || c(2, 0) != unbRef {
				return nil, fmt.Errorf("UNZ %s+%s for %d messages, UNB %s", c(1, 0), c(2, 0), msgs, unbRef)
			}
		}
	}
	if msgs != 1 || inMsg {
		return nil, fmt.Errorf("%d messages, one unterminated: %v", msgs, inMsg)
	}
	return rd, nil
}

// readXLSX reads the feed's sheet of a workbook: the header on its row, a line per
// non-empty row below. Dates must be date cells (format 14), or text in the feed's
// date format; quantities, prices and amounts numeric cells, or text that is then
// no number.
func readXLSX(path string, f config.Feed) (*feedRead, error) {
	xf, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer xf.Close()
	if !slices.Contains(xf.GetSheetList(), f.XLSX.Sheet) {
		return nil, fmt.Errorf("no sheet %q in %v", f.XLSX.Sheet, xf.GetSheetList())
	}
	props, err := xf.GetDocProps()
	if err != nil {
		return nil, err
	}
	if props.Modified == "" || props.Modified != props.Created {
		return nil, fmt.Errorf("document created %q, modified %q: want one fixed time", props.Created, props.Modified)
	}
	rows, err := xf.GetRows(f.XLSX.Sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, err
	}
	if len(rows) < f.XLSX.HeaderRow {
		return nil, fmt.Errorf("%d rows, header expected on row %d", len(rows), f.XLSX.HeaderRow)
	}
	header := rows[f.XLSX.HeaderRow-1]
	col := map[string]int{}
	for field, name := range f.Columns {
		i := slices.Index(header, name)
		if i < 0 {
			return nil, fmt.Errorf("no column %q (%s) in the header %q", name, field, header)
		}
		col[field] = i
	}
	rd := &feedRead{}
	for r, row := range rows[f.XLSX.HeaderRow:] {
		if len(row) == 0 {
			continue
		}
		rowNo := f.XLSX.HeaderRow + 1 + r
		cell := func(field string) (string, string) {
			i, ok := col[field]
			if !ok {
				return f.Defaults[field], ""
			}
			ref, _ := excelize.CoordinatesToCellName(i+1, rowNo)
			if i < len(row) {
				return row[i], ref
			}
			return "", ref
		}
		numeric := func(ref string) bool {
			typ, err := xf.GetCellType(f.XLSX.Sheet, ref)
			return err == nil && (typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber)
		}
		var l readLine
		var v, ref string
		switch v, ref = cell("invoice_date"); {
		case numeric(ref):
			serial, err := strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("%s: date serial %q", ref, v)
			}
			style, _ := xf.GetCellStyle(f.XLSX.Sheet, ref)
			if st, err := xf.GetStyle(style); err != nil || st.NumFmt != 14 {
				return nil, fmt.Errorf("%s: a date cell without the date format 14", ref)
			}
			l.date = time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, serial)
		default:
			if l.date, err = time.Parse(goLayout(f.XLSX.DateFormat), v); err != nil {
				l.err = fmt.Errorf("%s: date %q", ref, v)
			}
		}
		if sku, _ := cell("sku"); sku == "" && l.err == nil {
			l.err = fmt.Errorf("row %d: no product", rowNo)
		}
		for _, n := range []struct {
			field string
			v     *float64
		}{{"quantity", &l.qty}, {"unit_price", &l.unitPrice}, {"amount", &l.amount}} {
			v, ref := cell(n.field)
			if v == "" && n.field == "unit_price" {
				continue // the totals row
			}
			if !numeric(ref) {
				if l.err == nil {
					l.err = fmt.Errorf("%s: %s %q typed as text", ref, n.field, v)
				}
				continue
			}
			if *n.v, err = strconv.ParseFloat(v, 64); err != nil {
				return nil, fmt.Errorf("%s: numeric cell %q", ref, v)
			}
		}
		l.currency, _ = cell("currency")
		l.reseller.id, _ = cell("reseller_id")
		l.reseller.name, _ = cell("reseller_name")
		l.reseller.postcode, _ = cell("reseller_postcode")
		l.reseller.registration, _ = cell("reseller_registration")
		l.reseller.vat, _ = cell("reseller_vat")
		l.reseller = l.reseller.trimmed()
		rd.lines = append(rd.lines, l)
	}
	return rd, nil
}
