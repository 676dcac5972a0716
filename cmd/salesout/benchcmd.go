package main

import (
	"github.com/spf13/cobra"
)

// newBenchCmds wraps bench.go's commands, which parse their own flags with the standard
// library (bench-reference is bench's child process, hidden).
func newBenchCmds() []*cobra.Command {
	bench := &cobra.Command{
		Use:   "bench [--lines N] [--dir DIR] [--json FILE] [--memory-limit SIZE]",
		Short: "Measure loading N generated lines against DuckDB alone",
		Long: `Measure 'salesout run --steps fetch,load' on N generated lines in the French
windows-1252 dialect, next to DuckDB alone reading the same lines as UTF-8, each in its
own child process (wall time and peak memory).

Flags: --lines N (default 2000000), --dir DIR (work folder, cleared; default bench),
--json FILE (also write the figures as JSON), --memory-limit SIZE (default 1GB).`,
		Example:            `  salesout bench --lines 200000 --dir /tmp/bench`,
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
	return []*cobra.Command{bench, ref}
}

func helpAsked(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			return true
		}
	}
	return false
}
