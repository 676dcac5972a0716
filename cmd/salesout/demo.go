package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/salesout/salesout/pipeline/demo"
)

func newDemoCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "demo [--dir DIR]",
		Short: "Generate a realistic demo data set and run the whole pipeline on it",
		Long: `Generate a realistic demo data set into DIR: distributor feeds in several formats
(CSV dialects, XLSX, X12 867, EDIFACT), a channel database, targets and reps; write a
config for it, run the whole pipeline once as of 2026-11-15 and print where everything
is. Needs no network and no server: e-mails go to the outbox folder.

A folder an earlier demo wrote is reset; any other non-empty folder is refused.`,
		Example: `  salesout demo
  salesout demo --dir /tmp/demo && salesout status --config /tmp/demo/config.yaml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmdDemo(cmd.Context(), dir) },
	}
	cmd.Flags().StringVar(&dir, "dir", "demo", "`DIR`: folder for the demo data set")
	_ = cmd.MarkFlagDirname("dir")
	return cmd
}

func cmdDemo(ctx context.Context, dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	// A demo starts from scratch: generated inputs and a fresh warehouse. Only a folder
	// an earlier demo wrote (or an empty one) is used; anything else is refused.
	if err := demo.ResetOutputs(abs); err != nil {
		return err
	}
	// The demo's "today" is fixed so that every demo run gives the same figures.
	asOf := time.Date(2026, time.November, 15, 0, 0, 0, 0, time.UTC)
	opts := demo.Options{Dir: abs, AsOf: asOf}
	sum, err := demo.Generate(opts)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(sum.Config)
	if err != nil {
		return err
	}
	lock, err := lockWarehouse(cfg, "demo")
	if err != nil {
		return err
	}
	rep, err := runOnce(ctx, cfg, nil, asOf)
	lock.Release()
	if err != nil {
		return fmt.Errorf("demo: run: %w", err)
	}
	db, err := openSnapshot(cfg.Warehouse.Publish)
	if err != nil {
		return err
	}
	defer db.Close()
	var c struct {
		files, loaded, dups, failed, lines, quarantined, partners, matched, resellers int64
		matchedPct                                                                    float64
		loyal, occasional, opportunistic, isNew, lost, none                           int64
		retention, development, prospecting, support                                  int64
		warnings, criticals, alerts                                                   int64
	}
	err = db.QueryRowContext(ctx, `
		SELECT (SELECT count(*) FROM files),
		       (SELECT count(*) FROM files WHERE status = 'loaded'),
		       (SELECT count(*) FROM files WHERE status = 'duplicate'),
		       (SELECT count(*) FROM files WHERE status = 'failed'),
		       (SELECT count(*) FROM sales_out),
		       (SELECT count(*) FROM quarantine),
		       (SELECT count(*) FROM partners),
		       (SELECT count(*) FROM partner_matches WHERE partner_id IS NOT NULL),
		       (SELECT count(*) FROM partner_matches),
		       (SELECT coalesce(100.0 * count(*) FILTER (WHERE partner_id IS NOT NULL) / nullif(count(*), 0), 0) FROM sales_out),
		       (SELECT count(*) FILTER (WHERE loyalty = 'loyal') FROM partner_scores),
		       (SELECT count(*) FILTER (WHERE loyalty = 'occasional') FROM partner_scores),
		       (SELECT count(*) FILTER (WHERE loyalty = 'opportunistic') FROM partner_scores),
		       (SELECT count(*) FILTER (WHERE loyalty = 'new') FROM partner_scores),
		       (SELECT count(*) FILTER (WHERE loyalty = 'lost') FROM partner_scores),
		       (SELECT count(*) FILTER (WHERE loyalty = 'none') FROM partner_scores),
		       (SELECT count(*) FILTER (WHERE plan = 'retention') FROM partner_scores),
		       (SELECT count(*) FILTER (WHERE plan = 'development') FROM partner_scores),
		       (SELECT count(*) FILTER (WHERE plan = 'prospecting') FROM partner_scores),
		       (SELECT count(*) FILTER (WHERE plan = 'support') FROM partner_scores),
		       (SELECT count(*) FILTER (WHERE severity = 'warning') FROM kpi_deviations WHERE period = 'ytd'),
		       (SELECT count(*) FILTER (WHERE severity = 'critical') FROM kpi_deviations WHERE period = 'ytd'),
		       (SELECT count(*) FROM alerts WHERE last_sent IS NOT NULL)`).Scan(
		&c.files, &c.loaded, &c.dups, &c.failed, &c.lines, &c.quarantined, &c.partners, &c.matched, &c.resellers, &c.matchedPct,
		&c.loyal, &c.occasional, &c.opportunistic, &c.isNew, &c.lost, &c.none,
		&c.retention, &c.development, &c.prospecting, &c.support, &c.warnings, &c.criticals, &c.alerts)
	if err != nil {
		return fmt.Errorf("demo: summary: %w", err)
	}
	byMethod, err := coverageByMethod(ctx, db)
	if err != nil {
		return fmt.Errorf("demo: summary: %w", err)
	}
	wd, _ := os.Getwd()
	rel := func(p string) string {
		if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
		return p
	}
	fmt.Printf(`
salesout demo: %d distributors, as of %s (run %d, %s)

  files       %d received: %d loaded, %d duplicate, %d failed
  lines       %d in sales_out, %d quarantined (see the quarantine table for file, line and reason)
  matching    %d of %d distinct resellers matched to the channel database (%d partners); %.1f%% of lines
              %s
  loyalty     loyal %d, occasional %d, opportunistic %d, new %d, lost %d, none %d
  plans       retention %d, development %d, prospecting %d, support %d
  deviations  %d warning, %d critical (year to date against targets)
  e-mails     %s

  config      %s
  warehouse   %s (the worker's own database)
  analysts    %s (published snapshot; open it with DuckDB, or:)
              %s query --config %s "SELECT loyalty, count(*) FROM partner_scores GROUP BY ALL"
  parquet     %s
  truth       %s (the generator's answer key for matching, not an input)
`,
		len(sum.Distributors), asOf.Format(time.DateOnly), rep.RunID, rep.FinishedAt.Sub(rep.StartedAt).Round(time.Millisecond),
		c.files, c.loaded, c.dups, c.failed, c.lines, c.quarantined, c.matched, c.resellers, c.partners, c.matchedPct, byMethod,
		c.loyal, c.occasional, c.opportunistic, c.isNew, c.lost, c.none,
		c.retention, c.development, c.prospecting, c.support, c.warnings, c.criticals,
		rep.Alerts.Summary(rel(cfg.Alerts.Outbox), "              "), rel(sum.Config), rel(cfg.Warehouse.Path), rel(cfg.Warehouse.Publish), os.Args[0], rel(sum.Config), rel(cfg.Export.Dir),
		rel(filepath.Join(abs, "truth", "resellers.csv")))
	return nil
}

// coverageByMethod sums match_coverage over distributors: "registration 141, vat 133, ...;
// review 29" (spellings per method, most lines first).
func coverageByMethod(ctx context.Context, db *sql.DB) (string, error) {
	rows, err := db.QueryContext(ctx, `SELECT method, sum(resellers)::BIGINT, sum(lines) FROM match_coverage GROUP BY method ORDER BY 3 DESC, 1`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var m string
		var n, lines int64
		if err := rows.Scan(&m, &n, &lines); err != nil {
			return "", err
		}
		parts = append(parts, fmt.Sprintf("%s %d", m, n))
	}
	return "by method (spellings): " + strings.Join(parts, ", "), rows.Err()
}
