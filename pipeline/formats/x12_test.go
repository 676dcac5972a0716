package formats

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/salesout/salesout/pipeline/canon"
	"github.com/salesout/salesout/pipeline/formats/edi"
)

// Shared by the X12 and EDIFACT tests: every testdata file has a golden file
// (testdata/<format>/<name>.golden.json) holding every report and every emitted line
// with all its fields. `go test -run 'X12|EDIFACT' ./pipeline/formats -update`
// rewrites them; review the diff. The flag may be defined by other tests of the
// package too.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata")
	}
}

func ediUpdate() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

type ediGoldenReport struct {
	ID          string `json:"id"`
	Purpose     string `json:"purpose"`
	PeriodStart string `json:"period_start,omitempty"`
	PeriodEnd   string `json:"period_end,omitempty"`
	Currency    string `json:"currency,omitempty"`
	Control     string `json:"control"`
	Err         string `json:"err,omitempty"`
	Lines       int    `json:"lines"`
}

type ediGoldenLine struct {
	Report string            `json:"report"` // the report's control reference
	LineNo int64             `json:"line_no"`
	Err    string            `json:"err,omitempty"`
	Raw    string            `json:"raw"`
	Fields map[string]string `json:"fields"` // absent (nil) fields are left out
}

type ediGolden struct {
	Reports []ediGoldenReport `json:"reports"`
	Lines   []ediGoldenLine   `json:"lines"`
}

type ediReadFunc func(io.Reader, func(canon.Line, *Report) error, ReportDone) error

func ediDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// ediCollect reads in with read and checks the invariants every reader must keep.
func ediCollect(t testing.TB, read ediReadFunc, in []byte) (*ediGolden, error) {
	t.Helper()
	g := &ediGolden{Lines: []ediGoldenLine{}, Reports: []ediGoldenReport{}}
	var cur *Report
	n := 0
	err := read(bytes.NewReader(in), func(l canon.Line, rep *Report) error {
		if rep == nil {
			t.Fatalf("line %d without a report", l.LineNo)
		}
		if cur != nil && rep != cur {
			t.Fatalf("line %d of a new report before done was called for the previous one", l.LineNo)
		}
		cur = rep
		n++
		if len(l.Fields) != len(canon.Fields) {
			t.Fatalf("line %d has %d fields, want %d", l.LineNo, len(l.Fields), len(canon.Fields))
		}
		gl := ediGoldenLine{Report: rep.Control, LineNo: l.LineNo, Err: l.Err, Raw: l.Raw, Fields: map[string]string{}}
		for i, f := range l.Fields {
			if f != nil {
				gl.Fields[canon.Fields[i]] = *f
			}
		}
		g.Lines = append(g.Lines, gl)
		return nil
	}, func(rep *Report, lines int) error {
		if cur != nil && rep != cur {
			t.Fatalf("done called for report %q after lines of report %q", rep.Control, cur.Control)
		}
		if lines != n {
			t.Fatalf("done says report %q has %d lines, %d were emitted", rep.Control, lines, n)
		}
		cur, n = nil, 0
		g.Reports = append(g.Reports, ediGoldenReport{
			ID: rep.ID, Purpose: rep.Purpose, PeriodStart: ediDay(rep.PeriodStart), PeriodEnd: ediDay(rep.PeriodEnd),
			Currency: rep.Currency, Control: rep.Control, Err: rep.Err, Lines: lines,
		})
		return nil
	})
	if cur != nil {
		t.Fatalf("no done call for report %q", cur.Control)
	}
	return g, err
}

// ediCheckGolden compares g with path's golden file (or rewrites it with -update).
func ediCheckGolden(t *testing.T, path string, g *ediGolden) {
	t.Helper()
	got, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := strings.TrimSuffix(path, filepath.Ext(path)) + ".golden.json"
	if ediUpdate() {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file %s:\n%s", path, golden, ediDiff(string(want), string(got)))
	}
}

// ediDiff shows the first differing lines.
func ediDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, a, c)
			if shown++; shown == 10 {
				break
			}
		}
	}
	return b.String()
}

