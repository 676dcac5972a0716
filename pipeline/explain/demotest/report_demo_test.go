package demotest

import (
	"cmp"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/report"
)

// TestReportDemo writes the demo's business-review pack for territories and reps: one
// self-contained page for each territory (and rep) of the channel database, naming it.
// SALESOUT_TEST_REPORT_DIR keeps the pages (the README's pictures are taken from them).
func TestReportDemo(t *testing.T) {
	ctx := context.Background()
	db := demoDB(t)
	cfg, err := config.Load(demoConfig, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ scope, query string }{
		{report.ScopeTerritory, "SELECT DISTINCT territory FROM partners WHERE territory IS NOT NULL ORDER BY 1"},
		{report.ScopeSalesRep, "SELECT DISTINCT sales_rep FROM partners WHERE sales_rep IS NOT NULL ORDER BY 1"},
	} {
		var want []string
		rows, err := db.QueryContext(ctx, c.query)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			want = append(want, report.FileName(c.scope, id))
		}
		rows.Close()
		out := filepath.Join(cmp.Or(os.Getenv("SALESOUT_TEST_REPORT_DIR"), t.TempDir()), c.scope)
		res, err := report.Run(ctx, cfg, report.Options{Scope: c.scope, Out: out})
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
			s := string(page)
			for _, bad := range []string{"http:", "https:", "<script", "<link", "url("} {
				if strings.Contains(s, bad) {
					t.Errorf("%s holds %q", f, bad)
				}
			}
			if n := len(regexp.MustCompile(`<img class="chart" src="data:image/png;base64,`).FindAllString(s, -1)); n < 1 {
				t.Errorf("%s: %d charts", f, n)
			}
			for _, section := range []string{"Attainment", "What makes the gap", "Loyalty movements", "Coverage and white spaces", "Top targets"} {
				if !strings.Contains(s, section) {
					t.Errorf("%s: no %q section", f, section)
				}
			}
		}
		if len(want) < 8 || !slices.Equal(got, want) {
			t.Errorf("%s: wrote %v, want one page per %s: %v", c.scope, got, c.scope, want)
		}
		if !res.AsOf.Equal(demoAsOf) || res.Source != cfg.Warehouse.Publish {
			t.Errorf("as of %v from %s, want %v from the snapshot %s", res.AsOf, res.Source, demoAsOf, cfg.Warehouse.Publish)
		}
	}
}
