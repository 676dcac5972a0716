package report

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"flag"
	"fmt"
	"html"
	"image/png"
	"math"
	netmail "net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/salesout/salesout/pipeline/chart"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/explain"
	"github.com/salesout/salesout/pipeline/explain/explaintest"
	"github.com/salesout/salesout/pipeline/warehouse"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixture opens a warehouse at path (":memory:" or a file) holding explaintest's
// fixture, P1 named partnerName ("" for its own name).
func fixture(t *testing.T, path, partnerName string) (*warehouse.DB, *sql.Conn) {
	t.Helper()
	ctx := context.Background()
	w, err := warehouse.Open(ctx, config.Warehouse{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	conn, err := w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := explaintest.Load(ctx, conn, partnerName); err != nil {
		t.Fatal(err)
	}
	return w, conn
}

// dataURI is a chart's data URI as html/template writes it (a + as &#43;).
var dataURI = regexp.MustCompile(`data:image/png;base64,([A-Za-z0-9+/=&#;]+)`)

// checkSelfContained fails when page refers to anything outside itself, and checks that
// each chart is a PNG of the chart's size.
func checkSelfContained(t *testing.T, page []byte) {
	t.Helper()
	rest := dataURI.ReplaceAllString(string(page), "data:(chart)")
	for _, bad := range []string{"http:", "https:", "//", "url(", "@import", "<script", "<link", "<iframe", "<object", "srcset"} {
		if i := strings.Index(strings.ToLower(rest), bad); i >= 0 {
			t.Errorf("page holds %q: %q", bad, rest[max(0, i-60):min(len(rest), i+60)])
		}
	}
	for _, m := range regexp.MustCompile(`(?i)\b(src|href)\s*=\s*"([^"]*)"`).FindAllStringSubmatch(rest, -1) {
		if m[2] != "data:(chart)" {
			t.Errorf("%s=%q: want only data:image/png URIs", m[1], m[2])
		}
	}
	uris := dataURI.FindAllStringSubmatch(string(page), -1)
	if len(uris) == 0 {
		t.Error("no chart in the page")
	}
	for _, m := range uris {
		b, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
		if err != nil {
			t.Fatalf("chart: %v", err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("chart: %v", err)
		}
		if sz := img.Bounds().Size(); sz.X != chart.Width || sz.Y != chart.Height {
			t.Errorf("chart %v, want %dx%d", sz, chart.Width, chart.Height)
		}
	}
}

// TestPageGolden renders territory T1 and rep R1 of the fixture and compares them with
// testdata/*.golden.html, charts left out (package chart has their golden files).
func TestPageGolden(t *testing.T) {
	_, conn := fixture(t, ":memory:", "")
	for _, c := range []struct{ scope, id string }{{ScopeTerritory, "T1"}, {ScopeSalesRep, "R1"}, {ScopeTerritory, "T2"}} {
		t.Run(c.scope+"-"+c.id, func(t *testing.T) {
			page, err := Page(context.Background(), conn, PageOptions{Scope: c.scope, ScopeID: c.id, AsOf: explaintest.AsOf, Currency: "EUR"})
			if err != nil {
				t.Fatal(err)
			}
			checkSelfContained(t, page)
			got := dataURI.ReplaceAll(page, []byte("data:image/png;base64,(chart)"))
			golden := filepath.Join("testdata", c.scope+"-"+c.id+".golden.html")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("page differs from %s (run with -update and review the diff)", golden)
			}
		})
	}
}

// TestPageEscapes gives partner P1 a hostile name: markup and a CRLF with an e-mail
// header after it.
func TestPageEscapes(t *testing.T) {
	hostile := "<script>alert('x')</script> Dupont\r\nBcc: victim@example.com \"quoted\" & <b>"
	_, conn := fixture(t, ":memory:", hostile)
	page, err := Page(context.Background(), conn, PageOptions{Scope: ScopeTerritory, ScopeID: "T1", AsOf: explaintest.AsOf, Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	checkSelfContained(t, page)
	for _, bad := range []string{"<script", "<b>", "\r", "Dupont\nBcc"} {
		if strings.Contains(s, bad) {
			t.Errorf("page holds %q unescaped", bad)
		}
	}
	if !strings.Contains(s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Dupont  Bcc: victim@example.com &#34;quoted&#34; &amp; &lt;b&gt;") {
		t.Error("the hostile name is not in the page, escaped and on one line")
	}
}

// TestRun writes the pack of a warehouse (no snapshot published yet) for each scope.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "warehouse.duckdb")
	w, conn := fixture(t, path, "")
	conn.Close()
	w.Close() // Run opens it read-only, as a reader of a stopped worker's database
	cfg := &config.Config{BaseCurrency: "EUR", Warehouse: config.Warehouse{Path: path, Publish: filepath.Join(dir, "analytics.duckdb")}}
	for _, c := range []struct {
		scope string
		want  []string
	}{
		{"", []string{"territory-T1.html", "territory-T2.html"}},
		{ScopeSalesRep, []string{"sales_rep-R1.html", "sales_rep-R2.html"}},
	} {
		out := filepath.Join(dir, "out-"+c.scope)
		res, err := Run(context.Background(), cfg, Options{Scope: c.scope, Out: out})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range res.Files {
			got = append(got, filepath.Base(f))
			page, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			checkSelfContained(t, page)
		}
		if !slices.Equal(got, c.want) || !res.AsOf.Equal(explaintest.AsOf) || res.Source != path {
			t.Errorf("scope %q: wrote %v as of %v from %s, want %v as of %v from %s", c.scope, got, res.AsOf, res.Source, c.want, explaintest.AsOf, path)
		}
		entries, _ := os.ReadDir(out)
		if len(entries) != len(c.want) {
			t.Errorf("%d files in %s, want %d (no temporary file left)", len(entries), out, len(c.want))
		}
	}
	if _, err := Run(context.Background(), cfg, Options{AsOf: explaintest.AsOf.AddDate(0, 0, -1), Out: dir}); err == nil ||
		!strings.Contains(err.Error(), "nothing was scored as of 2026-03-14 (the latest is 2026-03-15)") {
		t.Errorf("as of a day not scored: %v", err)
	}
	if res, err := Run(context.Background(), cfg, Options{AsOf: explaintest.AsOf, Out: filepath.Join(dir, "dated")}); err != nil || len(res.Files) != 2 {
		t.Errorf("as of the day scored: %v, %+v", err, res)
	}
	if _, err := Run(context.Background(), cfg, Options{Scope: "region", Out: dir}); err == nil || !strings.Contains(err.Error(), `unknown scope "region"`) {
		t.Errorf("scope region: %v", err)
	}
	missing := &config.Config{Warehouse: config.Warehouse{Path: filepath.Join(dir, "none.duckdb"), Publish: filepath.Join(dir, "none2.duckdb")}}
	if _, err := Run(context.Background(), missing, Options{Out: dir}); err == nil || !strings.Contains(err.Error(), "run the pipeline first") {
		t.Errorf("no database: %v", err)
	}
}

func TestFileName(t *testing.T) {
	tests := []struct{ id, want string }{
		{"FR-IDF", "territory-FR-IDF.html"},
		{"fr_sud.2", "territory-fr_sud.2.html"},
		{"../etc/passwd", "territory-_._etc_passwd-"},
		{"FR/IDF", "territory-FR_IDF-"},
		{".hidden", "territory-_hidden-"},
		{"", "territory--"},
		{"Île-de-France", "territory-_le-de-France-"},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		got := FileName(ScopeTerritory, tt.id)
		if !strings.HasPrefix(got, tt.want) || !strings.HasSuffix(got, ".html") || strings.ContainsAny(got, "/\\") || strings.HasPrefix(got, ".") {
			t.Errorf("FileName(%q) = %q, want %q...", tt.id, got, tt.want)
		}
		if other, ok := seen[got]; ok {
			t.Errorf("%q and %q share %s", other, tt.id, got)
		}
		seen[got] = tt.id
	}
	if FileName(ScopeTerritory, "A/B") == FileName(ScopeTerritory, "A_B") {
		t.Error("A/B and A_B share a file name")
	}
}

// TestContributorTables: the largest drops, the largest rises, then the others summed,
// adding up to the kind's total.
func TestContributorTables(t *testing.T) {
	var all []explain.Contributor
	for i, d := range []float64{-50, -40, -30, -20, -10, -5, 0, 5, 10, 20, 30, 40} { // most negative first, as explain ranks
		all = append(all, explain.Contributor{Kind: explain.KindPartner, ID: fmt.Sprint("P", i), Name: fmt.Sprint("P", i),
			Actual: 100 + d, LastYear: 100, Delta: d})
	}
	all = append(all, explain.Contributor{Kind: explain.KindDistributor, ID: "ACME", Name: "ACME", Actual: 1000, LastYear: 1100, Delta: -100})
	tables := contributorTables(all, 3, "EUR")
	if len(tables) != 2 {
		t.Fatalf("%d tables, want partners and distributors", len(tables))
	}
	var names []string
	var actual float64
	for _, r := range tables[0].Rows {
		names = append(names, r.Name)
		actual += r.Actual
	}
	want := []string{"P0", "P1", "P2", "P11", "P10", "P9", "6 others"}
	if !slices.Equal(names, want) || actual != 12*100+(-50-40-30-20-10-5+5+10+20+30+40) {
		t.Errorf("rows %v adding up to %v, want %v", names, actual, want)
	}
	if r := tables[1].Rows; len(r) != 1 || r[0].Name != "ACME" {
		t.Errorf("distributors %+v", r)
	}
}

// TestCoverage: a territory's coverage on its page is territory_coverage's row.
func TestCoverage(t *testing.T) {
	_, conn := fixture(t, ":memory:", "")
	ctx := context.Background()
	for _, id := range []string{"T1", "T2"} {
		ps, err := scopePartners(ctx, conn, explaintest.AsOf, ScopeTerritory, id)
		if err != nil {
			t.Fatal(err)
		}
		got := coverageOf(ps)
		var want coverage
		var share sql.NullFloat64
		var potential sql.NullFloat64
		if err := conn.QueryRowContext(ctx, `SELECT partners, active_partners, coverage_pct, revenue_12m::DOUBLE, potential::DOUBLE,
				share_of_wallet, white_space_potential::DOUBLE, white_spaces, prospecting_partners, estimated_potential::DOUBLE
			FROM territory_coverage WHERE as_of = ? AND territory = ?`, explaintest.AsOf, id).Scan(
			&want.Partners, &want.Active, &want.CoveragePct, &want.Revenue, &potential, &share,
			&want.WhiteSpacePotential, &want.WhiteSpaces, &want.Prospecting, &want.EstimatedPotential); err != nil {
			t.Fatal(err)
		}
		want.Potential, want.HasShare = potential.Float64, share.Valid
		if share.Valid && math.Abs(share.Float64-got.ShareOfWallet) < 0.00005 {
			want.ShareOfWallet = got.ShareOfWallet // territory_coverage rounds it to 4 decimals
		}
		if got != want {
			t.Errorf("%s: coverage %+v, territory_coverage says %+v", id, got, want)
		}
	}
}

// TestPageImage: an e-mail attaches the charts and refers to them by cid:.
func TestPageImage(t *testing.T) {
	_, conn := fixture(t, ":memory:", "")
	var names []string
	page, err := Page(context.Background(), conn, PageOptions{Scope: ScopeTerritory, ScopeID: "T1", AsOf: explaintest.AsOf, Currency: "EUR",
		Image: func(name string, b []byte) string {
			if _, err := png.Decode(bytes.NewReader(b)); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			names = append(names, name)
			return "cid:" + name + "@salesout"
		}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, []string{"revenue"}) || !bytes.Contains(page, []byte(`src="cid:revenue@salesout"`)) || bytes.Contains(page, []byte("data:")) {
		t.Errorf("images %v; the page's charts: %q", names, regexp.MustCompile(`src="[^"]{0,40}`).FindAll(page, -1))
	}
}

// TestRunEmail e-mails each page to the owners of its territory (its reps and their
// managers), to the outbox when no SMTP relay is set: one .eml per page, the charts
// inline by cid:, a hostile partner name escaped in the HTML and kept out of the
// headers.
func TestRunEmail(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "warehouse.duckdb")
	w, conn := fixture(t, path, "<script>alert(1)</script>\r\nBcc: evil@example.com")
	conn.Close()
	w.Close()
	outbox := filepath.Join(dir, "outbox")
	cfg := &config.Config{BaseCurrency: "EUR", Warehouse: config.Warehouse{Path: path, Publish: filepath.Join(dir, "analytics.duckdb")},
		Alerts: config.Alerts{Outbox: outbox, DefaultTo: []string{"director@example.com"}}}
	res, err := Run(context.Background(), cfg, Options{Out: filepath.Join(dir, "out"), Email: true, Now: explaintest.AsOf})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"T1": "ann@example.com,boss@example.com", "T2": "bob@example.com,boss@example.com"}
	if len(res.Mails) != len(want) {
		t.Fatalf("%d e-mails, want %d: %+v", len(res.Mails), len(want), res.Mails)
	}
	for _, m := range res.Mails {
		if got := strings.Join(m.To, ","); got != want[m.ScopeID] {
			t.Errorf("%s to %s, want %s", m.ScopeID, got, want[m.ScopeID])
		}
		raw, err := os.ReadFile(m.Eml)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := netmail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if got := msg.Header.Get("Subject"); got != "[salesout] Business review, territory "+m.ScopeID+", March 2026" {
			t.Errorf("subject %q", got)
		}
		if msg.Header.Get("Bcc") != "" {
			t.Errorf("a name from the data reached the headers")
		}
		body := string(raw)
		for _, s := range []string{"Content-Type: image/png", "Content-Id: <revenue-1@salesout>", "Content-Type: text/plain", "Content-Type: text/html"} {
			if !strings.Contains(body, s) {
				t.Errorf("%s: no %q in the e-mail", m.ScopeID, s)
			}
		}
		if m.ScopeID == "T1" && (strings.Contains(body, "<script>") || !strings.Contains(body, "cid:revenue-1@salesout")) {
			t.Errorf("T1: the HTML holds <script> or no inline chart")
		}
	}
	if entries, _ := os.ReadDir(outbox); len(entries) != 2 {
		t.Errorf("%d files in the outbox, want 2", len(entries))
	}
}
