package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/salesout/salesout/pipeline"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{fmt.Sprintf("%s: %v", fs.Name(), err)}
	}
	return nil
}

func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		path = os.Getenv("SALESOUT_CONFIG")
	}
	if path == "" {
		return nil, usageError{"--config FILE (or SALESOUT_CONFIG) is required"}
	}
	cfg, err := config.Load(path, nil)
	if err != nil {
		return nil, invalidError{fmt.Errorf("config %s is invalid:\n%w", path, indent(err))}
	}
	return cfg, nil
}

func indent(err error) error {
	return fmt.Errorf("  %s", strings.ReplaceAll(err.Error(), "\n", "\n  "))
}

func parseAsOf(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return t, usageError{fmt.Sprintf("--as-of %q: want YYYY-MM-DD", s)}
	}
	return t, nil
}

func cmdRun(ctx context.Context, args []string) error {
	fs := newFlags("run")
	cfgPath := fs.String("config", "", "config file")
	steps := fs.String("steps", strings.Join(config.Steps, ","), "comma-separated steps")
	asOfStr := fs.String("as-of", "", "date for scores, deviations and alerts (YYYY-MM-DD)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	asOf, err := parseAsOf(*asOfStr)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	_, err = runOnce(ctx, cfg, strings.Split(*steps, ","), asOf)
	return err
}

func runOnce(ctx context.Context, cfg *config.Config, steps []string, asOf time.Time) (*pipeline.Report, error) {
	for _, s := range steps {
		if !slices.Contains(config.Steps, s) {
			return nil, usageError{fmt.Sprintf("--steps: unknown step %q (want %s)", s, strings.Join(config.Steps, ","))}
		}
	}
	db, err := warehouse.Open(ctx, cfg.Warehouse)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	runner, err := pipeline.NewRunner(ctx, cfg, db)
	if err != nil {
		return nil, invalidError{err}
	}
	defer runner.Close()
	runner.Ingest.Progress = stderrIsTerminal()
	rep, err := runner.Run(ctx, pipeline.Options{Steps: steps, AsOf: asOf})
	if cerr := db.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close warehouse: %w", cerr)
	}
	return rep, err
}

func cmdValidate(ctx context.Context, args []string) error {
	fs := newFlags("validate")
	cfgPath := fs.String("config", "", "config file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	problems := pipeline.Validate(ctx, cfg)
	if len(problems) > 0 {
		return invalidError{fmt.Errorf("%d problem(s):\n  %s", len(problems), strings.Join(problems, "\n  "))}
	}
	fmt.Printf("%s: config, reference files and %d source(s) are valid\n", cfg.File, len(cfg.Sources))
	return nil
}

func cmdQuery(ctx context.Context, args []string) error {
	fs := newFlags("query")
	cfgPath := fs.String("config", "", "config file")
	format := fs.String("format", "table", "table, csv or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{`query: give one SQL statement, e.g. salesout query --config c.yaml "SELECT * FROM runs"`}
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return usageError{fmt.Sprintf("query: --format %q: want table, csv or json", *format)}
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if _, err := os.Stat(cfg.Warehouse.Publish); err != nil {
		return fmt.Errorf("query: no published snapshot at %s yet (run the pipeline with the export step first)", cfg.Warehouse.Publish)
	}
	db, err := sql.Open("duckdb", cfg.Warehouse.Publish+"?access_mode=read_only")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, fs.Arg(0))
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	return writeRows(os.Stdout, rows, *format)
}
