package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/salesout/salesout/pipeline/report"
)

func newReportCmd() *cobra.Command {
	var cfgPath, scope, out, asOf string
	var email bool
	cmd := &cobra.Command{
		Use:   "report --config FILE [--scope territory|sales_rep] [--out DIR] [--as-of YYYY-MM-DD] [--email]",
		Short: "Write the monthly business-review pack: one self-contained HTML page per territory or rep",
		Long: `Write the monthly business-review pack, one self-contained HTML page per territory
(or per sales rep with --scope sales_rep): attainment against target with its trend
chart, the contributors to the gap, loyalty movements, coverage and white spaces, and
the top development and prospecting targets. It reads the published snapshot, so it
works while a run or 'salesout serve' holds the warehouse.

With --email, each page is also e-mailed to the owners of its territory or rep (its
reps and their managers in reference.reps, else alerts.default_to), as the alert
digests are: a copy in alerts.outbox, and sent through alerts.smtp when it is set.`,
		Example: `  salesout report --config salesout.yaml --out var/report
  salesout report --config salesout.yaml --scope sales_rep --as-of 2026-10-31
  salesout report --config salesout.yaml --email            # the monthly pack to every owner`,
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
			res, err := report.Run(cmd.Context(), cfg, report.Options{Scope: scope, Out: out, AsOf: day, Email: email})
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%d %s page(s) as of %s, from %s:\n", len(res.Files), res.Scope, res.AsOf.Format(time.DateOnly), res.Source)
			for _, f := range res.Files {
				fmt.Fprintf(w, "  %s\n", f)
			}
			for _, m := range res.Mails {
				fmt.Fprintf(w, "  e-mailed %s to %s (%s)\n", m.ScopeID, strings.Join(m.To, ", "), m.Eml)
			}
			return nil
		},
	}
	addConfigFlag(cmd, &cfgPath)
	cmd.Flags().StringVar(&scope, "scope", report.ScopeTerritory, "one page per `SCOPE`: territory or sales_rep")
	cmd.Flags().BoolVar(&email, "email", false, "also e-mail each page to the owners of its territory or rep (outbox, and SMTP when alerts.smtp is set)")
	_ = cmd.RegisterFlagCompletionFunc("scope", cobra.FixedCompletions([]string{report.ScopeTerritory, report.ScopeSalesRep}, cobra.ShellCompDirectiveNoFileComp))
	addOutFlag(cmd, &out, "`DIR` the pages go to (created; default report)")
	_ = cmd.MarkFlagDirname("out")
	addAsOfFlag(cmd, &asOf)
	cmd.Flag("as-of").Usage = "`YYYY-MM-DD` of the figures (default: the latest as_of scored)"
	return cmd
}
