package mail

import (
	"bytes"
	"image"
	"image/png"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tinyPNG is a 2 x 2 PNG standing for a chart.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// testDigest is a representative digest: a critical territory with contributors and a
// chart, a warning partner with a hostile name, a data alert, a resolved one.
func testDigest(t *testing.T) Digest {
	dev := Deviation{AlertID: 42, Scope: "territory", ScopeID: "FR-IDF", KPI: "revenue", Period: "ytd", AsOf: testAsOf,
		Actual: 612345.5, Target: 850000, AnnualTarget: 1000000, DeviationPct: -27.96, Severity: "critical", Currency: "EUR"}
	territory := dev.Item()
	territory.Notice = "new"
	territory.Detail = "reps Marie Curie, Jean Martin"
	territory.Figures = append(territory.Figures, Row{"Year over year", Percent(-18.25)}, Row{"Pace to year end", "702,100 EUR"})
	territory.Tables = []Table{{Title: "Partners that make the gap", Columns: []string{"Partner", "Year to date", "Last year", "Change"},
		Rows: [][]string{{"Café Dupont & Fils, Paris", "12.3k", "48.0k", Percent(-74.4)}, {"3 others", "201.5k", "210.0k", Percent(-4)}}}}
	territory.Notes = []string{"Unrecognised resellers in this territory's area bought 31,200 EUR this year."}
	territory.Chart, territory.ChartAlt = tinyPNG(t), "FR-IDF: monthly revenue"

	partner := Deviation{AlertID: 7, Scope: "partner", ScopeID: "P-0042", ScopeName: "<script>alert(1)</script>\r\nBcc: evil@example.com",
		KPI: "revenue", Period: "ytd", AsOf: testAsOf, Actual: 18250, Target: 21100.4, AnnualTarget: 28000, DeviationPct: -13.5,
		Severity: "warning", Currency: "EUR"}.Item()
	partner.Notice = "worse"

	feed := Item{AlertID: 9, Severity: "warning", Notice: "repeat", Headline: "feed acme silent",
		Title:   "Feed acme-daily (distributor ACME): no new file for 2 days 3 hours",
		Summary: "From distributor ACME, no new file for 2 days 3 hours, while one is expected every 1 day.",
		Figures: []Row{{"Last file received", "2026-11-21 03:00 CET"}}, Rank: -51}
	resolved := Item{AlertID: 3, Severity: "warning", Notice: "resolved", Headline: "resolved: FR-ARA",
		Title: "Back to normal: Territory FR-ARA: revenue 12.0% behind target (year to date)"}
	return Digest{ID: 17, From: testFrom, To: "marie.curie@example.com", AsOf: testAsOf,
		Items: []Item{feed, partner, territory}, Resolved: []Item{resolved}}
}

func TestDigestGolden(t *testing.T) {
	m, err := RenderDigest(testDigest(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]string{"digest.txt": "Subject: " + m.Subject + "\n\n" + m.Text, "digest.html": m.HTML} {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs from the output (run go test -update to accept it); got:\n%s", path, got)
		}
	}
}

func TestDigestSubjectAndOrder(t *testing.T) {
	d := testDigest(t)
	m, err := RenderDigest(d)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[salesout] 1 critical, 2 warnings, 1 resolved: FR-IDF revenue −28.0 % and 2 more"; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	// Most severe first; within a severity, the worst deviation first.
	body := m.Text
	iT, iF, iP := strings.Index(body, "Territory FR-IDF"), strings.Index(body, "Feed acme-daily"), strings.Index(body, "P-0042")
	if !(iT < iF && iF < iP) || iT < 0 {
		t.Errorf("order: territory %d, feed %d, partner %d", iT, iF, iP)
	}
	d.Items = nil
	m, _ = RenderDigest(d)
	if want := "[salesout] 1 resolved: resolved: FR-ARA"; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	d.Items = []Item{{AlertID: 1, Severity: "warning", Headline: "x", Title: "x"}, {AlertID: 2, Severity: "warning", Headline: "y", Title: "y"}}
	d.Resolved = nil
	m, _ = RenderDigest(d)
	if want := "[salesout] 2 warnings: x and 1 more"; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
}

// TestDigestEscapes: a hostile name is text in both parts and never a header.
func TestDigestEscapes(t *testing.T) {
	m, err := RenderDigest(testDigest(t))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.HTML, "<script") || !strings.Contains(m.HTML, "&lt;script&gt;alert(1)&lt;/script&gt; Bcc: evil@example.com") {
		t.Errorf("HTML does not escape the name")
	}
	if !strings.Contains(m.Text, "<script>alert(1)</script> Bcc: evil@example.com") {
		t.Errorf("text part lacks the name on one line")
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := msg.Header["Bcc"]; ok {
		t.Error("the data added a Bcc header")
	}
	for _, bad := range []string{"http:", "https:", "<link", "<style", "url("} {
		if strings.Contains(m.HTML, bad) {
			t.Errorf("HTML has %q", bad)
		}
	}
	if !strings.Contains(m.HTML, `src="cid:trend-42@salesout"`) || len(m.Inline) != 1 || m.Inline[0].CID != "trend-42@salesout" {
		t.Errorf("the chart is not inline by Content-ID: %+v", m.Inline)
	}
}

func TestDigestRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Digest)
	}{
		{"nothing to say", func(d *Digest) { d.Items, d.Resolved = nil, nil }},
		{"To injection", func(d *Digest) { d.To = "a@example.com\r\nBcc: x@y" }},
		{"two addresses", func(d *Digest) { d.To = "a@example.com, b@example.com" }},
		{"no as-of", func(d *Digest) { d.AsOf = time.Time{} }},
		{"bad severity", func(d *Digest) { d.Items[0].Severity = "ok" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := testDigest(t)
			tc.edit(&d)
			if _, err := RenderDigest(d); err == nil {
				t.Error("RenderDigest accepted it")
			}
		})
	}
}

