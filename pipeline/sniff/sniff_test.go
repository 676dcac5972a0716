package sniff

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/demo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// repo is the repository's root, from this package's folder.
const repo = "../.."

// loadCase is a distributor's sample files and the feed written by hand for them.
type loadCase struct {
	name  string
	files []string
	hand  config.Feed
	// fill are defaults the samples cannot tell (a file without any product column):
	// the proposal gets them before the comparison, as a user would add them.
	fill map[string]string
}

// handFeed is a feed of a config file.
func handFeed(t *testing.T, cfgPath, name string) config.Feed {
	t.Helper()
	cfg, err := config.Load(cfgPath, func(string) (string, bool) { return "x", true })
	if err != nil {
		t.Fatalf("load %s: %v", cfgPath, err)
	}
	for _, f := range cfg.Feeds {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("%s has no feed %s", cfgPath, name)
	return config.Feed{}
}

// glob lists files, sorted.
func glob(t *testing.T, patterns ...string) []string {
	t.Helper()
	var out []string
	for _, p := range patterns {
		m, err := filepath.Glob(filepath.Join(repo, p))
		if err != nil || len(m) == 0 {
			t.Fatalf("no file matches %s", p)
		}
		out = append(out, m...)
	}
	sort.Strings(out)
	return out
}

// ediFeed is the hand-written feed of an EDI file: the format is all it needs.
func ediFeed(format string) config.Feed {
	return config.Feed{Name: "edi", Distributor: "EDI", Source: "edi", Match: "*", Format: format, Mode: "append"}
}

var (
	demoOnce sync.Once
	demoDir  string
	demoErr  error
)

// demoData generates the demo data set once for the package's tests.
func demoData(t *testing.T) string {
	t.Helper()
	demoOnce.Do(func() {
		demoDir, demoErr = os.MkdirTemp("", "sniff-demo-*")
		if demoErr == nil {
			_, demoErr = demo.Generate(demo.Options{Dir: demoDir})
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoDir
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}

// repoCases are every CSV dialect, workbook and EDI file of the repository's testdata
// with the feed written for it by hand.
func repoCases(t *testing.T) []loadCase {
	e2e := filepath.Join(repo, "testdata/e2e/config.yaml")
	formatsCfg := filepath.Join(repo, "testdata/e2e_formats/config.yaml")
	cases := []loadCase{
		{name: "e2e-fr", files: glob(t, "testdata/e2e/drop/FR_*.csv"), hand: handFeed(t, e2e, "fr")},
		{name: "e2e-tab", files: glob(t, "testdata/e2e/drop/TAB_*.csv.gz"), hand: handFeed(t, e2e, "tab")},
		{name: "e2e-l15", files: glob(t, "testdata/e2e/drop/L15_*.zip", "testdata/e2e/later/L15_*.zip"), hand: handFeed(t, e2e, "l15")},
		{name: "e2e-be", files: glob(t, "testdata/e2e/drop/BE_*.csv"), hand: handFeed(t, e2e, "be")},
		{name: "e2e-match", files: glob(t, "testdata/e2e_match/drop/*.csv", "testdata/e2e_match/later/*.csv"),
			hand: handFeed(t, filepath.Join(repo, "testdata/e2e_match/config.yaml"), "acme")},
		{name: "xlsx-ventes", files: glob(t, "pipeline/formats/testdata/xlsx/ventes.xlsx"), hand: handFeed(t, formatsCfg, "excel"),
			fill: map[string]string{"sku": "MK-100"}},
	}
	for _, f := range glob(t, "pipeline/formats/testdata/x12/*.x12", "testdata/e2e_formats/files/*.x12") {
		cases = append(cases, loadCase{name: "x12-" + strings.TrimSuffix(filepath.Base(f), ".x12"), files: []string{f}, hand: ediFeed(formatX12)})
	}
	for _, f := range glob(t, "pipeline/formats/testdata/edifact/*.edi", "testdata/e2e_formats/files/*.edi") {
		cases = append(cases, loadCase{name: "edifact-" + strings.TrimSuffix(filepath.Base(f), ".edi"), files: []string{f}, hand: ediFeed(formatEDIFACT)})
	}
	return dedupe(cases)
}

// dedupe drops the cases of a file already taken (the e2e copies of formats' testdata).
func dedupe(cases []loadCase) []loadCase {
	seen := map[string]bool{}
	var out []loadCase
	for _, c := range cases {
		if seen[c.name] {
			continue
		}
		seen[c.name] = true
		out = append(out, c)
	}
	return out
}

// demoCases are the demo's eight distributors with the demo config's feeds.
func demoCases(t *testing.T) []loadCase {
	dir := demoData(t)
	cfg, err := config.Load(filepath.Join(dir, "config.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var cases []loadCase
	for _, f := range cfg.Feeds {
		files, _ := filepath.Glob(filepath.Join(dir, "drop", f.Source, "*"))
		sort.Strings(files)
		cases = append(cases, loadCase{name: "demo-" + f.Source, files: files, hand: f})
	}
	return cases
}

// TestSniffLoadsLikeTheHandWrittenFeed: the proposed block, as it is, loads every
// sample with the same lines, units and amounts as the feed written by hand.
func TestSniffLoadsLikeTheHandWrittenFeed(t *testing.T) {
	cases := repoCases(t)
	if !testing.Short() {
		cases = append(cases, demoCases(t)...)
	}
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Sniff(ctx, c.files, Options{})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, c.name+".yaml", p.YAML())
			if p.Proposed.Format != c.hand.Format {
				t.Fatalf("format %s, want %s", p.Proposed.Format, c.hand.Format)
			}
			// Every column written by hand is proposed, or offered as a commented choice.
			for field, header := range c.hand.Columns {
				if p.Proposed.Columns[field] == header {
					continue
				}
				n, _ := p.Note("columns." + field)
				if !slices.ContainsFunc(n.Alternatives, func(a Alternative) bool { return a.Value == quoteYAML(header) }) {
					t.Errorf("columns.%s: proposed %q, neither %q nor a choice of it", field, p.Proposed.Columns[field], header)
				}
			}
			for k, v := range c.fill {
				if p.Proposed.Defaults == nil {
					p.Proposed.Defaults = map[string]string{}
				}
				p.Proposed.Defaults[k] = v
			}
			var report bytes.Buffer
			got, err := Check(ctx, p, c.files, &report)
			if err != nil {
				t.Fatalf("check the proposal: %v\n%s", err, p.YAML())
			}
			want, err := Check(ctx, Proposal{Proposed: c.hand}, c.files, nil)
			if err != nil {
				t.Fatalf("check the hand-written feed: %v", err)
			}
			compareLoads(t, got, want)
			if t.Failed() {
				t.Logf("proposal:\n%s\ncheck:\n%s", p.YAML(), report.String())
			}
		})
	}
}

// compareLoads fails when two loads of the same files differ in what they loaded.
func compareLoads(t *testing.T, got, want CheckResult) {
	t.Helper()
	if len(got.Files) != len(want.Files) {
		t.Fatalf("%d files, want %d", len(got.Files), len(want.Files))
	}
	loaded := 0
	for i, g := range got.Files {
		w := want.Files[i]
		if g.Name != w.Name || g.Status != w.Status {
			t.Errorf("%s: %s (%s), want %s %s (%s)", g.Name, g.Status, g.Reason, w.Name, w.Status, w.Reason)
			continue
		}
		if g.Status != "loaded" {
			continue
		}
		loaded++
		if g.Loaded != w.Loaded || g.Quarantined != w.Quarantined || g.Current != w.Current ||
			g.Units != w.Units || g.Amount != w.Amount || g.Digest != w.Digest {
			t.Errorf("%s: loaded %d (current %d, units %s, amount %s), quarantined %d; want %d (%d, %s, %s), %d; digests equal: %v\n got reasons %v\nwant reasons %v",
				g.Name, g.Loaded, g.Current, g.Units, g.Amount, g.Quarantined, w.Loaded, w.Current, w.Units, w.Amount, w.Quarantined,
				g.Digest == w.Digest, g.Reasons, w.Reasons)
		}
	}
	if loaded == 0 && len(want.Files) > 0 && want.Files[0].Status == "loaded" {
		t.Error("nothing loaded: the comparison proves nothing")
	}
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", path, got)
	}
}