// ediQuantities lists the lines' quantities, to compare with the values read off the
// hand-written files.
func ediQuantities(g *ediGolden) []string {
	var q []string
	for _, l := range g.Lines {
		q = append(q, l.Fields["quantity"])
	}
	return q
}

func ediLineField(t *testing.T, g *ediGolden, line int, field string) string {
	t.Helper()
	if line >= len(g.Lines) {
		t.Fatalf("want at least %d lines, got %d", line+1, len(g.Lines))
	}
	return g.Lines[line].Fields[field]
}

// ediLineValue is field of line l, or with field "report" the ID of its report.
func ediLineValue(g *ediGolden, l ediGoldenLine, field string) string {
	if field != "report" {
		return l.Fields[field]
	}
	for _, r := range g.Reports {
		if r.Control == l.Report {
			return r.ID
		}
	}
	return ""
}

type ediCase struct {
	file  string
	check func(t *testing.T, g *ediGolden)
}

func ediWant(t *testing.T, what string, got, want any) {
	t.Helper()
	if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

var x12Cases = []ediCase{
	{"4010_basic.x12", func(t *testing.T, g *ediGolden) {
		ediWant(t, "quantities", ediQuantities(g), []string{"10", "3", "2.5"})
		ediWant(t, "reports", len(g.Reports), 1)
		r := g.Reports[0]
		ediWant(t, "report", []string{r.ID, r.Purpose, r.PeriodStart, r.PeriodEnd, r.Currency, r.Control}, []string{"R2024-01", "original", "2024-01-01", "2024-01-31", "USD", "0001"})
		ediWant(t, "line numbers", []int64{g.Lines[0].LineNo, g.Lines[1].LineNo, g.Lines[2].LineNo}, []int64{18, 22, 32})
		l0 := g.Lines[0].Fields
		ediWant(t, "line 1", []string{l0["invoice_date"], l0["invoice_number"], l0["reseller_id"], l0["reseller_name"], l0["reseller_vat"], l0["reseller_address"], l0["reseller_city"], l0["reseller_postcode"], l0["reseller_country"], l0["end_customer_name"], l0["end_customer_postcode"], l0["sku"], l0["gtin"], l0["unit_price"], l0["amount"], l0["currency"]},
			[]string{"2024-01-15", "INV-1001", "C-100", "NORTHWIND TRADERS", "US-VAT-77", "12 HARBOR ROAD, SUITE 4", "SEATTLE", "98101", "US", "CONTOSO CLINIC", "98402", "MK-100", "012345678905", "12.50", "125.00", "USD"})
		l1 := g.Lines[1].Fields
		ediWant(t, "line 2", []string{l1["invoice_date"], l1["invoice_number"], l1["sku"], l1["distributor_sku"], l1["amount"]}, []string{"2024-01-17", "INV-1002", "MK-200", "D-555", ""})
		l2 := g.Lines[2].Fields
		ediWant(t, "line 3 (N1*ST with a D-U-N-S number, DTM*011)", []string{l2["invoice_date"], l2["invoice_number"], l2["reseller_id"], l2["reseller_registration"], l2["reseller_name"], l2["sku"], l2["gtin"]},
			[]string{"2024-01-20", "INV-1003", "", "123456789", "FABRIKAM STORE", "MK-300", "4006381333931"})
		ediWant(t, "raw", g.Lines[0].Raw, "QTY*39*10*EA~LIN**VP*MK-100*UP*012345678905~UIT*EA*12.50~AMT*1*125.00")
	}},
	{"4010_caret.x12", func(t *testing.T, g *ediGolden) {
		ediWant(t, "quantities", ediQuantities(g), []string{"4", "1"})
		ediWant(t, "prices", []string{ediLineField(t, g, 0, "unit_price"), ediLineField(t, g, 1, "unit_price")}, []string{"11.90", "250"})
		ediWant(t, "gtin", ediLineField(t, g, 1, "gtin"), "012345678912")
		ediWant(t, "raw", g.Lines[0].Raw, "QTY^39^4^EA~LIN^1^VP^MK-100~UIT^EA<1^11.90~DTM^003^20240203~REF^IV^INV-2001")
	}},
	{"5010_sii.x12", func(t *testing.T, g *ediGolden) {
		ediWant(t, "quantities", ediQuantities(g), []string{"6", "2", "5", "1"})
		ediWant(t, "skus", []string{ediLineField(t, g, 0, "sku"), ediLineField(t, g, 1, "sku"), ediLineField(t, g, 2, "gtin"), ediLineField(t, g, 2, "distributor_sku"), ediLineField(t, g, 3, "sku")},
			[]string{"MK-100", "MK-100", "012345678929", "D-929", "MK-777"})
		ediWant(t, "invoices", []string{ediLineField(t, g, 0, "invoice_number"), ediLineField(t, g, 1, "invoice_number")}, []string{"INV-3001", "INV-3002"})
		ediWant(t, "currencies", []string{ediLineField(t, g, 0, "currency"), ediLineField(t, g, 2, "currency")}, []string{"CAD", "USD"})
		ediWant(t, "SII fallbacks", []string{ediLineField(t, g, 3, "unit_price"), ediLineField(t, g, 3, "amount"), ediLineField(t, g, 3, "invoice_date")}, []string{"99.95", "99.95", "2024-02-28"})
	}},
	{"replace.x12", func(t *testing.T, g *ediGolden) {
		r := g.Reports[0]
		ediWant(t, "report", []string{r.ID, r.Purpose, r.PeriodStart, r.PeriodEnd}, []string{"R2024-01", "replace", "2024-01-01", "2024-01-31"})
		ediWant(t, "quantities", ediQuantities(g), []string{"12"})
	}},
	{"cancel.x12", func(t *testing.T, g *ediGolden) {
		ediWant(t, "lines", len(g.Lines), 0)
		r := g.Reports[0]
		ediWant(t, "report", []string{r.ID, r.Purpose, r.PeriodStart, r.PeriodEnd, r.Err}, []string{"R2024-01", "cancel", "2024-01-01", "2024-01-31", ""})
	}},
	{"return.x12", func(t *testing.T, g *ediGolden) {
		ediWant(t, "quantities", ediQuantities(g), []string{"-2", "-1", "5"})
		ediWant(t, "amount", ediLineField(t, g, 0, "amount"), "-25.00")
		ediWant(t, "unit price", ediLineField(t, g, 0, "unit_price"), "12.50")
	}},
	{"bad_se_count.x12", func(t *testing.T, g *ediGolden) {
		ediWant(t, "reports", len(g.Reports), 2)
		ediWant(t, "report 1 err", g.Reports[0].Err, "transaction set 5001: SE01 says \"99\" segments, the set has 9")
		ediWant(t, "report 2 err", g.Reports[1].Err, "")
		ediWant(t, "line errs", []string{g.Lines[0].Err, g.Lines[1].Err}, []string{g.Reports[0].Err, ""})
	}},
	{"multi_interchange.x12", func(t *testing.T, g *ediGolden) {
		ediWant(t, "quantities", ediQuantities(g), []string{"1", "2", "3"})
		ediWant(t, "reports", []string{g.Reports[0].ID, g.Reports[1].ID, g.Reports[2].ID}, []string{"R2024-05-A", "R2024-05-B", "R2024-05-C"})
		ediWant(t, "errs", []string{g.Reports[0].Err, g.Reports[1].Err, g.Reports[2].Err}, []string{"", "", ""})
		ediWant(t, "third interchange's raw", g.Lines[2].Raw, "QTY|39|3|EA~LIN||VP|MK-300~UIT|EA|100~DTM|003|20240512")
	}},
	{"bad_ge_count.x12", func(t *testing.T, g *ediGolden) {
		want := "functional group 501: GE01 says \"3\" transaction sets, the group has 2"
		ediWant(t, "errs", []string{g.Reports[0].Err, g.Reports[1].Err, g.Lines[0].Err, g.Lines[1].Err}, []string{want, want, want, want})
	}},
	{"truncated.x12", func(t *testing.T, g *ediGolden) {
		ediWant(t, "lines", len(g.Lines), 1)
		ediWant(t, "err", g.Reports[0].Err, "transaction set 0001 (segment 3): no SE trailer before the end of the file")
		ediWant(t, "line err", g.Lines[0].Err, g.Reports[0].Err)
	}},
}

func TestX12Files(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range x12Cases {
		seen[c.file] = true
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join("testdata", "x12", c.file)
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			g, err := ediCollect(t, ReadX12Reports, in)
			if err != nil {
				t.Fatalf("ReadX12: %v", err)
			}
			ediCheckGolden(t, path, g)
			c.check(t, g)
		})
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "x12", "*.x12"))
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			t.Errorf("%s has no test case", f)
		}
	}
}