// TestInlineParts: a message with images is multipart/alternative of the text and a
// multipart/related of the HTML and its images, each image base64 with its Content-ID.
func TestInlineParts(t *testing.T) {
	m, err := RenderDigest(testDigest(t))
	if err != nil {
		t.Fatal(err)
	}
	m.Date = testDate
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	for _, want := range []string{"Content-Type: multipart/alternative;", "Content-Type: multipart/related;",
		"Content-Id: <trend-42@salesout>", "Content-Transfer-Encoding: base64", "Content-Disposition: inline; filename=trend-42.png"} {
		if !strings.Contains(raw, want) {
			t.Errorf("the message lacks %q", want)
		}
	}
	bad := m
	bad.Inline = []Inline{{CID: "a>\r\nBcc: x@y", Name: "x.png", ContentType: "image/png", Data: []byte{1}}}
	if _, err := bad.WriteTo(&bytes.Buffer{}); !isInvalidHeader(err) {
		t.Errorf("a hostile Content-ID: %v, want ErrInvalidHeader", err)
	}
}

func TestPercent(t *testing.T) {
	for v, want := range map[float64]string{-27.96: "−28.0 %", 4.04: "+4.0 %", 0: "0.0 %", -1234.5: "−1,234.5 %"} {
		if got := Percent(v); got != want {
			t.Errorf("Percent(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestDigestBrief: past FullItems, alerts are shown in brief, without their tables and
// charts.
func TestDigestBrief(t *testing.T) {
	d := testDigest(t)
	var items []Item
	for i := range FullItems + 2 {
		it := d.Items[2] // the territory, with its tables and chart
		it.AlertID, it.Rank = int64(100+i), float64(i)
		items = append(items, it)
	}
	d.Items = items
	m, err := RenderDigest(d)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Inline) != FullItems {
		t.Errorf("%d charts, want %d", len(m.Inline), FullItems)
	}
	for _, body := range []string{m.Text, m.HTML} {
		if !strings.Contains(body, "2 more, in brief") || strings.Count(body, "Partners that make the gap") != FullItems {
			t.Errorf("the brief part is not brief:\n%s", body)
		}
	}
}
