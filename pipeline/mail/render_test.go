package mail

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const testFrom = "Sales-out alerts <alerts@example.com>"

var (
	testTo   = []string{"Marie Curie <marie.curie@example.com>", "director@example.com"}
	testAsOf = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	testDate = time.Date(2026, 11, 24, 6, 15, 0, 0, time.FixedZone("CET", 3600))
)

// goldenCases are the representative alerts whose .eml is kept in testdata/.
var goldenCases = []struct {
	name string
	d    Deviation
}{
	{"territory-critical", Deviation{
		AlertID: 42, Scope: "territory", ScopeID: "FR-IDF", KPI: "revenue", Period: "ytd", AsOf: testAsOf,
		Actual: 612345.5, Target: 900000, AnnualTarget: 1000000, DeviationPct: -31.96,
		Severity: "critical", Currency: "EUR",
	}},
	{"partner-worse", Deviation{
		AlertID: 7, Scope: "partner", ScopeID: "P-0042", ScopeName: "Café Dupont & Fils", KPI: "revenue", Period: "ytd", AsOf: testAsOf,
		Actual: 18250, Target: 25100.4, AnnualTarget: 28000, DeviationPct: -27.29,
		Severity: "critical", PreviousSeverity: "warning", Currency: "EUR",
	}},
	{"rep-units-widened", Deviation{
		AlertID: 1234, Scope: "sales_rep", ScopeID: "rep-007", ScopeName: "Jean Martin", KPI: "units", Period: "ytd", AsOf: testAsOf,
		Actual: 1234, Target: 1407.53, AnnualTarget: 1710, DeviationPct: -12.33,
		Severity: "warning", PreviousSeverity: "warning",
	}},
}

// render renders d from testFrom to testTo, dated testDate.
func render(t *testing.T, d Deviation) Message {
	t.Helper()
	m, err := Render(d, testFrom, testTo)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	m.Date = testDate
	return m
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if _, err := render(t, tc.d).WriteTo(&buf); err != nil {
				t.Fatalf("WriteTo: %v", err)
			}
			path := filepath.Join("testdata", tc.name+".eml")
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s differs from the output (run go test -update to accept it); got:\n%s", path, buf.Bytes())
			}
		})
	}
}

