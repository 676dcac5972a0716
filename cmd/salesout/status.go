package main

import (
	"github.com/spf13/cobra"

	"github.com/salesout/salesout/pipeline/status"
)

func newStatusCmd() *cobra.Command {
	var cfgPath, format string
	cmd := &cobra.Command{
		Use:   "status --config FILE [--format table|json]",
		Short: "The operator's morning view: runs, late feeds, failures, match rate, alerts",
		Long: `Show, from the published snapshot (warehouse.publish):

  - the last runs;
  - each feed's freshness: newest file, expected_every, late or not;
  - the files failed and lines quarantined in the last 7 days, with the top reasons;
  - the match rate per distributor;
  - the alerts open and sent;

then the problems to act on. It reads the snapshot read-only and says how old it is,
so it works while a run or 'salesout serve' holds the warehouse. /healthz serves the
same data. --format json is for scripts (the fields are in the README).`,
		Example: `  salesout status --config salesout.yaml
  salesout status --config salesout.yaml --format json | jq '.feeds[] | select(.late)'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(cmd, format, "table", "json"); err != nil {
				return err
			}
			cfg, err := loadConfig(cfgPath)
			if err != nil {
				return err
			}
			st, err := status.Read(cmd.Context(), cfg, status.Options{})
			if err != nil {
				return err
			}
			if format == "json" {
				return st.WriteJSON(cmd.OutOrStdout())
			}
			return st.WriteTable(cmd.OutOrStdout())
		},
	}
	addConfigFlag(cmd, &cfgPath)
	addFormatFlag(cmd, &format, "table", "table", "json")
	return cmd
}
