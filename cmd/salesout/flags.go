package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/salesout/salesout/pipeline/config"
)

// The flags several commands share are declared here once, so that they are spelled,
// described and completed the same way everywhere.

// addConfigFlag adds --config FILE (falling back on SALESOUT_CONFIG).
func addConfigFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "config", "", "config `FILE` (default: $SALESOUT_CONFIG)")
	_ = cmd.MarkFlagFilename("config", "yaml", "yml")
}

// addAsOfFlag adds --as-of YYYY-MM-DD.
func addAsOfFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "as-of", "", "`YYYY-MM-DD` taken as \"today\" for scores, deviations and alerts (default: today in the config's timezone)")
}

// addFormatFlag adds --format with its allowed values; the first is the default
// unless def says otherwise.
func addFormatFlag(cmd *cobra.Command, p *string, def string, values ...string) {
	cmd.Flags().StringVar(p, "format", def, "output `FORMAT`: "+strings.Join(values, ", "))
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// checkFormat is the usage error for a --format value not in values.
func checkFormat(cmd *cobra.Command, got string, values ...string) error {
	for _, v := range values {
		if got == v {
			return nil
		}
	}
	return usageError{fmt.Sprintf("%s: --format %q: want %s", cmd.Name(), got, strings.Join(values, " or "))}
}

// addOutFlag adds --out with a description of what is written there.
func addOutFlag(cmd *cobra.Command, p *string, what string) {
	cmd.Flags().StringVar(p, "out", "", what)
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

// noArgs is cobra.NoArgs as a usage error naming the unexpected argument.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("%s: unexpected argument %q", cmd.CommandPath(), args[0])}
	}
	return nil
}

// newFlags and parseFlags serve the commands that keep the standard library's flag
// parsing behind cobra (bench, bench-reference: DisableFlagParsing).
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
