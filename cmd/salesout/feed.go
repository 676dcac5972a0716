package main

import (
	"fmt"
	"os"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/salesout/salesout/pipeline/sniff"
)

func newFeedCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "feed sniff",
		Short: "Onboard a distributor: propose a feeds: entry from sample files",
		Example: `  salesout feed sniff --distributor ACME samples/ACME_*.csv
  salesout feed sniff --check samples/ACME_*.csv`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{"feed: want `feed sniff [--name NAME] [--distributor CODE] [--check] FILE...`"}
			}
			return usageError{fmt.Sprintf("feed: unknown sub-command %q (want sniff)", args[0])}
		},
		RunE: func(*cobra.Command, []string) error { return nil },
	}
	var opts sniff.Options
	var check bool
	sn := &cobra.Command{
		Use:   "sniff [--name NAME] [--distributor CODE] [--check] FILE...",
		Short: "Print a ready feeds: entry in YAML for sample files of one distributor",
		Long: `Read sample files of one distributor and print a ready feeds: entry (one YAML list
item) on standard output, with a comment per detected setting and its confidence: the
format (CSV/TSV, XLSX, X12 867, EDIFACT SLSRPT), the CSV dialect (encoding, delimiter,
quote, header row, decimal and thousands separators, date format), the XLSX sheet and
header row, the columns mapping and the defaults. Where it is unsure it says so and
leaves a commented choice.

--check also loads the samples with the proposed entry into a scratch warehouse and
reports on standard error what would load and what would be quarantined, and why.
Exit code 4 when a sample file would fail as a whole or no line would load.`,
		Example: `  salesout feed sniff --distributor ACME samples/ACME_*.csv >> feeds.yaml
  salesout feed sniff --name acme-daily --check samples/ACME_2026*.csv`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{"feed sniff: give one or more sample FILEs of one distributor"}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, files []string) error {
			for _, f := range files {
				if _, err := os.Stat(f); err != nil {
					return usageError{fmt.Sprintf("feed sniff: %v", err)}
				}
			}
			p, err := sniff.Sniff(cmd.Context(), files, opts)
			if err != nil {
				return fmt.Errorf("feed sniff: %w", err)
			}
			if _, err := cmd.OutOrStdout().Write(p.YAML()); err != nil {
				return err
			}
			if !check {
				return nil
			}
			// The scratch run's own log lines would drown the report: warnings only,
			// unless a level was asked for.
			ctx := cmd.Context()
			if os.Getenv("SALESOUT_LOG_LEVEL") == "" {
				ctx = zerolog.Ctx(ctx).Level(zerolog.WarnLevel).WithContext(ctx)
			}
			res, err := sniff.Check(ctx, p, files, cmd.ErrOrStderr())
			if err != nil {
				return fmt.Errorf("feed sniff --check: %w", err)
			}
			loaded, _ := res.Lines()
			for _, f := range res.Files {
				if f.Status == "failed" {
					return checkFailedError{fmt.Sprintf("feed sniff --check: %s would fail: %s", f.Name, f.Reason)}
				}
			}
			if loaded == 0 {
				return checkFailedError{"feed sniff --check: no line would load with the proposed entry"}
			}
			return nil
		},
	}
	sn.Flags().StringVar(&opts.Name, "name", "", "the feed's `NAME` (default: derived from the distributor)")
	sn.Flags().StringVar(&opts.Distributor, "distributor", "", "the distributor's `CODE` (default: from the file names or the EDI sender)")
	sn.Flags().BoolVar(&check, "check", false, "also load the samples with the proposed entry into a scratch warehouse and report what would be quarantined")
	cmd.AddCommand(sn)
	return cmd
}
