package formats

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesout/salesout/pipeline/canon"
	"github.com/salesout/salesout/pipeline/formats/edi"
)

var edCases = []ediCase{
	{"una_location_first.edi", func(t *testing.T, g *ediGolden) {
		ediWant(t, "quantities", ediQuantities(g), []string{"10", "4", "2", "1"})
		ediWant(t, "line numbers", []int64{g.Lines[0].LineNo, g.Lines[1].LineNo, g.Lines[2].LineNo, g.Lines[3].LineNo}, []int64{15, 20, 28, 39})
		ediWant(t, "reports", len(g.Reports), 2)
		r := g.Reports[0]
		ediWant(t, "report 1", []string{r.ID, r.Purpose, r.PeriodStart, r.PeriodEnd, r.Currency, r.Control, r.Err}, []string{"SR-2024-01", "original", "2024-01-01", "2024-01-31", "EUR", "M1", ""})
		r = g.Reports[1]
		ediWant(t, "report 2 (718 period)", []string{r.ID, r.PeriodStart, r.PeriodEnd, r.Currency, r.Control}, []string{"SR-2024-01-B", "2024-01-01", "2024-01-31", "", "M2"})
		l := g.Lines[0].Fields
		ediWant(t, "line 1", []string{l["invoice_date"], l["reseller_id"], l["reseller_name"], l["reseller_address"], l["reseller_city"], l["reseller_postcode"], l["reseller_country"], l["reseller_vat"], l["gtin"], l["sku"], l["distributor_sku"], l["unit_price"], l["amount"], l["currency"]},
			[]string{"2024-01-10", "R-1001", "SMITH'S HARDWARE", "RUE DU PORT 3", "BRUXELLES", "1000", "BE", "BE0123456789", "5412345678908", "MK-100", "D-555", "12.50", "125.00", "EUR"})
		l = g.Lines[1].Fields
		ediWant(t, "line 2 (released +, quantity's own DTM and RFF)", []string{l["sku"], l["invoice_date"], l["invoice_number"], l["amount"]}, []string{"MK-200+X", "2024-01-12", "FA-2024-0007", ""})
		ediWant(t, "line 2 raw", g.Lines[1].Raw, "LIN+2++MK-200?+X:SA'PRI+AAA:7.25'QTY+153:4'DTM+356:20240112:102'RFF+IV:FA-2024-0007")
		l = g.Lines[2].Fields
		ediWant(t, "line 3 (released :, gross price, header period date)", []string{l["reseller_name"], l["reseller_registration"], l["unit_price"], l["invoice_date"]}, []string{"A:B TRADING SARL DEPT ACHATS", "RCS LYON 123", "30", "2024-01-01"})
		l = g.Lines[3].Fields
		ediWant(t, "line 4 (MOA currency)", []string{l["amount"], l["currency"], l["invoice_date"]}, []string{"99.95", "EUR", "2024-01-20"})
	}},
	{"no_una_item_first.edi", func(t *testing.T, g *ediGolden) {
		ediWant(t, "quantities", ediQuantities(g), []string{"6", "3", "-1", "15", "5"})
		ediWant(t, "line numbers", []int64{g.Lines[0].LineNo, g.Lines[1].LineNo, g.Lines[2].LineNo, g.Lines[3].LineNo, g.Lines[4].LineNo}, []int64{10, 15, 16, 21, 24})
		ediWant(t, "resellers", []string{ediLineField(t, g, 0, "reseller_id"), ediLineField(t, g, 0, "reseller_name"), ediLineField(t, g, 1, "reseller_id"), ediLineField(t, g, 3, "reseller_id"), ediLineField(t, g, 4, "reseller_id")},
			[]string{"R-2001", "GARAGE DUPONT", "R-2002", "R-2001", "R-2003"})
		ediWant(t, "products", []string{ediLineField(t, g, 0, "gtin"), ediLineField(t, g, 0, "sku"), ediLineField(t, g, 3, "sku")}, []string{"5412345678908", "MK-100", "MK-200"})
		ediWant(t, "dates", []string{ediLineField(t, g, 0, "invoice_date"), ediLineField(t, g, 1, "invoice_date")}, []string{"2024-02-05", "2024-02-01"})
		ediWant(t, "invoice of the return only", []string{ediLineField(t, g, 1, "invoice_number"), ediLineField(t, g, 2, "invoice_number")}, []string{"", "F-88"})
		ediWant(t, "amounts", []string{ediLineField(t, g, 0, "amount"), ediLineField(t, g, 3, "amount")}, []string{"", "108.75"})
		ediWant(t, "prices", []string{ediLineField(t, g, 0, "unit_price"), ediLineField(t, g, 4, "unit_price")}, []string{"12.00", "7.25"})
	}},
	{"unow_utf8.edi", func(t *testing.T, g *ediGolden) { edCheckIntl(t, g, "SR-UNOW") }},
	{"unoc_latin1.edi", func(t *testing.T, g *ediGolden) { edCheckIntl(t, g, "SR-UNOC") }},
	{"decimal_comma.edi", func(t *testing.T, g *ediGolden) {
		ediWant(t, "quantities", ediQuantities(g), []string{"2.5", "10"})
		ediWant(t, "prices (PRI basis 10)", []string{ediLineField(t, g, 0, "unit_price"), ediLineField(t, g, 1, "unit_price")}, []string{"12.40", "12.5"})
		ediWant(t, "amount", ediLineField(t, g, 0, "amount"), "31.00")
		ediWant(t, "dates (203, 102)", []string{ediLineField(t, g, 0, "invoice_date"), ediLineField(t, g, 1, "invoice_date")}, []string{"2024-04-15", "2024-04-16"})
	}},
	{"bad_unt_count.edi", func(t *testing.T, g *ediGolden) {
		ediWant(t, "errs", []string{g.Reports[0].Err, g.Reports[1].Err, g.Lines[0].Err, g.Lines[1].Err},
			[]string{`message A1: UNT01 says "42" segments, the message has 10`, "", `message A1: UNT01 says "42" segments, the message has 10`, ""})
		ediWant(t, "quantities", ediQuantities(g), []string{"7", "9"})
	}},
	{"return.edi", func(t *testing.T, g *ediGolden) {
		ediWant(t, "purpose", g.Reports[0].Purpose, "replace")
		ediWant(t, "quantities", ediQuantities(g), []string{"-2", "8", "-3"})
		ediWant(t, "amounts", []string{ediLineField(t, g, 0, "amount"), ediLineField(t, g, 1, "amount"), ediLineField(t, g, 2, "amount")}, []string{"-25.00", "", "-21.75"})
		ediWant(t, "dates", []string{ediLineField(t, g, 1, "invoice_date"), ediLineField(t, g, 2, "invoice_date")}, []string{"2024-06-11", "2024-06-12"})
		ediWant(t, "line numbers", []int64{g.Lines[0].LineNo, g.Lines[1].LineNo, g.Lines[2].LineNo}, []int64{8, 15, 17})
	}},
	{"cancel.edi", func(t *testing.T, g *ediGolden) {
		ediWant(t, "lines", len(g.Lines), 0)
		r := g.Reports[0]
		ediWant(t, "report", []string{r.ID, r.Purpose, r.PeriodStart, r.PeriodEnd}, []string{"SR-2024-06", "cancel", "2024-06-01", "2024-06-30"})
	}},
	{"bad_unz_count.edi", func(t *testing.T, g *ediGolden) {
		want := `interchange ICH0009: UNZ01 says "3" messages, the interchange has 2`
		ediWant(t, "errs", []string{g.Reports[0].Err, g.Reports[1].Err, g.Lines[0].Err, g.Lines[1].Err}, []string{want, want, want, want})
	}},
	{"truncated.edi", func(t *testing.T, g *ediGolden) {
		ediWant(t, "lines", len(g.Lines), 1)
		ediWant(t, "err", g.Lines[0].Err, "message C1 (segment 2): no UNT trailer before the end of the file")
	}},
}

