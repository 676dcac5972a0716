// Command salesout turns distributors' sales-out feeds into knowledge and alerts.
//
//	salesout demo     [--dir DIR]
//	salesout run      --config FILE [--steps fetch,load,match,score,export,alert] [--as-of YYYY-MM-DD]
//	salesout serve    --config FILE
//	salesout validate --config FILE
//	salesout query    --config FILE [--format table|csv|json] "SQL"
//	salesout status   --config FILE [--format table|json]
//	salesout report   --config FILE [--scope territory|sales_rep] [--out DIR]
//	salesout feed sniff [--name NAME] [--distributor CODE] [--check] FILE...
//	salesout review   export|import ...
//	salesout completion bash|zsh|fish
//	salesout --version
//
// Every command has --help with examples. The exit codes are in exitCodesHelp.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Exit codes: documented in exitCodesHelp (salesout --help) and in the README.
const (
	exitOK          = 0
	exitFailed      = 1
	exitInvalid     = 2
	exitLocked      = 3
	exitCheckFailed = 4
	exitInterrupted = 130
)

const exitCodesHelp = `Exit codes:
  0    success (a run that quarantined lines is a success)
  1    the command could not finish (a run failed, a source was unreachable...)
  2    bad usage, or an invalid config (validate: any problem found)
  3    another salesout run or serve holds the warehouse's lock; nothing was done
  4    feed sniff --check: a sample file would fail as a whole, or no line would load
  130  interrupted (SIGINT or SIGTERM) before the command finished`

// usageError is bad usage: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// invalidError is a config or data problem reported to the user: exit code 2.
type invalidError struct{ err error }

func (e invalidError) Error() string { return e.err.Error() }
func (e invalidError) Unwrap() error { return e.err }

// checkFailedError is a check that ran and found problems (feed sniff --check): exit code 4.
type checkFailedError struct{ msg string }

func (e checkFailedError) Error() string { return e.msg }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := newLogger()
	ctx = log.WithContext(ctx)
	if path := os.Getenv("SALESOUT_CPUPROFILE"); path != "" {
		// For performance work: a pprof CPU profile of the whole command.
		if f, err := os.Create(path); err == nil {
			if err := pprof.StartCPUProfile(f); err == nil {
				defer pprof.StopCPUProfile()
			}
		}
	}
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	// started is set once a command's own code runs: an error before that is cobra's
	// (unknown command or flag, wrong arguments), which is bad usage.
	started := false
	root.PersistentPreRun = func(*cobra.Command, []string) { started = true }
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var (
		ue     usageError
		inv    invalidError
		locked *lockedError
		check  checkFailedError
	)
	switch {
	case errors.As(err, &ue) || !started:
		msg := err.Error()
		if errors.As(err, &ue) {
			msg = ue.msg
		}
		fmt.Fprintf(stderr, "salesout: %s\nRun '%s --help' for usage.\n", msg, cmd.CommandPath())
		return exitInvalid
	case errors.As(err, &inv):
		fmt.Fprintln(stderr, inv.Error())
		return exitInvalid
	case errors.As(err, &locked):
		fmt.Fprintln(stderr, "salesout:", locked.Error())
		return exitLocked
	case errors.As(err, &check):
		fmt.Fprintln(stderr, "salesout:", check.msg)
		return exitCheckFailed
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "salesout: interrupted:", err)
		return exitInterrupted
	default:
		log.Error().Err(err).Msg("failed")
		fmt.Fprintln(stderr, "salesout:", err)
		return exitFailed
	}
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "salesout",
		Short: "Distributors' sales-out feeds into DuckDB, scores and alerts",
		Long: `salesout fetches distributors' sales-out files (CSV, XLSX, X12 867, EDIFACT SLSRPT),
loads them into a DuckDB warehouse, matches resellers to the channel database, scores
partners against targets, sends alerts and publishes a snapshot for analysts.

Try it without any server:  salesout demo

--config may also come from SALESOUT_CONFIG. Logs go to stderr: readable on a
terminal, JSON otherwise (SALESOUT_LOG_LEVEL=debug|info|warn|error).

` + exitCodesHelp,
		Example: `  salesout demo --dir demo
  salesout validate --config salesout.yaml
  salesout run --config salesout.yaml --as-of 2026-03-31
  salesout status --config salesout.yaml
  salesout query --config salesout.yaml "SELECT loyalty, count(*) FROM partner_scores GROUP BY ALL"`,
		Version:       "-", // printed by versionTemplate, which computes it only when asked
		SilenceErrors: true,
		SilenceUsage:  true,
		// No command: the usage, as an error (exit code 2).
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Sprintf("unknown command %q", args[0])}
			}
			cmd.SetOut(cmd.ErrOrStderr())
			_ = cmd.Usage()
			return usageError{"no command given (usage: salesout COMMAND [flags])"}
		},
		Args: cobra.ArbitraryArgs,
	}
	root.SetVersionTemplate(`{{versionInfo}}`)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{fmt.Sprintf("%s: %v", cmd.Name(), err)}
	})
	root.AddGroup(
		&cobra.Group{ID: "pipeline", Title: "Pipeline:"},
		&cobra.Group{ID: "inspect", Title: "Inspect and report:"},
		&cobra.Group{ID: "setup", Title: "Set up:"},
	)
	for _, c := range []*cobra.Command{newRunCmd(), newServeCmd(), newDemoCmd()} {
		c.GroupID = "pipeline"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newStatusCmd(), newQueryCmd(), newReportCmd(), newReviewCmd()} {
		c.GroupID = "inspect"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newValidateCmd(), newFeedCmd()} {
		c.GroupID = "setup"
		root.AddCommand(c)
	}
	for _, add := range extraCommands {
		root.AddCommand(add())
	}
	root.AddCommand(newVersionCmd(), newCompletionCmd(root))
	root.AddCommand(newBenchCmds()...)
	root.SetHelpCommandGroupID("setup")
	root.SetCompletionCommandGroupID("setup")
	return root
}

// extraCommands are commands whose files register themselves in an init function
// (extraCommands = append(extraCommands, newXCmd)), so that adding one does not touch
// this file. Each should set its GroupID ("pipeline", "inspect" or "setup").
var extraCommands []func() *cobra.Command

func stderrIsTerminal() bool { return term.IsTerminal(int(os.Stderr.Fd())) }

func newLogger() zerolog.Logger {
	level, err := zerolog.ParseLevel(os.Getenv("SALESOUT_LOG_LEVEL"))
	if err != nil || level == zerolog.NoLevel {
		level = zerolog.InfoLevel
	}
	zerolog.TimeFieldFormat = time.RFC3339Nano
	if stderrIsTerminal() {
		return zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr, TimeFormat: "15:04:05"}).Level(level).With().Timestamp().Logger()
	}
	return zerolog.New(os.Stderr).Level(level).With().Timestamp().Logger()
}