// x12Doc builds an interchange around transaction sets, with correct counts.
func x12Doc(sets ...[]string) string {
	var b strings.Builder
	b.WriteString("ISA*00*          *00*          *ZZ*ACMEDIST       *ZZ*MAKERCO        *240201*0930*U*00401*000000001*0*P*>~")
	b.WriteString("GS*PT*ACMEDIST*MAKERCO*20240201*0930*1*X*004010~")
	for i, body := range sets {
		ctl := fmt.Sprintf("%04d", i+1)
		b.WriteString("ST*867*" + ctl + "~")
		for _, s := range body {
			b.WriteString(s + "~")
		}
		fmt.Fprintf(&b, "SE*%d*%s~", len(body)+2, ctl)
	}
	fmt.Fprintf(&b, "GE*%d*1~IEA*1*000000001~", len(sets))
	return b.String()
}

func TestX12Lines(t *testing.T) {
	head := []string{"BPT*00*R1*20240201", "PTD*SS", "N1*BY*SHOP*91*C1"}
	cases := []struct {
		name    string
		in      string
		field   string
		want    []string // the field of each line
		wantErr []string // each line's Err
	}{
		{"unparsable date kept", x12Doc(append(head, "QTY*39*1", "LIN**VP*A", "DTM*003*20241399")), "invoice_date", []string{"20241399"}, []string{""}},
		{"RD8 range: its end", x12Doc(append(head, "QTY*39*1", "LIN**VP*A", "DTM*003****RD8*20240101-20240131")), "invoice_date", []string{"2024-01-31"}, []string{""}},
		{"non-number kept", x12Doc(append(head, "QTY*39*1O", "LIN**VP*A")), "quantity", []string{"1O"}, []string{""}},
		{"return already negative", x12Doc([]string{"PTD*RV", "QTY*39*-4", "LIN**VP*A"}), "quantity", []string{"-4"}, []string{""}},
		{"return non-number", x12Doc([]string{"PTD*RV", "QTY*39*x", "LIN**VP*A"}), "quantity", []string{"x"}, []string{""}},
		{"quantity missing", x12Doc(append(head, "QTY*39", "LIN**VP*A")), "quantity", []string{""}, []string{"segment 7 QTY: quantity element missing (QTY02)"}},
		{"other QTY qualifiers ignored", x12Doc(append(head, "QTY*39*2", "QTY*17*50", "LIN**VP*A")), "quantity", []string{"2"}, []string{""}},
		{"LIN without QTY", x12Doc(append(head, "LIN**VP*A", "LIN**VP*B", "QTY*39*3")), "quantity", []string{"", "3"}, []string{"", ""}},
		{"total AMT ignored", x12Doc(append(head, "QTY*39*2", "LIN**VP*A", "AMT*TT*999", "AMT*1*20")), "amount", []string{"20"}, []string{""}},
		{"unknown segments ignored", x12Doc(append(head, "ZZZ*1", "QTY*39*2", "XYZ*Q", "LIN**VP*A")), "sku", []string{"A"}, []string{""}},
		{"items after CTT ignored", x12Doc(append(head, "QTY*39*2", "LIN**VP*A", "CTT*1", "QTY*39*5", "LIN**VP*B")), "sku", []string{"A"}, []string{""}},
		{"header currency", x12Doc(append([]string{"CUR*SE*EUR"}, append(head, "QTY*39*2", "LIN**VP*A")...)), "currency", []string{"EUR"}, []string{""}},
		{"no currency", x12Doc(append(head, "QTY*39*2", "LIN**VP*A")), "currency", []string{""}, []string{""}},
		{"N1*SO when no BY", x12Doc([]string{"PTD*SS", "N1*SO*SOLD TO*91*S1", "QTY*39*2", "LIN**VP*A"}), "reseller_id", []string{"S1"}, []string{""}},
		{"BY wins over ST", x12Doc([]string{"PTD*SS", "N1*ST*SHIP*91*S1", "N1*BY*BUY*91*B1", "QTY*39*2", "LIN**VP*A"}), "reseller_id", []string{"B1"}, []string{""}},
		{"latin-1 text", x12Doc([]string{"PTD*SS", "N1*BY*CAF\xc9 LUMI\xc8RE*91*B1", "QTY*39*2", "LIN**VP*A"}), "reseller_name", []string{"CAFÉ LUMIÈRE"}, []string{""}},
		{"latin-1 raw", x12Doc(append(head, "QTY*39*2", "LIN**VP*\xa1")), "sku", []string{"¡"}, []string{""}},
		{"long segment", x12Doc(append(head, "QTY*39*2", "LIN**VP*A", "MSG*"+strings.Repeat("x", edi.MaxSegment+10))), "sku", []string{"A"}, []string{"segment 9 MSG: segment longer than 64 KiB"}},
		{"ST outside GS", strings.Replace(x12Doc(append(head, "QTY*39*2", "LIN**VP*A")), "GS*PT*ACMEDIST*MAKERCO*20240201*0930*1*X*004010~", "", 1), "sku", []string{"A"},
			[]string{"transaction set 0001 (segment 2 ST): outside a functional group (no GS)"}},
		{"ST outside GS keeps its BPT", strings.Replace(x12Doc(append(head, "QTY*39*2", "LIN**VP*A")), "GS*PT*ACMEDIST*MAKERCO*20240201*0930*1*X*004010~", "", 1), "report", []string{"R1"},
			[]string{"transaction set 0001 (segment 2 ST): outside a functional group (no GS)"}},
		{"IEA count", strings.Replace(x12Doc(append(head, "QTY*39*2", "LIN**VP*A")), "IEA*1", "IEA*2", 1), "sku", []string{"A"},
			[]string{"interchange 000000001: IEA01 says \"2\" functional groups, the interchange has 1"}},
		{"IEA control", strings.Replace(x12Doc(append(head, "QTY*39*2", "LIN**VP*A")), "IEA*1*000000001", "IEA*1*000000002", 1), "sku", []string{"A"},
			[]string{"interchange 000000001: IEA02 control number \"000000002\" does not match ISA13"}},
		{"SE control", strings.Replace(x12Doc(append(head, "QTY*39*2", "LIN**VP*A")), "*0001~GE", "*0009~GE", 1), "sku", []string{"A"},
			[]string{"transaction set 0001: SE02 control number \"0009\" does not match ST02"}},
		{"sets after IEA without ISA", x12Doc(append(head, "QTY*39*2", "LIN**VP*A")) + "GS*PT*A*B*20240201*0930*2*X*004010~ST*867*0009~PTD*SS~QTY*39*1~LIN**VP*B~SE*5*0009~GE*1*2~", "sku", []string{"A", "B"},
			[]string{"", "segment 12 GS: outside an interchange (no ISA header before it)"}},
		{"GE missing", strings.Replace(x12Doc(append(head, "QTY*39*2", "LIN**VP*A")), "GE*1*1~", "", 1), "sku", []string{"A"},
			[]string{"functional group 1 (segment 2): no GE trailer before segment 10 IEA"}},
		{"IEA missing before the next ISA", strings.Replace(x12Doc(append(head, "QTY*39*2", "LIN**VP*A")), "IEA*1*000000001~", "", 1) + x12Doc(append(head, "QTY*39*3", "LIN**VP*B")), "sku", []string{"A", "B"},
			[]string{"interchange 000000001 (segment 1): no IEA trailer before segment 11 ISA", ""}},
		{"malformed second ISA", x12Doc(append(head, "QTY*39*2", "LIN**VP*A")) + "ISA*00~" + strings.TrimPrefix(x12Doc(append(head, "QTY*39*3", "LIN**VP*B")), "ISA*00*          *00*          *ZZ*ACMEDIST       *ZZ*MAKERCO        *240201*0930*U*00401*000000001*0*P*>~"), "sku", []string{"A", "B"},
			[]string{"", "segment 12 ISA: malformed interchange header (segment terminator 'Y' after ISA16 is not a separator)"}},
		{"segment terminator newline", strings.ReplaceAll(strings.Replace(x12Doc(append(head, "QTY*39*2", "LIN**VP*A")), "*>~", "*>\n", 1), "~", "\r\n"), "sku", []string{"A"}, []string{""}},
		{"last terminator missing", strings.TrimSuffix(x12Doc(append(head, "QTY*39*2", "LIN**VP*A")), "~"), "sku", []string{"A"}, []string{""}},
		{"non-867 set skipped", x12Doc([]string{"BIG*20240101*1"}, append(head, "QTY*39*2", "LIN**VP*A")), "sku", []string{"A"}, []string{""}},
		{"BOM and blank lines", "\xef\xbb\xbf\r\n" + x12Doc(append(head, "QTY*39*2", "LIN**VP*A")), "sku", []string{"A"}, []string{""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := ediCollect(t, ReadX12Reports, []byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			var got, gotErr []string
			for _, l := range g.Lines {
				got = append(got, ediLineValue(g, l, c.field))
				gotErr = append(gotErr, l.Err)
			}
			ediWant(t, c.field, got, c.want)
			ediWant(t, "errors", fmt.Sprintf("%q", gotErr), fmt.Sprintf("%q", c.wantErr))
		})
	}
}

func TestX12NotX12(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"empty", "", "not an X12 file: expected an ISA interchange header at the start, found an empty file"},
		{"csv", "date,qty\n2024-01-01,3\n", `not an X12 file: expected an ISA interchange header at the start, found "date,qty\n2024-01-01,3\n"`},
		{"edifact", "UNB+UNOC:3+A+B+240101:1200+1'", `not an X12 file: expected an ISA interchange header at the start, found "UNB+UNOC:3+A+B+240101:12"`},
		{"short ISA", "ISA*00*x~", "not an X12 file: malformed ISA interchange header (fewer than 16 elements)"},
		{"letter separator", "ISA000000", "not an X12 file: malformed ISA interchange header (element separator '0' is not a separator)"},
		{"only 810", strings.Replace(x12Doc([]string{"BIG*20240101*1"}), "ST*867", "ST*810", 1), "not an X12 867 file: expected 867 transaction sets, found only transaction set \"810\""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := ReadX12(strings.NewReader(c.in), func(canon.Line, *Report) error { return nil })
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("error %v, want %s", err, c.want)
			}
		})
	}
}

