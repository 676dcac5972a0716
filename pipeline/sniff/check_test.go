package sniff

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
)

// TestCheckShowsAWrongGuess: a proposal forced to the wrong date order quarantines the
// lines whose day is above 12, and the report says why, with a sample line.
func TestCheckShowsAWrongGuess(t *testing.T) {
	dir := demoData(t)
	file := filepath.Join(dir, "drop", "acme", "ACME_ventes_202501.csv")
	ctx := context.Background()
	p, err := Sniff(ctx, []string{file}, Options{Name: "acme", Distributor: "ACME"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Proposed.CSV.DateFormat != "%d/%m/%Y" {
		t.Fatalf("date format %q, want %%d/%%m/%%Y", p.Proposed.CSV.DateFormat)
	}
	right, err := Check(ctx, p, []string{file}, nil)
	if err != nil {
		t.Fatal(err)
	}
	wrong := p
	wrong.Proposed.CSV.DateFormat = "%m/%d/%Y"
	var report bytes.Buffer
	res, err := Check(ctx, wrong, []string{file}, &report)
	if err != nil {
		t.Fatal(err)
	}
	rl, rq := right.Lines()
	wl, wq := res.Lines()
	if rl+rq != wl+wq || wq <= rq || wl >= rl {
		t.Fatalf("right guess: %d loaded, %d quarantined; wrong guess: %d, %d", rl, rq, wl, wq)
	}
	var date *Reason
	for i, r := range res.Files[0].Reasons {
		if r.Field == "invoice_date" {
			date = &res.Files[0].Reasons[i]
		}
	}
	if date == nil || date.Count != wq-rq+countField(right, "invoice_date") || date.Line == 0 || date.Raw == "" {
		t.Fatalf("no invoice_date reason with a sample for the %d extra lines: %+v", wq-rq, res.Files[0].Reasons)
	}
	for _, want := range []string{"does not match the date format %m/%d/%Y", "e.g. line", "would be quarantined", file[strings.LastIndex(file, "/")+1:]} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, report.String())
		}
	}
	t.Logf("report of the wrong guess:\n%s", report.String())
}

// countField counts the quarantined lines of a field in a check.
func countField(r CheckResult, field string) int64 {
	var n int64
	for _, f := range r.Files {
		for _, q := range f.Reasons {
			if q.Field == field {
				n += q.Count
			}
		}
	}
	return n
}

// TestAmbiguousDatesAreSaid: dates whose numbers are all 12 or less cannot tell the day
// from the month: the proposal says so and leaves the other order as a commented line.
func TestAmbiguousDatesAreSaid(t *testing.T) {
	for _, c := range []struct {
		name, text, want, alt string
	}{
		{"European file", "Date;Client;Qté;Montant\n05/01/2026;A;1;12,50\n06/02/2026;B;2;3,10\n07/03/2026;C;1;4,00\n", "%d/%m/%Y", `# date_format: "%m/%d/%Y"`},
		{"US file", "Date,Customer,Qty,Amount\n05/01/2026,A,1,12.50\n06/02/2026,B,2,3.10\n07/03/2026,C,1,4.00\n", "%m/%d/%Y", `# date_format: "%d/%m/%Y"`},
		{"day above 12", "Date;Client;Qté;Montant\n25/01/2026;A;1;12,50\n06/02/2026;B;2;3,10\n", "%d/%m/%Y", ""},
		{"month-first proven", "Date,Customer,Qty,Amount\n01/25/2026,A,1,12.50\n02/06/2026,B,2,3.10\n", "%m/%d/%Y", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "X_202601.csv")
			if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
				t.Fatal(err)
			}
			p, err := Sniff(context.Background(), []string{path}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			y := string(p.YAML())
			if p.Proposed.CSV.DateFormat != c.want {
				t.Errorf("date format %q, want %q\n%s", p.Proposed.CSV.DateFormat, c.want, y)
			}
			n, _ := p.Note("csv.date_format")
			if c.alt != "" {
				if !strings.Contains(y, c.alt) || !strings.Contains(n.Why, "AMBIGUOUS") || n.Confidence > 0.5 {
					t.Errorf("the ambiguity is not said (want %s):\n%s", c.alt, y)
				}
			} else if strings.Contains(n.Why, "AMBIGUOUS") || len(n.Alternatives) > 0 {
				t.Errorf("a proven order is called ambiguous:\n%s", y)
			}
		})
	}
}

