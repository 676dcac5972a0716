// Command salesout turns distributors' sales-out feeds into knowledge and alerts.
//
//	salesout demo     [--dir DIR]
//	salesout run      --config FILE [--steps fetch,load,match,score,export,alert] [--as-of YYYY-MM-DD]
//	salesout serve    --config FILE
//	salesout validate --config FILE
//	salesout query    --config FILE [--format table|csv|json] "SQL"
//	salesout bench    [--lines N] [--dir DIR]
//
// Exit codes: 0 success (a run with quarantined lines is a success), 1 the run could
// not finish, 2 bad usage, an invalid config or (validate) any problem found.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/term"
)

const (
	exitOK      = 0
	exitFailed  = 1
	exitInvalid = 2
)

// usageError is bad usage: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
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
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return exitInvalid
	}
	var err error
	switch args[0] {
	case "run":
		err = cmdRun(ctx, args[1:])
	case "validate":
		err = cmdValidate(ctx, args[1:])
	case "query":
		err = cmdQuery(ctx, args[1:])
	case "demo":
		err = cmdDemo(ctx, args[1:])
	case "bench":
		err = cmdBench(ctx, args[1:])
	case "bench-reference":
		err = cmdBenchReference(ctx, args[1:])
	case "serve":
		err = cmdServe(ctx, args[1:])
	case "review":
		err = cmdReview(ctx, args[1:])
	case "help", "-h", "--help":
		fmt.Print(usage)
		return exitOK
	default:
		err = usageError{fmt.Sprintf("unknown command %q\n\n%s", args[0], usage)}
	}
	var ue usageError
	var invalid invalidError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintln(os.Stderr, "salesout:", ue.msg)
		return exitInvalid
	case errors.As(err, &invalid):
		fmt.Fprintln(os.Stderr, invalid.Error())
		return exitInvalid
	default:
		log.Error().Err(err).Msg("failed")
		fmt.Fprintln(os.Stderr, "salesout:", err)
		return exitFailed
	}
}

// invalidError is a config or data problem reported to the user: exit code 2.
type invalidError struct{ err error }

func (e invalidError) Error() string { return e.err.Error() }
func (e invalidError) Unwrap() error { return e.err }

const usage = `salesout: distributors' sales-out feeds into DuckDB, scores and alerts

usage:
  salesout demo     [--dir DIR]
  salesout run      --config FILE [--steps fetch,load,match,score,export,alert] [--as-of YYYY-MM-DD]
  salesout serve    --config FILE
  salesout validate --config FILE
  salesout query    --config FILE [--format table|csv|json] "SQL"
  salesout review export --config FILE [--format csv|xlsx] [--out FILE]
  salesout review import --config FILE FILE
  salesout bench    [--lines N] [--dir DIR]

--config may also come from SALESOUT_CONFIG. Logs go to stderr: readable on a
terminal, JSON otherwise (SALESOUT_LOG_LEVEL=debug|info|warn|error).
`

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
