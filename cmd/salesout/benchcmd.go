package main

import (
	"github.com/spf13/cobra"
)

// newBenchCmds wraps bench.go's commands, which parse their own flags with the standard
// library (bench-reference is bench's child process, hidden).
func newBenchCmds() []*cobra.Command {
	bench := &cobra.Command{
		Use:   "bench [--lines N] [--dir DIR] [--json FILE] [--memory-limit SIZE] [--history N [--night N]]",
		Short: "Measure loading N generated lines against DuckDB alone",
		Long: `Measure 'salesout run --steps fetch,load' on N generated lines in the French
windows-1252 dialect, next to DuckDB alone reading the same lines as UTF-8, each in its
own child process (wall time and peak memory).

Flags: --lines N (default 2000000), --dir DIR (work folder, cleared; default bench),
--json FILE (also write the figures as JSON), --memory-limit SIZE (default 1GB),
--repeat N (alternate runs of each side, the best kept).

--history N then also measures a full rebuild, 'salesout run' of every step on N
generated lines (with --full-memory-limit SIZE, default 2GB, spilling to
temp_directory), next to DuckDB alone reading the same lines into a table; and a
nightly increment of --night N more lines (default 50000) on top, 'salesout run' again,
next to DuckDB alone appending them; with each step's duration in both runs.`,
		Example: `  salesout bench --lines 200000 --dir /tmp/bench
  salesout bench --lines 2000000 --history 20000000 --json bench/result.json`,
		GroupID:            "setup",
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if helpAsked(args) {
				return cmd.Help()
			}
			return cmdBench(cmd.Context(), args)
		},
	}
	ref := &cobra.Command{
		Use:                "bench-reference",
		Short:              "bench's reference measurement (run by bench itself)",
		Hidden:             true,
		DisableFlagParsing: true,
		RunE:               func(cmd *cobra.Command, args []string) error { return cmdBenchReference(cmd.Context(), args) },
	}
	run := &cobra.Command{
		Use:                "bench-run",
		Short:              "bench's rebuild and increment runs: salesout run, writing each step's duration (run by bench itself)",
		Hidden:             true,
		DisableFlagParsing: true,
		RunE:               func(cmd *cobra.Command, args []string) error { return cmdBenchRun(cmd.Context(), args) },
	}
	return []*cobra.Command{bench, ref, run}
}

func helpAsked(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			return true
		}
	}
	return false
}