func edCheckIntl(t *testing.T, g *ediGolden, id string) {
	ediWant(t, "report", g.Reports[0].ID, id)
	ediWant(t, "quantities", ediQuantities(g), []string{"2", "1"})
	l := g.Lines[0].Fields
	ediWant(t, "line 1", []string{l["reseller_name"], l["reseller_address"], l["reseller_city"]}, []string{"Müller Bürobedarf GmbH", "Königstraße 5", "München"})
	l = g.Lines[1].Fields
	ediWant(t, "line 2", []string{l["reseller_name"], l["reseller_address"], l["reseller_city"]}, []string{"Société Générale de Café", "Place de l'Église", "Genève"})
}

func TestEDIFACTFiles(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range edCases {
		seen[c.file] = true
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join("testdata", "edifact", c.file)
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			g, err := ediCollect(t, ReadEDIFACTReports, in)
			if err != nil {
				t.Fatalf("ReadEDIFACT: %v", err)
			}
			ediCheckGolden(t, path, g)
			c.check(t, g)
		})
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "edifact", "*.edi"))
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			t.Errorf("%s has no test case", f)
		}
	}
}

// edDoc builds an interchange around message bodies, with correct counts.
func edDoc(bodies ...[]string) string {
	var b strings.Builder
	b.WriteString("UNB+UNOC:3+DIST:ZZ+MAKER:ZZ+240101:1200+ICH1'")
	for i, body := range bodies {
		ref := fmt.Sprint(i + 1)
		b.WriteString("UNH+" + ref + "+SLSRPT:D:96A:UN'")
		for _, s := range body {
			b.WriteString(s + "'")
		}
		fmt.Fprintf(&b, "UNT+%d+%s'", len(body)+2, ref)
	}
	fmt.Fprintf(&b, "UNZ+%d+ICH1'", len(bodies))
	return b.String()
}

