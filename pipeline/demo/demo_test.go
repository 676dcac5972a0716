package demo

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline/config"
)

func noEnv(string) (string, bool) { return "", false }

// generated is the default demo, generated once for the tests that only read it.
var generated = sync.OnceValues(func() (*Summary, error) {
	dir, err := os.MkdirTemp("", "salesout-demo-test-")
	if err != nil {
		return nil, err
	}
	return Generate(Options{Dir: dir})
})

func defaultDemo(t *testing.T) (*Summary, *config.Config) {
	t.Helper()
	sum, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(sum.Config, noEnv)
	if err != nil {
		t.Fatalf("config.Load: %v", err)
	}
	return sum, cfg
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sum, err := generated(); err == nil {
		os.RemoveAll(filepath.Dir(sum.Config))
	}
	os.Exit(code)
}

// readTree is every file under dir, by path relative to dir.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestGenerateIsDeterministic(t *testing.T) {
	var trees []map[string][]byte
	for range 2 {
		dir := t.TempDir()
		start := time.Now()
		if _, err := Generate(Options{Dir: dir}); err != nil {
			t.Fatal(err)
		}
		t.Logf("generated in %v", time.Since(start))
		trees = append(trees, readTree(t, dir))
	}
	if len(trees[0]) != len(trees[1]) {
		t.Fatalf("%d files, then %d", len(trees[0]), len(trees[1]))
	}
	for name, b := range trees[0] {
		if !bytes.Equal(b, trees[1][name]) {
			t.Errorf("%s differs between two runs with the same options", name)
		}
	}

	other := t.TempDir()
	if _, err := Generate(Options{Dir: other, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(other, "ref", "channel.csv")); bytes.Equal(b, trees[0][filepath.Join("ref", "channel.csv")]) {
		t.Error("seed 2 gave the channel database of seed 1")
	}
}

func TestConfigLoads(t *testing.T) {
	sum, cfg := defaultDemo(t)
	if got := len(cfg.Feeds); got < 5 {
		t.Fatalf("%d feeds, want 5 or more", got)
	}
	var distributors []string
	for _, f := range cfg.Feeds {
		distributors = append(distributors, f.Distributor)
		names, err := feedFileNames(cfg, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(names) == 0 {
			t.Errorf("feed %s: no file matches %q", f.Name, f.Match)
		}
	}
	if !slices.Equal(distributors, sum.Distributors) {
		t.Errorf("feeds' distributors %v, summary %v", distributors, sum.Distributors)
	}
	formats := map[string]string{}
	for _, f := range cfg.Feeds {
		formats[f.Distributor] = f.Format
	}
	if formats["FOXTROT"] != "x12-867" || formats["GOLF"] != "edifact-slsrpt" || formats["HOTEL"] != "xlsx" || formats["ACME"] != "csv" {
		t.Errorf("formats %v", formats)
	}
	for _, f := range cfg.Feeds {
		if f.Format == "xlsx" && (f.XLSX.Sheet != "Ventes" || f.XLSX.HeaderRow != 3 || f.Defaults["currency"] != "EUR") {
			t.Errorf("feed %s: sheet %q, header row %d, defaults %v", f.Name, f.XLSX.Sheet, f.XLSX.HeaderRow, f.Defaults)
		}
	}
	dir := filepath.Dir(sum.Config)
	for _, ref := range []config.RefSource{cfg.Reference.ChannelDB, cfg.Reference.Products, cfg.Reference.FXRates, cfg.Reference.Targets, cfg.Reference.Reps} {
		if !strings.HasPrefix(ref.File, dir) {
			t.Errorf("reference %s is outside the demo folder", ref.File)
		}
		if _, err := os.Stat(ref.File); err != nil {
			t.Error(err)
		}
	}
	if cfg.Location.String() != "Europe/Paris" || cfg.BaseCurrency != "EUR" || len(cfg.Schedule) != 1 {
		t.Errorf("timezone %s, base currency %s, %d schedules", cfg.Location, cfg.BaseCurrency, len(cfg.Schedule))
	}
	if !strings.HasPrefix(cfg.Warehouse.Path, dir) || !strings.HasPrefix(cfg.Alerts.Outbox, dir) || !strings.HasPrefix(cfg.Export.Dir, dir) {
		t.Errorf("var paths outside the demo folder: %s %s %s", cfg.Warehouse.Path, cfg.Alerts.Outbox, cfg.Export.Dir)
	}
}

// readCSV is a reference file's header and rows.
func readCSV(t *testing.T, path string) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows[0], rows[1:]
}

