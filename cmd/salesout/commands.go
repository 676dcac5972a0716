package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/salesout/salesout/pipeline"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

func newRunCmd() *cobra.Command {
	var cfgPath, steps, asOf string
	var feeds []string
	cmd := &cobra.Command{
		Use:   "run --config FILE [--steps STEPS] [--feeds NAMES] [--as-of YYYY-MM-DD]",
		Short: "Run the pipeline once, now",
		Long: `Run the pipeline once, now: fetch new files from the sources, load them, match
resellers, score, export Parquet and send alerts, then publish the analysts' snapshot.

Only one run at a time may write the warehouse: when another run or 'salesout serve'
holds it, run stops at once with exit code 3 instead of waiting.
The exit code is 0 when the run finished, even with quarantined lines.

--feeds limits fetch and load (and the missing-feed alerts) to some feeds, for workers
that each run a shard of them into one Iceberg table (README, "Scaling"); the Iceberg
export of such a run writes sales_out only.`,
		Example: `  salesout run --config salesout.yaml
  salesout run --config salesout.yaml --steps fetch,load
  salesout run --config salesout.yaml --as-of 2026-03-31   # reproducible scores and alerts
  SALESOUT_CONFIG=salesout.yaml salesout run
  salesout run --config salesout.yaml --feeds acme-daily,acme-edi --steps fetch,load,match,export`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			day, err := parseAsOf(asOf)
			if err != nil {
				return err
			}
			stepList := strings.Split(steps, ",")
			if err := checkSteps(stepList); err != nil {
				return err
			}
			cfg, err := loadConfig(cfgPath)
			if err != nil {
				return err
			}
			if len(feeds) > 0 {
				if err := cfg.LimitFeeds(feeds); err != nil {
					return usageError{"--feeds: " + err.Error()}
				}
			}
			lock, err := lockWarehouse(cfg, "run")
			if err != nil {
				return err
			}
			defer lock.Release()
			_, err = runOnce(cmd.Context(), cfg, stepList, day)
			return err
		},
	}
	addConfigFlag(cmd, &cfgPath)
	cmd.Flags().StringVar(&steps, "steps", strings.Join(config.Steps, ","), "comma-separated `STEPS` to run, among "+strings.Join(config.Steps, ","))
	_ = cmd.RegisterFlagCompletionFunc("steps", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return config.Steps, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
	cmd.Flags().StringSliceVar(&feeds, "feeds", nil, "comma-separated feed `NAMES` to fetch and load (default: every feed)")
	_ = cmd.RegisterFlagCompletionFunc("feeds", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		cfg, err := loadConfig(cfgPath)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return feedNames(cfg), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
	addAsOfFlag(cmd, &asOf)
	return cmd
}

func checkSteps(steps []string) error {
	for _, s := range steps {
		if !slices.Contains(config.Steps, s) {
			return usageError{fmt.Sprintf("--steps: unknown step %q (want %s)", s, strings.Join(config.Steps, ","))}
		}
	}
	return nil
}

// runOnce runs the pipeline on the warehouse; the caller holds the warehouse lock.
func runOnce(ctx context.Context, cfg *config.Config, steps []string, asOf time.Time) (*pipeline.Report, error) {
	if err := checkSteps(steps); err != nil {
		return nil, err
	}
	var rep *pipeline.Report
	err := withRunner(ctx, cfg, func(r *pipeline.Runner) (err error) {
		rep, err = r.Run(ctx, pipeline.Options{Steps: steps, AsOf: asOf})
		return err
	})
	return rep, err
}

// withRunner opens the warehouse and a Runner on it for f, then closes both; the caller
// holds the warehouse lock.
func withRunner(ctx context.Context, cfg *config.Config, f func(*pipeline.Runner) error) error {
	db, err := warehouse.Open(ctx, cfg.Warehouse)
	if err != nil {
		return err
	}
	defer db.Close()
	runner, err := pipeline.NewRunner(ctx, cfg, db)
	if err != nil {
		return invalidError{err}
	}
	defer runner.Close()
	runner.Ingest.Progress = stderrIsTerminal()
	err = f(runner)
	if cerr := db.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close warehouse: %w", cerr)
	}
	return err
}

func newValidateCmd() *cobra.Command {
	var cfgPath string
	cmd := &cobra.Command{
		Use:   "validate --config FILE",
		Short: "Check the config, the reference files and that every source can be reached",
		Long: `Check the config file (unknown keys and wrong values together, each with its
YAML line), then load the reference files into a scratch database and list every
source. Prints every problem found; exit code 2 if there is any.

Editors check keys as you type with the JSON Schema configs/salesout.schema.json
(first line of the config: # yaml-language-server: $schema=./salesout.schema.json).`,
		Example: `  salesout validate --config salesout.yaml`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cfgPath)
			if err != nil {
				return err
			}
			problems := pipeline.Validate(cmd.Context(), cfg)
			if len(problems) > 0 {
				return invalidError{fmt.Errorf("%d problem(s):\n  %s", len(problems), strings.Join(problems, "\n  "))}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: config, reference files and %d source(s) are valid\n", cfg.File, len(cfg.Sources))
			return nil
		},
	}
	addConfigFlag(cmd, &cfgPath)
	return cmd
}

func newQueryCmd() *cobra.Command {
	var cfgPath, format string
	cmd := &cobra.Command{
		Use:   `query --config FILE [--format table|csv|json] "SQL"`,
		Short: "Run read-only SQL against the published analytics snapshot",
		Long: `Run one read-only SQL statement against the published analytics snapshot
(warehouse.publish). It never touches the worker's warehouse, so it works while a run
or 'salesout serve' is going.`,
		Example: `  salesout query --config salesout.yaml "SELECT * FROM runs ORDER BY run_id DESC LIMIT 5"
  salesout query --config salesout.yaml --format csv "SELECT * FROM partner_scores" > scores.csv
  salesout query --config salesout.yaml --format json "SELECT distributor, count(*) n FROM sales_out GROUP BY ALL"`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{`query: give one SQL statement, e.g. salesout query --config c.yaml "SELECT * FROM runs"`}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(cmd, format, "table", "csv", "json"); err != nil {
				return err
			}
			cfg, err := loadConfig(cfgPath)
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
			rows, err := db.QueryContext(cmd.Context(), args[0])
			if err != nil {
				return fmt.Errorf("query: %w", err)
			}
			defer rows.Close()
			return writeRows(cmd.OutOrStdout(), rows, format)
		},
	}
	addConfigFlag(cmd, &cfgPath)
	addFormatFlag(cmd, &format, "table", "table", "csv", "json")
	return cmd
}
