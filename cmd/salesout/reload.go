package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/salesout/salesout/pipeline"
	"github.com/salesout/salesout/pipeline/config"
)

func init() { extraCommands = append(extraCommands, newReloadCmd) }

func newReloadCmd() *cobra.Command {
	var cfgPath, feed, since, asOf string
	cmd := &cobra.Command{
		Use:   "reload --config FILE --feed NAME [--since YYYY-MM-DD] [--as-of YYYY-MM-DD]",
		Short: "Read a feed's files again from the landing folder with its current settings",
		Long: `Repair a feed after fixing its settings (a wrong date format, decimal separator,
column mapping...): read its loaded and failed files again from the landing folder
with the feed's current settings, then re-match, re-score and publish.

Each file is replaced in one transaction: its lines and quarantine rows are deleted
and read again, so a line is never in sales_out twice and lines quarantined before
are retried. The files table shows each file's latest load; file_loads (in the
worker's warehouse) keeps every load: which run read it, with which settings
fingerprint. Lines a later restatement replaced stay replaced. --since keeps the
files received on or after that day.

It is a run of its own (in the runs table, steps reload,match,score,export) and
takes the warehouse's lock: when a run or 'salesout serve' holds it, reload stops at
once with exit code 3.`,
		Example: `  salesout reload --config salesout.yaml --feed acme
  salesout reload --config salesout.yaml --feed acme --since 2026-01-01
  salesout query --config salesout.yaml "SELECT name, status, lines_loaded, lines_quarantined, run_id FROM files WHERE feed = 'acme'"`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if feed == "" {
				return usageError{"reload: --feed NAME is required"}
			}
			from, err := parseSince(since)
			if err != nil {
				return err
			}
			day, err := parseAsOf(asOf)
			if err != nil {
				return err
			}
			cfg, err := loadConfig(cfgPath)
			if err != nil {
				return err
			}
			if names := feedNames(cfg); !slices.Contains(names, feed) {
				return usageError{fmt.Sprintf("reload: --feed %q is not in %s (feeds: %s)", feed, cfg.File, strings.Join(names, ", "))}
			}
			lock, err := lockWarehouse(cfg, "reload")
			if err != nil {
				return err
			}
			defer lock.Release()
			rep, err := reloadOnce(cmd.Context(), cfg, pipeline.ReloadOptions{Feed: feed, Since: from, AsOf: day})
			if err != nil {
				return err
			}
			r := rep.Reload
			fmt.Fprintf(cmd.OutOrStdout(), "feed %s: %d file(s) reloaded, %d failed (run %d)\n  lines loaded:      %d (before: %d)\n  lines quarantined: %d (before: %d)\n",
				r.Feed, r.Files, r.Failed, rep.RunID, r.Lines, r.LinesBefore, r.Quarantined, r.QuarantinedBefore)
			return nil
		},
	}
	cmd.GroupID = "pipeline"
	addConfigFlag(cmd, &cfgPath)
	cmd.Flags().StringVar(&feed, "feed", "", "the feed's `NAME` in the config (required)")
	_ = cmd.RegisterFlagCompletionFunc("feed", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		cfg, err := loadConfig(cfgPath)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return feedNames(cfg), cobra.ShellCompDirectiveNoFileComp
	})
	cmd.Flags().StringVar(&since, "since", "", "only the files received on or after `YYYY-MM-DD` (default: all)")
	addAsOfFlag(cmd, &asOf)
	return cmd
}

func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return t, usageError{fmt.Sprintf("--since %q: want YYYY-MM-DD", s)}
	}
	return t, nil
}

// feedNames are the names of the config's feeds, in its order.
func feedNames(cfg *config.Config) []string {
	names := make([]string, len(cfg.Feeds))
	for i, f := range cfg.Feeds {
		names[i] = f.Name
	}
	return names
}

// reloadOnce reloads a feed on the warehouse; the caller holds the warehouse lock.
func reloadOnce(ctx context.Context, cfg *config.Config, opt pipeline.ReloadOptions) (*pipeline.ReloadReport, error) {
	var rep *pipeline.ReloadReport
	err := withRunner(ctx, cfg, func(r *pipeline.Runner) (err error) {
		rep, err = r.Reload(ctx, opt)
		return err
	})
	return rep, err
}