func TestCounts(t *testing.T) {
	sum, cfg := defaultDemo(t)
	t.Logf("%+v", *sum)
	if len(sum.Distributors) < 5 {
		t.Errorf("%d distributors, want 5 or more", len(sum.Distributors))
	}
	header, partners := readCSV(t, cfg.Reference.ChannelDB.File)
	want := []string{"partner_id", "name", "registration", "vat", "address", "postcode", "city", "country", "region", "territory", "trade", "size_band", "potential", "sales_rep"}
	if !slices.Equal(header, want) {
		t.Errorf("channel.csv header %v", header)
	}
	if len(partners) != 400 || sum.Partners != 400 {
		t.Errorf("%d partners in channel.csv, %d in the summary, want 400", len(partners), sum.Partners)
	}
	_, rates := readCSV(t, cfg.Reference.FXRates.File)
	months := map[string]bool{}
	for _, r := range rates {
		months[r[0]] = true
	}
	if len(months) != 26 {
		t.Errorf("exchange rates for %d months, want 26", len(months))
	}
	if sum.Lines < 30_000 || sum.Lines > 80_000 {
		t.Errorf("%d lines, want 30k to 80k", sum.Lines)
	}
	// ACME's and HOTEL's totals rows included: HOTEL ends every workbook with one.
	if sum.BadLines < 40 || sum.BadLines > 70 {
		t.Errorf("%d bad lines, want 40 to 70", sum.BadLines)
	}
	_, products := readCSV(t, cfg.Reference.Products.File)
	var own int
	for _, p := range products {
		if p[4] == "" {
			own++
			if !validGTIN(p[2]) {
				t.Errorf("%s: invalid GTIN %s", p[0], p[2])
			}
		}
	}
	if own != 40 || len(products) != 80 {
		t.Errorf("%d products, %d rows in products.csv; want 40 and 80", own, len(products))
	}
}

func validGTIN(s string) bool {
	return len(s) == 13 && gtin13(s[:12]) == s
}

// span is a file's rows and the dates they cover.
type span struct {
	name     string
	rows     int
	from, to time.Time
}

// TestFeedFiles reads every file as config.yaml describes it, and finds the lines,
// bad lines, duplicate, corrupt file and restatements that the summary announces.
func TestFeedFiles(t *testing.T) {
	sum, cfg := defaultDemo(t)
	var lines, bad, files, superseded int
	seen := map[[32]byte]string{}
	var duplicates, failed, replacements []string
	byFormat := map[string]int{}
	var returnLoops, apostrophes, latin1 int
	for _, f := range cfg.Feeds {
		names, err := feedFileNames(cfg, f)
		if err != nil {
			t.Fatal(err)
		}
		var last *span         // the previous file of the feed
		var loaded []time.Time // the dates of the feed's lines loaded so far and still current
		for _, name := range names {
			files++
			raw, _ := os.ReadFile(name)
			if first, ok := seen[sha256.Sum256(raw)]; ok {
				duplicates = append(duplicates, filepath.Base(first)+" = "+filepath.Base(name))
				continue
			}
			seen[sha256.Sum256(raw)] = name
			rd, err := readLines(name, f)
			if err != nil {
				if !strings.HasSuffix(name, "_complement.csv") {
					t.Errorf("%s: %v", filepath.Base(name), err)
				}
				failed = append(failed, filepath.Base(name))
				continue
			}
			byFormat[f.Format]++
			returnLoops += rd.returnLoops
			apostrophes += rd.apostrophes
			if rd.latin1 {
				latin1++
			}
			var from, to time.Time
			var good []time.Time
			for _, l := range rd.lines {
				if l.err != nil {
					bad++
					continue
				}
				good = append(good, l.date)
				if from.IsZero() || l.date.Before(from) {
					from = l.date
				}
				if l.date.After(to) {
					to = l.date
				}
				if l.currency == "" {
					t.Errorf("%s: a line without currency", name)
				}
				if math.Abs(l.amount-l.qty*l.unitPrice) > 0.005 {
					t.Errorf("%s: amount %v is not %v × %v", name, l.amount, l.qty, l.unitPrice)
				}
			}
			lines += len(rd.lines)
			if strings.HasSuffix(name, "_v2.csv") {
				if last == nil || strings.TrimSuffix(name, "_v2.csv")+".csv" != last.name {
					t.Fatalf("%s does not follow the file it restates", name)
				}
				superseded += last.rows
				if from != last.from || to != last.to {
					t.Errorf("restatement covers %v-%v, the original %v-%v", from, to, last.from, last.to)
				}
			}
			if rd.replaces {
				// The lines loaded before with a date in the report's period go.
				replacements = append(replacements, filepath.Base(name))
				kept := loaded[:0]
				n := 0
				for _, d := range loaded {
					if d.Before(rd.from) || d.After(rd.to) {
						kept = append(kept, d)
					} else {
						n++
					}
				}
				if n == 0 || from.Before(rd.from) || to.After(rd.to) {
					t.Errorf("%s restates %v-%v: %d lines loaded before, its own lines %v-%v", name, rd.from, rd.to, n, from, to)
				}
				superseded += n
				loaded = kept
			}
			loaded = append(loaded, good...)
			last = &span{name, len(rd.lines), from, to}
		}
	}
	t.Logf("%d files (%v), %d lines, %d bad, duplicates %v, failed %v, replacements %v", files, byFormat, lines, bad, duplicates, failed, replacements)
	if files != sum.Files || lines != sum.Lines || bad != sum.BadLines || superseded != sum.Superseded {
		t.Errorf("read %d files, %d lines, %d bad, %d superseded; the summary says %d, %d, %d, %d",
			files, lines, bad, superseded, sum.Files, sum.Lines, sum.BadLines, sum.Superseded)
	}
	if len(duplicates) != 1 || len(failed) != 1 || !strings.HasSuffix(failed[0], "_complement.csv") {
		t.Errorf("duplicates %v, failed %v; want one of each", duplicates, failed)
	}
	for _, format := range []string{"x12-867", "edifact-slsrpt", "xlsx"} {
		if byFormat[format] < 24 {
			t.Errorf("%d %s files, want a monthly file over the history", byFormat[format], format)
		}
	}
	if len(replacements) != 1 || returnLoops == 0 || apostrophes == 0 || latin1 == 0 {
		t.Errorf("X12 replacements %v, return loops %d; EDIFACT names with an apostrophe %d, Latin-1 files %d: want some of each, one replacement",
			replacements, returnLoops, apostrophes, latin1)
	}
}