// TestYAMLIsTheFeed: the YAML block reads back, through the config loader, as the
// proposed feed, and every setting it writes has its comment.
func TestYAMLIsTheFeed(t *testing.T) {
	dir := demoData(t)
	for _, src := range []string{"acme", "charlie", "echo", "hotel", "golf"} {
		t.Run(src, func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join(dir, "drop", src, "*"))
			p, err := Sniff(context.Background(), files[:3], Options{})
			if err != nil {
				t.Fatal(err)
			}
			block := p.YAML()
			cfg, err := config.Parse([]byte(scratchConfig(p.Proposed.Source, block)), filepath.Join(t.TempDir(), "c.yaml"), nil)
			if err != nil {
				t.Fatalf("%v\n%s", err, block)
			}
			got, want := cfg.Feeds[0], p.Feed()
			if got.Name != want.Name || got.Distributor != want.Distributor || got.Match != want.Match || got.Format != want.Format ||
				got.Mode != want.Mode || !maps.Equal(got.Columns, want.Columns) || !maps.Equal(got.Defaults, want.Defaults) {
				t.Errorf("read back %+v\nwant %+v", got, want)
			}
			switch want.Format {
			case formatCSV:
				if got.CSV != want.CSV {
					t.Errorf("csv %+v, want %+v", got.CSV, want.CSV)
				}
			case formatXLSX:
				if got.XLSX.Sheet != want.XLSX.Sheet || got.XLSX.HeaderRow != want.XLSX.HeaderRow || got.XLSX.Decimal != want.XLSX.Decimal {
					t.Errorf("xlsx %+v, want %+v", got.XLSX, want.XLSX)
				}
			}
			for _, line := range strings.Split(string(block), "\n") {
				trimmed := strings.TrimSpace(line)
				if trimmed == "" || strings.HasPrefix(trimmed, "#") || strings.HasSuffix(trimmed, ":") {
					continue
				}
				if !strings.Contains(line, "  # ") {
					t.Errorf("setting without its evidence: %q", line)
				}
			}
		})
	}
}

// TestSniffOddFiles: files that are empty, lone headers, one column or of mixed formats
// give an error or a proposal with warnings, never a panic.
func TestSniffOddFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name    string
		files   []string
		wantErr bool
		warn    string
	}{
		{"empty", []string{write("empty.csv", "")}, true, ""},
		{"one column", []string{write("one.csv", "a\n1\n2\n")}, true, ""},
		{"header only", []string{write("hdr.csv", "Date;Client;Qté\n")}, false, "no column found for sku"},
		{"binary", []string{write("bin.csv", "\x00\x01\x02\x03")}, true, ""},
		{"mixed formats", []string{write("X_1.csv", "Date;Client;Réf;Qté\n2026-01-13;A;S;1\n"), write("X_2.x12", "ISA*00*          *00~")}, false, "X_2.x12 is skipped"},
		{"header without data, then data elsewhere", []string{write("Y_1.csv", "Date,Customer,SKU,Qty\n"), write("Y_2.csv", "Date,Customer,SKU,Qty\n2026-01-13,A,S,1\n")}, false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Sniff(context.Background(), c.files, Options{})
			if (err != nil) != c.wantErr {
				t.Fatalf("error %v, want an error: %v", err, c.wantErr)
			}
			if err != nil {
				return
			}
			y := string(p.YAML())
			if c.warn != "" && !strings.Contains(y, c.warn) {
				t.Errorf("no warning %q:\n%s", c.warn, y)
			}
		})
	}
}