func TestEDIFACTLines(t *testing.T) {
	loc := []string{"BGM+73E+R1+9", "DTM+90:20240101:102", "LOC+162+R1"}
	cases := []struct {
		name    string
		in      string
		field   string
		want    []string
		wantErr []string
	}{
		{"release of the release", edDoc(append(loc, "LIN+1++A??B:SA", "QTY+153:1")), "sku", []string{"A?B"}, []string{""}},
		{"718 line date: its end", edDoc(append(loc, "LIN+1++A:SA", "QTY+153:1", "DTM+356:20240101-20240115:718")), "invoice_date", []string{"2024-01-15"}, []string{""}},
		{"unparsable date kept", edDoc(append(loc, "LIN+1++A:SA", "QTY+153:1", "DTM+356:20240230:102")), "invoice_date", []string{"20240230"}, []string{""}},
		{"203 date not digits kept", edDoc(append(loc, "LIN+1++A:SA", "QTY+153:1", "DTM+356:20240101\xcc\xf8:203")), "invoice_date", []string{"20240101Ìø"}, []string{""}},
		{"unknown date format kept", edDoc(append(loc, "LIN+1++A:SA", "QTY+153:1", "DTM+356:2401:609")), "invoice_date", []string{"2401"}, []string{""}},
		{"non-number kept", edDoc(append(loc, "LIN+1++A:SA", "QTY+153:ten")), "quantity", []string{"ten"}, []string{""}},
		{"return non-number kept", edDoc(append(loc, "LIN+1++A:SA", "QTY+77:ten")), "quantity", []string{"ten"}, []string{""}},
		{"return already negative", edDoc(append(loc, "LIN+1++A:SA", "QTY+77:-3")), "quantity", []string{"-3"}, []string{""}},
		{"quantity missing", edDoc(append(loc, "LIN+1++A:SA", "QTY+153")), "quantity", []string{""}, []string{"segment 7 QTY: quantity element missing"}},
		{"no quantity: a line SQL quarantines", edDoc(append(loc, "LIN+1++A:SA", "PRI+AAA:2", "LIN+2++B:SA", "QTY+153:4")), "quantity", []string{"", "4"}, []string{"", ""}},
		{"other quantities ignored", edDoc(append(loc, "LIN+1++A:SA", "QTY+145:100", "QTY+153:2")), "quantity", []string{"2"}, []string{""}},
		{"location totals ignored", edDoc(append(loc, "QTY+153:99", "MOA+203:999", "LIN+1++A:SA", "QTY+153:2")), "amount", []string{""}, []string{""}},
		{"net price wins", edDoc(append(loc, "LIN+1++A:SA", "PRI+AAB:12", "PRI+AAA:10", "QTY+153:2")), "unit_price", []string{"10"}, []string{""}},
		{"untyped GTIN", edDoc(append(loc, "LIN+1++4006381333931", "QTY+153:2")), "gtin", []string{"4006381333931"}, []string{""}},
		{"untyped article number", edDoc(append(loc, "LIN+1++AB-12", "QTY+153:2")), "sku", []string{"AB-12"}, []string{""}},
		{"SA wins over MF", edDoc(append(loc, "LIN+1++M1:MF", "PIA+1+S1:SA", "QTY+153:2")), "sku", []string{"S1"}, []string{""}},
		{"NAD unstructured", edDoc(append(loc, "NAD+BY+X1+SHOP ONE:1 HIGH ST:LEEDS", "LIN+1++A:SA", "QTY+153:2")), "reseller_address", []string{"1 HIGH ST, LEEDS"}, []string{""}},
		{"NAD id when LOC has none", edDoc([]string{"LOC+162", "NAD+BY+X1", "LIN+1++A:SA", "QTY+153:2"}), "reseller_id", []string{"X1"}, []string{""}},
		{"end customer", edDoc(append(loc, "NAD+UC+++CLINIC++++75001+FR", "LIN+1++A:SA", "QTY+153:2")), "end_customer_postcode", []string{"75001"}, []string{""}},
		{"header NAD+BY ignored", edDoc([]string{"NAD+BY+HQ", "LOC+162+R1", "LIN+1++A:SA", "QTY+153:2"}), "reseller_name", []string{""}, []string{""}},
		{"CUX in the header", edDoc([]string{"CUX+2:CHF:4", "LOC+162+R1", "LIN+1++A:SA", "QTY+153:2"}), "currency", []string{"CHF"}, []string{""}},
		{"CUX reference currency", edDoc([]string{"CUX+3:USD+2:GBP", "LOC+162+R1", "LIN+1++A:SA", "QTY+153:2"}), "currency", []string{"GBP"}, []string{""}},
		{"header period end when no start", edDoc([]string{"DTM+91:20240131:102", "LOC+162+R1", "LIN+1++A:SA", "QTY+153:2"}), "invoice_date", []string{"2024-01-31"}, []string{""}},
		{"item first without locations", edDoc([]string{"LIN+1++A:SA", "QTY+153:2", "QTY+77:1"}), "quantity", []string{"2", "-1"}, []string{"", ""}},
		{"after UNS ignored", edDoc(append(loc, "LIN+1++A:SA", "QTY+153:2", "UNS+S", "LIN+2++B:SA", "QTY+153:9")), "sku", []string{"A"}, []string{""}},
		{"other message types skipped", strings.Replace(edDoc([]string{"LIN+1++Z:SA", "QTY+153:1"}, append(loc, "LIN+1++A:SA", "QTY+153:2")), "SLSRPT", "INVRPT", 1), "sku", []string{"A"}, []string{""}},
		{"long segment", edDoc(append(loc, "LIN+1++A:SA", "FTX+AAI+++"+strings.Repeat("x", edi.MaxSegment), "QTY+153:2")), "sku", []string{"A"}, []string{"segment 7 FTX: segment longer than 64 KiB"}},
		{"UNOW invalid bytes", strings.Replace(edDoc(append(loc, "NAD+BY+X++B\xff\xfeR", "LIN+1++A:SA", "QTY+153:2")), "UNOC", "UNOW", 1), "reseller_name", []string{"B\uFFFDR"}, []string{""}},
		{"ISO 8859-2", strings.Replace(edDoc(append(loc, "NAD+BY+X++\xa3\xf3d\xbc", "LIN+1++A:SA", "QTY+153:2")), "UNOC", "UNOD", 1), "reseller_name", []string{"Łódź"}, []string{""}},
		{"no UNB", strings.TrimSuffix(strings.TrimPrefix(edDoc(append(loc, "LIN+1++A:SA", "QTY+153:2")), "UNB+UNOC:3+DIST:ZZ+MAKER:ZZ+240101:1200+ICH1'"), "UNZ+1+ICH1'"), "quantity", []string{"2"}, []string{""}},
		{"UNZ reference", strings.Replace(edDoc(append(loc, "LIN+1++A:SA", "QTY+153:2")), "UNZ+1+ICH1", "UNZ+1+ICH2", 1), "quantity", []string{"2"},
			[]string{`interchange ICH1: UNZ02 reference "ICH2" does not match UNB05`}},
		{"UNT reference", strings.Replace(edDoc(append(loc, "LIN+1++A:SA", "QTY+153:2")), "UNT+7+1", "UNT+7+9", 1), "quantity", []string{"2"},
			[]string{`message 1: UNT02 reference "9" does not match UNH01`}},
		{"UNT missing", strings.Replace(edDoc(append(loc, "LIN+1++A:SA", "QTY+153:2"), append(loc, "LIN+1++B:SA", "QTY+153:3")), "UNT+7+1'", "", 1), "quantity", []string{"2", "3"},
			[]string{`message 1 (segment 2): no UNT trailer before segment 8 UNH`, ""}},
		{"groups", "UNB+UNOC:3+A+B+240101:1200+I1'UNG+SLSRPT+A+B+240101:1200+G1+UN+D:96A'UNH+1+SLSRPT:D:96A:UN'LOC+162+R1'LIN+1++A:SA'QTY+153:2'UNT+5+1'UNE+2+G1'UNZ+1+I1'", "quantity", []string{"2"},
			[]string{`group G1: UNE01 says "2" messages, the group has 1`}},
		{"UNE missing", "UNB+UNOC:3+A+B+240101:1200+I1'UNG+SLSRPT+A+B+240101:1200+G1+UN+D:96A'UNH+1+SLSRPT:D:96A:UN'LOC+162+R1'LIN+1++A:SA'QTY+153:2'UNT+5+1'UNZ+1+I1'", "quantity", []string{"2"},
			[]string{`group G1 (segment 2): no UNE trailer before segment 8 UNZ`}},
		{"UNZ missing before the next UNB", strings.Replace(edDoc(append(loc, "LIN+1++A:SA", "QTY+153:2")), "UNZ+1+ICH1'", "", 1) + edDoc(append(loc, "LIN+1++B:SA", "QTY+153:3")), "quantity", []string{"2", "3"},
			[]string{`interchange ICH1 (segment 1): no UNZ trailer before segment 9 UNB`, ""}},
		{"UNA without release", "UNA:+.  '\nUNB+UNOC:3+A+B+240101:1200+I1'UNH+1+SLSRPT:D:96A:UN'LOC+162+R1'LIN+1++A?:SA'QTY+153:2'UNT+5+1'UNZ+1+I1'", "sku", []string{"A?"}, []string{""}},
		{"UNA other separators", "UNA|*.?!~\nUNB*UNOC|3*A*B*240101|1200*I1~UNH*1*SLSRPT|D|96A|UN~LOC*162*R1~LIN*1**A?*B|SA~QTY*153|2~UNT*5*1~UNZ*1*I1~", "sku", []string{"A*B"}, []string{""}},
		{"syntax level B", "UNB\x1dUNOB\x1f3\x1dA\x1dB\x1d240101\x1f1200\x1dI1\x1cUNH\x1d1\x1dSLSRPT\x1fD\x1f96A\x1fUN\x1cLOC\x1d162\x1dR1\x1cLIN\x1d1\x1d\x1dA\x1fSA\x1cQTY\x1d153\x1f2\x1cUNT\x1d5\x1d1\x1cUNZ\x1d1\x1dI1\x1c", "sku", []string{"A"}, []string{""}},
		{"BOM and line breaks", "\xef\xbb\xbf\n" + strings.ReplaceAll(edDoc(append(loc, "LIN+1++A:SA", "QTY+153:2")), "'", "'\r\n"), "sku", []string{"A"}, []string{""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := ediCollect(t, ReadEDIFACTReports, []byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			var got, gotErr []string
			for _, l := range g.Lines {
				got = append(got, l.Fields[c.field])
				gotErr = append(gotErr, l.Err)
			}
			ediWant(t, c.field, got, c.want)
			wantErr := c.wantErr
			for len(wantErr) < len(got) {
				wantErr = append(wantErr, "")
			}
			ediWant(t, "errors", fmt.Sprintf("%q", gotErr), fmt.Sprintf("%q", wantErr))
		})
	}
}

func TestEDIFACTNotEDIFACT(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"empty", "", "not an EDIFACT file: expected UNA, UNB or UNH at the start, found an empty file"},
		{"x12", "ISA*00*", `not an EDIFACT file: expected UNA, UNB or UNH at the start, found "ISA*00*"`},
		{"xml", "<?xml version='1.0'?>", `not an EDIFACT file: expected UNA, UNB or UNH at the start, found "<?xml version='1.0'?>"`},
		{"only INVRPT", strings.Replace(edDoc([]string{"LIN+1++A:SA", "QTY+145:1"}), "SLSRPT", "INVRPT", 1), `not an EDIFACT SLSRPT file: expected SLSRPT messages, found only message type "INVRPT"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := ReadEDIFACT(strings.NewReader(c.in), func(canon.Line, *Report) error { return nil })
			if err == nil || err.Error() != c.want {
				t.Fatalf("error %v, want %s", err, c.want)
			}
		})
	}
}

func FuzzEDIFACT(f *testing.F) {
	ediSeeds(f, filepath.Join("testdata", "edifact", "*.edi"))
	f.Fuzz(func(t *testing.T, in []byte) {
		ediFuzzCheck(t, ReadEDIFACTReports, in)
	})
}

// edBench generates an SLSRPT interchange of n lines, location first: messages of
// 1,000 lines, locations of 20 lines.
func edBench(n int) []byte {
	var b bytes.Buffer
	b.WriteString("UNA:+.? '\nUNB+UNOC:3+5412345000013:14+5498765000019:14+240201:0930+ICH1'\n")
	msgs := 0
	for i := 0; i < n; {
		msgs++
		fmt.Fprintf(&b, "UNH+%d+SLSRPT:D:96A:UN:EAN004'\nBGM+73E+SR%d+9'\nDTM+90:20240101:102'\nDTM+91:20240131:102'\nCUX+2:EUR'\n", msgs, msgs)
		segs := 5
		for j := 0; j < 1000 && i < n; j += 20 {
			fmt.Fprintf(&b, "LOC+162+R-%d::92'\nNAD+BY+R-%d::92++RESELLER %d+%d RUE DE LA PAIX+PARIS++750%02d+FR'\nRFF+VA:FR%09d'\n", i%977, i%977, i%977, i%100, i%20+1, i%977)
			segs += 3
			for k := 0; k < 20 && i < n; k++ {
				fmt.Fprintf(&b, "LIN+%d++54123456%05d:SRV'\nPIA+1+MK-%d:SA'\nPRI+AAA:%d.%02d'\nMOA+203:%d.00'\nQTY+153:%d'\nDTM+356:202401%02d:102'\n",
					k+1, i%99999, i%300, i%90+1, i%100, (i%17+1)*(i%90+1), i%17+1, i%28+1)
				segs += 6
				i++
			}
		}
		fmt.Fprintf(&b, "UNS+S'\nUNT+%d+%d'\n", segs+2, msgs)
	}
	fmt.Fprintf(&b, "UNZ+%d+ICH1'\n", msgs)
	return b.Bytes()
}

func BenchmarkEDIFACT(b *testing.B) {
	ediBench(b, ReadEDIFACTReports, edBench(ediBenchLines), ediBenchLines)
}