func TestWriteBenchFeed(t *testing.T) {
	dir := t.TempDir()
	path, utf8Path := filepath.Join(dir, "drop", "BENCH_ventes.csv"), filepath.Join(dir, "ref-utf8.csv")
	const n = 5000
	block, err := WriteBenchFeed(path, utf8Path, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	cp1252, _ := os.ReadFile(path)
	utf8, _ := os.ReadFile(utf8Path)
	text, err := decode(cp1252, "windows-1252")
	if err != nil {
		t.Fatal(err)
	}
	if text != string(utf8) {
		t.Fatal("the UTF-8 twin is not the Windows-1252 file re-encoded")
	}
	if got := strings.Count(text, "\r\n"); got != n+1 {
		t.Errorf("%d lines, want %d and a header", got, n)
	}
	for _, s := range []string{"€", "Qté", "É"} {
		if !strings.Contains(text, s) {
			t.Errorf("no %q in the feed", s)
		}
	}

	cfgText := "warehouse: {path: w.duckdb, publish: a.duckdb}\nsources:\n  - {name: drop, type: local, dir: drop}\nfeeds:\n" +
		indent(block, "  ") + "reference: {channel_db: c.csv}\nalerts: {outbox: out}\nexport: {dir: exp}\n"
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfgText), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(dir, "config.yaml"), noEnv)
	if err != nil {
		t.Fatalf("the feed block does not load: %v\n%s", err, cfgText)
	}
	names, _ := feedFileNames(cfg, cfg.Feeds[0])
	if len(names) != 1 {
		t.Fatalf("the feed matches %v", names)
	}
	table, err := readFeedFile(names[0], cfg.Feeds[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range table.rows {
		if _, err := table.parse(cfg.Feeds[0], row); err != nil {
			t.Fatalf("%q: %v", row, err)
		}
	}
}

func TestGenerateRefusesForeignFolder(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
	if _, err := Generate(Options{Dir: dir}); err == nil {
		t.Fatal("Generate wrote into a folder holding someone's files")
	}

	// An earlier demo is replaced, its var/ kept.
	dir = t.TempDir()
	if _, err := Generate(Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "var"), 0o755)
	os.WriteFile(filepath.Join(dir, "var", "warehouse.duckdb"), nil, 0o644)
	if _, err := Generate(Options{Dir: dir, Months: 24}); err != nil {
		t.Fatal(err)
	}
	tree := readTree(t, dir)
	if _, ok := tree[filepath.Join("var", "warehouse.duckdb")]; !ok {
		t.Error("var/ was removed")
	}
	if _, ok := tree[filepath.Join("drop", "acme", "ACME_ventes_202410.csv")]; ok {
		t.Error("a file of the 26-month demo is still there")
	}

	for _, o := range []Options{{Dir: t.TempDir(), Partners: 100}, {Dir: t.TempDir(), Months: 12}, {}} {
		if _, err := Generate(o); err == nil {
			t.Errorf("Generate(%+v) did not fail", o)
		}
	}
}