func TestSubject(t *testing.T) {
	base := goldenCases[0].d
	for _, tc := range []struct {
		name string
		edit func(*Deviation)
		want string
	}{
		{"behind", func(*Deviation) {}, "[salesout] CRITICAL: territory FR-IDF revenue 32% behind target (YTD)"},
		{"ahead", func(d *Deviation) { d.DeviationPct, d.Severity = 18.6, "warning" },
			"[salesout] WARNING: territory FR-IDF revenue 19% ahead of target (YTD)"},
		{"worse", func(d *Deviation) { d.PreviousSeverity = "warning" },
			"Worse: [salesout] CRITICAL: territory FR-IDF revenue 32% behind target (YTD)"},
		{"total", func(d *Deviation) { d.Scope, d.ScopeID = "total", "all" },
			"[salesout] CRITICAL: total revenue 32% behind target (YTD)"},
		{"named rep, units", func(d *Deviation) {
			d.Scope, d.ScopeID, d.ScopeName, d.KPI, d.Currency = "sales_rep", "rep-007", "Jean Martin", "units", ""
		}, "[salesout] CRITICAL: sales rep Jean Martin (rep-007) units 32% behind target (YTD)"},
		{"product line", func(d *Deviation) { d.Scope, d.ScopeID = "product_line", "PL-9" },
			"[salesout] CRITICAL: product line PL-9 revenue 32% behind target (YTD)"},
		{"thousands", func(d *Deviation) { d.DeviationPct = 1250.4 },
			"[salesout] CRITICAL: territory FR-IDF revenue 1,250% ahead of target (YTD)"},
		{"line breaks in data", func(d *Deviation) { d.ScopeID = "FR-IDF\r\nBcc: x@example.com\u2028" },
			"[salesout] CRITICAL: territory FR-IDF Bcc: x@example.com revenue 32% behind target (YTD)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := base
			tc.edit(&d)
			if got := render(t, d).Subject; got != tc.want {
				t.Errorf("subject\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestBodyMentions(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    Deviation
		want []string // in both the text and the HTML body, with spaces and line breaks as one space
		not  []string
	}{
		{"first sent", goldenCases[0].d, []string{
			"Territory FR-IDF is 32.0% behind target on revenue year to date",
			"612,345.50 EUR", "900,000.00 EUR", "1,000,000.00 EUR", "-32.0%", "CRITICAL",
			"about 680,384 EUR, 319,616 EUR short of the annual target",
			"Figures as of 23 November 2026.", "Target due by 23 November 2026",
		}, []string{"previously sent"}},
		{"severity rose", goldenCases[1].d, []string{
			"This alert was previously sent at severity WARNING; it is now CRITICAL.",
		}, nil},
		{"same severity", goldenCases[2].d, []string{
			"1,234 units", "1,407.53 units", "1,710 units", "Jean Martin", "rep-007", "sales rep",
			"This alert was previously sent at severity WARNING; the deviation has grown since.",
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := render(t, tc.d)
			for part, body := range map[string]string{"text": m.Text, "html": m.HTML} {
				body = strings.Join(strings.Fields(body), " ")
				for _, w := range tc.want {
					if !strings.Contains(body, w) {
						t.Errorf("%s body lacks %q:\n%s", part, w, body)
					}
				}
				for _, w := range tc.not {
					if strings.Contains(body, w) {
						t.Errorf("%s body has %q:\n%s", part, w, body)
					}
				}
			}
		})
	}
}

func TestHTMLEscapes(t *testing.T) {
	d := goldenCases[1].d
	d.ScopeID = "<script>alert(1)</script>"
	d.ScopeName = `"; DROP TABLE alerts; --`
	m := render(t, d)
	for _, bad := range []string{"<script>", `"; DROP`} {
		if strings.Contains(m.HTML, bad) {
			t.Errorf("HTML has %q unescaped:\n%s", bad, m.HTML)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;; DROP TABLE alerts; --"} {
		if !strings.Contains(m.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, m.HTML)
		}
	}
	// The text part is plain text: the fields are there as they are.
	if !strings.Contains(m.Text, "<script>alert(1)</script>") {
		t.Errorf("text body lacks the scope id:\n%s", m.Text)
	}
}

func TestHTMLHasNoExternalResource(t *testing.T) {
	m := render(t, goldenCases[0].d)
	for _, bad := range []string{"http:", "https:", "<link", "<img", "<script", "<style", "url("} {
		if strings.Contains(m.HTML, bad) {
			t.Errorf("HTML has %q", bad)
		}
	}
}

func TestMessageID(t *testing.T) {
	d := goldenCases[0].d
	a, b := render(t, d), render(t, d)
	if ok, _ := regexp.MatchString(`^<alert-42-20261123-[0-9a-f]{16}@salesout>$`, a.MessageID); !ok {
		t.Errorf("MessageID %q", a.MessageID)
	}
	if a.MessageID != b.MessageID {
		t.Errorf("the same alert got two ids: %s, %s", a.MessageID, b.MessageID)
	}
	d.Actual++
	if c := render(t, d); c.MessageID == a.MessageID {
		t.Errorf("other figures, same id %s", c.MessageID)
	}
}

func TestRenderRefuses(t *testing.T) {
	for _, tc := range []struct {
		name     string
		edit     func(*Deviation)
		from     string
		to       []string
		injected bool // the error wraps ErrInvalidHeader
	}{
		{"severity ok", func(d *Deviation) { d.Severity = "ok" }, testFrom, testTo, false},
		{"previous severity", func(d *Deviation) { d.PreviousSeverity = "bad" }, testFrom, testTo, false},
		{"no scope", func(d *Deviation) { d.Scope = " " }, testFrom, testTo, false},
		{"no KPI", func(d *Deviation) { d.KPI = "" }, testFrom, testTo, false},
		{"no period", func(d *Deviation) { d.Period = "" }, testFrom, testTo, false},
		{"no as-of", func(d *Deviation) { d.AsOf = time.Time{} }, testFrom, testTo, false},
		{"NaN", func(d *Deviation) { d.DeviationPct = math.NaN() }, testFrom, testTo, false},
		{"infinite", func(d *Deviation) { d.Target = math.Inf(1) }, testFrom, testTo, false},
		{"From injection", func(*Deviation) {}, "alerts@example.com\r\nBcc: x@y", testTo, true},
		{"To injection", func(*Deviation) {}, testFrom, []string{"a@example.com\r\nBcc: x@y"}, true},
		{"bad address", func(*Deviation) {}, testFrom, []string{"not an address"}, true},
		{"no recipient", func(*Deviation) {}, testFrom, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := goldenCases[0].d
			tc.edit(&d)
			_, err := Render(d, tc.from, tc.to)
			if err == nil {
				t.Fatal("Render accepted it")
			}
			if got := isInvalidHeader(err); got != tc.injected {
				t.Errorf("error %v: wraps ErrInvalidHeader = %v, want %v", err, got, tc.injected)
			}
		})
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tc := range []struct {
		v        float64
		decimals int
		want     string
	}{
		{0, 2, "0.00"},
		{999, 0, "999"},
		{1000, 0, "1,000"},
		{1234567.891, 2, "1,234,567.89"},
		{-1234567.891, 2, "-1,234,567.89"},
		{-0.001, 2, "0.00"},
		{123456, 1, "123,456.0"},
		{999999.999, 2, "1,000,000.00"},
	} {
		if got := formatNumber(tc.v, tc.decimals); got != tc.want {
			t.Errorf("formatNumber(%v, %d) = %q, want %q", tc.v, tc.decimals, got, tc.want)
		}
	}
}

func TestAmount(t *testing.T) {
	money := Deviation{KPI: "revenue", Currency: "EUR"}
	units := Deviation{KPI: "units"}
	for _, tc := range []struct {
		d    Deviation
		v    float64
		want string
	}{
		{money, 1234567.891, "1,234,567.89 EUR"},
		{money, 5, "5.00 EUR"},
		{units, 1235, "1,235 units"},
		{units, 24.66, "24.66 units"},
		{units, 4.999, "5 units"},
		{Deviation{KPI: "orders"}, 12, "12"},
	} {
		if got := tc.d.amount(tc.v); got != tc.want {
			t.Errorf("amount(%v) for %s = %q, want %q", tc.v, tc.d.KPI, got, tc.want)
		}
	}
	for pct, want := range map[float64]string{-32.49: "-32.5%", 4: "+4.0%", 0.01: "0.0%", -0.01: "0.0%"} {
		if got := signedPercent(pct); got != want {
			t.Errorf("signedPercent(%v) = %q, want %q", pct, got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	long := strings.Repeat("word ", 40)
	for _, line := range strings.Split(wrap(long), "\n") {
		if len(line) > textWidth {
			t.Errorf("line of %d characters: %q", len(line), line)
		}
	}
	if got := wrap("a  b\n c"); got != "a b c" {
		t.Errorf("wrap = %q", got)
	}
}
