package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/salesout/salesout/pipeline/report"
)

func newReportCmd() *cobra.Command {
	var cfgPath, scope, out, asOf string
	cmd := &cobra.Command{
		Use:   "report --config FILE [--scope territory|sales_rep] [--out DIR] [--as-of YYYY-MM-DD]",
		Short: "Write the monthly business-review pack: one self-contained HTML page per territory or rep",
		Long: `Write the monthly business-review pack, one self-contained HTML page per territory
(or per sales rep with --scope sales_rep): attainment against target with its trend
chart, the contributors to the gap, loyalty movements, coverage and white spaces, and
the top development and prospecting targets. It reads the published snapshot, so it
works while a run or 'salesout serve' holds the warehouse.`,
		Example: `  salesout report --config salesout.yaml --out var/report
  salesout report --config salesout.yaml --scope sales_rep --as-of 2026-10-31`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if scope != report.ScopeTerritory && scope != report.ScopeSalesRep {
				return usageError{fmt.Sprintf("report: --scope %q: want territory or sales_rep", scope)}
			}
			day, err := parseAsOf(asOf)
			if err != nil {
				return err
			}
			cfg, err := loadConfig(cfgPath)
			if err != nil {
				return err
			}
			res, err := report.Run(cmd.Context(), cfg, report.Options{Scope: scope, Out: out, AsOf: day})
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%d %s page(s) as of %s, from %s:\n", len(res.Files), res.Scope, res.AsOf.Format(time.DateOnly), res.Source)
			for _, f := range res.Files {
				fmt.Fprintf(w, "  %s\n", f)
			}
			return nil
		},
	}
	addConfigFlag(cmd, &cfgPath)
	cmd.Flags().StringVar(&scope, "scope", report.ScopeTerritory, "one page per `SCOPE`: territory or sales_rep")
	_ = cmd.RegisterFlagCompletionFunc("scope", cobra.FixedCompletions([]string{report.ScopeTerritory, report.ScopeSalesRep}, cobra.ShellCompDirectiveNoFileComp))
	addOutFlag(cmd, &out, "`DIR` the pages go to (created; default report)")
	_ = cmd.MarkFlagDirname("out")
	addAsOfFlag(cmd, &asOf)
	cmd.Flag("as-of").Usage = "`YYYY-MM-DD` of the figures (default: the latest as_of scored)"
	return cmd
}