func TestX12AndEDIFACTDates(t *testing.T) {
	for in, want := range map[string]string{
		"20240229": "2024-02-29", "20230229": "20230229", "20241301": "20241301", "20240100": "20240100",
		"20241231": "2024-12-31", "2024123": "2024123", "2024-12-31": "2024-12-31", "19991131": "19991131", "00010101": "0001-01-01",
	} {
		if got := isoDate(in); got != want {
			t.Errorf("isoDate(%q) = %q, want %q", in, got, want)
		}
	}
	for _, c := range []struct{ v, format, from, to string }{
		{"20240115", "102", "20240115", "20240115"},
		{"202401151030", "203", "20240115", "20240115"},
		{"20240115103059", "204", "20240115", "20240115"},
		{"20240101-20240131", "718", "20240101", "20240131"},
		{"20240101-20240131", "", "20240101", "20240131"},
		{"202401151030", "", "20240115", "20240115"},
		{"2024011", "718", "2024011", "2024011"},
	} {
		if from, to := edDate(c.v, c.format); from != c.from || to != c.to {
			t.Errorf("edDate(%q, %q) = %q, %q, want %q, %q", c.v, c.format, from, to, c.from, c.to)
		}
	}
}

func TestX12AndEDIFACTNumbers(t *testing.T) {
	for in, want := range map[string]string{"5": "-5", "+5": "-5", "-5": "-5", "0.5": "-0.5", ".5": "-.5", "1e3": "1e3", "x": "x", "": "", "1.2.3": "1.2.3", "-": "-"} {
		if got := negate(in); got != want {
			t.Errorf("negate(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"2,5": "2.5", "2.5": "2.5", "1,000,5": "1,000,5", "1.000,5": "1.000,5", "abc": "abc"} {
		if got := edNumber(in); got != want {
			t.Errorf("edNumber(%q) = %q, want %q", in, got, want)
		}
	}
	for _, c := range []struct{ a, b, want string }{{"125.00", "10", "12.5"}, {"10", "3", "3.3333333333"}, {"1", "0", ""}, {"x", "2", ""}} {
		got, _ := divideDecimal(c.a, c.b)
		if got != c.want {
			t.Errorf("divideDecimal(%s, %s) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

func TestX12EmitError(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "x12", "4010_basic.x12"))
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	err = ReadX12(bytes.NewReader(in), func(canon.Line, *Report) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("err %v after %d lines, want stop after 1", err, n)
	}
}

type x12FailingReader struct{ r io.Reader }

func (f *x12FailingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, io.ErrUnexpectedEOF
	}
	return n, err
}

func TestX12ReadError(t *testing.T) {
	in := x12Doc([]string{"PTD*SS", "QTY*39*1", "LIN**VP*A"})
	err := ReadX12(&x12FailingReader{strings.NewReader(in)}, func(canon.Line, *Report) error { return nil })
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err %v, want the reader's error", err)
	}
}

// TestX12AndEDIFACTSpool reads a large generated file with the outbox spilling to disk after a
// few bytes: the result is the same as in memory, and the spool file is removed.
func TestX12AndEDIFACTSpool(t *testing.T) {
	x12 := x12Bench(3000)
	ed := edBench(3000)
	for _, c := range []struct {
		name string
		read ediReadFunc
		in   []byte
	}{{"x12", ReadX12Reports, x12}, {"edifact", ReadEDIFACTReports, ed}} {
		t.Run(c.name, func(t *testing.T) {
			mem, err := ediCollect(t, c.read, c.in)
			if err != nil {
				t.Fatal(err)
			}
			old := edi.SpoolMem
			edi.SpoolMem = 1000
			defer func() { edi.SpoolMem = old }()
			dir := t.TempDir()
			t.Setenv("TMPDIR", dir)
			disk, err := ediCollect(t, c.read, c.in)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(mem)
			b, _ := json.Marshal(disk)
			if !bytes.Equal(a, b) {
				t.Fatal("spooled result differs from the in-memory one")
			}
			if len(mem.Lines) != 3000 {
				t.Fatalf("%d lines, want 3000", len(mem.Lines))
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Fatalf("spool files left: %v", left)
			}
		})
	}
}

// ediFuzzCheck asserts what must hold for any input.
func ediFuzzCheck(t *testing.T, read ediReadFunc, in []byte) {
	lines := 0
	valid := func(what, s string) {
		if !utf8.ValidString(s) {
			t.Fatalf("%s is not valid UTF-8: %q", what, s)
		}
	}
	_ = read(bytes.NewReader(in), func(l canon.Line, rep *Report) error {
		lines++
		if lines*4 > len(in) {
			t.Fatalf("%d lines from %d bytes", lines, len(in))
		}
		if len(l.Fields) != len(canon.Fields) {
			t.Fatalf("%d fields", len(l.Fields))
		}
		for i, f := range l.Fields {
			if f != nil {
				valid(canon.Fields[i], *f)
			}
		}
		valid("raw", l.Raw)
		valid("err", l.Err)
		if len(l.Raw) > ediMaxRaw {
			t.Fatalf("raw of %d bytes", len(l.Raw))
		}
		if rep.Err != "" && l.Err != rep.Err {
			t.Fatalf("line err %q, report err %q", l.Err, rep.Err)
		}
		return nil
	}, func(rep *Report, n int) error {
		for _, s := range []string{rep.ID, rep.Purpose, rep.Currency, rep.Control, rep.Err} {
			valid("report", s)
		}
		switch rep.Purpose {
		case PurposeOriginal, PurposeReplace, PurposeCancel:
		default:
			t.Fatalf("purpose %q", rep.Purpose)
		}
		return nil
	})
}

func ediSeeds(f *testing.F, pattern string) {
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds in %s", pattern)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzX12(f *testing.F) {
	ediSeeds(f, filepath.Join("testdata", "x12", "*.x12"))
	f.Fuzz(func(t *testing.T, in []byte) {
		ediFuzzCheck(t, ReadX12Reports, in)
	})
}

// x12Bench generates an 867 interchange of n lines: reports of 1,000 lines, PTD
// loops of 20 lines.
func x12Bench(n int) []byte {
	var b bytes.Buffer
	b.WriteString("ISA*00*          *00*          *ZZ*ACMEDIST       *ZZ*MAKERCO        *240201*0930*U*00401*000000001*0*P*>~\n")
	b.WriteString("GS*PT*ACMEDIST*MAKERCO*20240201*0930*1*X*004010~\n")
	sets := 0
	for i := 0; i < n; {
		sets++
		fmt.Fprintf(&b, "ST*867*%04d~\nBPT*00*R%d*20240201*DD~\nCUR*SE*USD~\nDTM*090*20240101~\nDTM*091*20240131~\n", sets, sets)
		segs := 6
		for j := 0; j < 1000 && i < n; j += 20 {
			fmt.Fprintf(&b, "PTD*SS~\nN1*BY*RESELLER %d*91*C%d~\nN3*%d MAIN STREET~\nN4*SPRINGFIELD*IL*627%02d*US~\n", i%977, i%977, i%100, i%100)
			segs += 4
			for k := 0; k < 20 && i < n; k++ {
				fmt.Fprintf(&b, "QTY*39*%d*EA~\nLIN**VP*MK-%d*UP*0123456%05d~\nUIT*EA*%d.%02d~\nAMT*1*%d.00~\nDTM*003*202401%02d~\nREF*IV*INV-%d~\n",
					i%17+1, i%300, i%99999, i%90+1, i%100, (i%17+1)*(i%90+1), i%28+1, i)
				segs += 6
				i++
			}
		}
		fmt.Fprintf(&b, "SE*%d*%04d~\n", segs, sets)
	}
	fmt.Fprintf(&b, "GE*%d*1~\nIEA*1*000000001~\n", sets)
	return b.Bytes()
}

// ediBench reads in, from a file as the loader does, b.N times, reporting lines/s,
// bytes/s and the peak heap in use above what it was before (sampled every 5 ms).
func ediBench(b *testing.B, read ediReadFunc, in []byte, want int) {
	path := filepath.Join(b.TempDir(), "bench.edi")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	in = nil
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	stop, peakc := make(chan struct{}), make(chan uint64)
	go func() {
		var ms runtime.MemStats
		peak := base
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				peakc <- peak
				return
			case <-tick.C:
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
	}()
	lines := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		err = read(f, func(l canon.Line, rep *Report) error {
			n++
			return nil
		}, nil)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if n != want {
			b.Fatalf("%d lines, want %d", n, want)
		}
		lines += n
	}
	b.StopTimer()
	close(stop)
	peak := <-peakc
	b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
	b.ReportMetric(float64(peak-base)/(1<<20), "peak-heap-MiB")
}

const ediBenchLines = 200_000

func BenchmarkX12(b *testing.B) {
	ediBench(b, ReadX12Reports, x12Bench(ediBenchLines), ediBenchLines)
}
