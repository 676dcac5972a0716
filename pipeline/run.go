// Package pipeline runs salesout's steps in their one direction of flow, each a package
// of its own that reads what the earlier ones wrote in the warehouse:
//
//	ingest (fetch, then load) → match → score → notify (alert) → output (export)
//
// The Runner only orders them: a table of steps and the run's state, which records what
// each step did for the later ones to read. The runs row and the outputs come last, so
// that what is exported and published includes the alerts and the run itself.
package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/connectors/s3"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/ingest"
	"github.com/salesout/salesout/pipeline/match"
	"github.com/salesout/salesout/pipeline/match/linkage"
	"github.com/salesout/salesout/pipeline/notify"
	"github.com/salesout/salesout/pipeline/output"
	"github.com/salesout/salesout/pipeline/score"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// Runner runs the pipeline for one config against one open warehouse.
type Runner struct {
	Cfg    *config.Config
	DB     *warehouse.DB
	Ingest *ingest.Ingest
	Now    func() time.Time // the clock; time.Now when nil
}

// NewRunner prepares the config's sources (remote ones connect when first listed).
func NewRunner(ctx context.Context, cfg *config.Config, db *warehouse.DB) (*Runner, error) {
	in, err := ingest.New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &Runner{Cfg: cfg, DB: db, Ingest: in}, nil
}

// Close releases the runner's source connections.
func (r *Runner) Close() error { return r.Ingest.Close() }

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Options choose the steps of a run and its "today".
type Options struct {
	Steps []string  // subset of config.Steps; all when empty
	AsOf  time.Time // date for scores, deviations and alerts
}

// Report is the state of a run: what each step did, typed, for the later steps, the
// CLI and the logs.
type Report struct {
	RunID      int64
	AsOf       time.Time
	Steps      []string
	Fetch      ingest.FetchResult
	Reference  ingest.RefResult
	Load       ingest.LoadResult
	Match      match.Result
	Score      score.Result
	Alerts     notify.Result
	Export     ExportResult
	Published  string
	StartedAt  time.Time
	FinishedAt time.Time
	// StepTimes is how long each step that ran took (the outputs count in "export").
	StepTimes map[string]time.Duration
}

// ExportResult says where the outputs went.
type ExportResult struct {
	Dir    string // the Parquet export
	Tables int
}

// step is one row of the step table: its name in --steps and schedules, and what it
// does with the run's connection and state.
type step struct {
	name string
	run  func(ctx context.Context, r *Runner, conn *sql.Conn, rep *Report) error
}

// steps are the steps in the order they run. "export" is last: it writes the outputs
// after the runs row says how the run ended (see Run).
var steps = []step{
	{"fetch", func(ctx context.Context, r *Runner, conn *sql.Conn, rep *Report) (err error) {
		rep.Fetch, err = r.Ingest.Fetch(ctx, conn, rep.RunID)
		return err
	}},
	{"load", func(ctx context.Context, r *Runner, conn *sql.Conn, rep *Report) (err error) {
		if rep.Reference, err = inTx(ctx, conn, func(tx *sql.Tx) (ingest.RefResult, error) {
			return r.Ingest.LoadReferences(ctx, tx, rep.RunID)
		}); err != nil {
			return fmt.Errorf("reference: %w", err)
		}
		rep.Load, err = r.Ingest.Load(ctx, conn, rep.RunID)
		return err
	}},
	{"match", func(ctx context.Context, r *Runner, conn *sql.Conn, rep *Report) (err error) {
		rep.Match, err = inTx(ctx, conn, func(tx *sql.Tx) (match.Result, error) {
			return match.Run(ctx, tx, match.Settings{
				Overrides: r.Cfg.Matching.Overrides,
				Options:   linkage.Options{MinScore: r.Cfg.Matching.MinScore, MinMargin: r.Cfg.Matching.MinMargin},
				RunID:     rep.RunID, Now: r.now(),
			}, match.Changed{Products: rep.Reference.Changed.Products, ChannelDB: rep.Reference.Changed.ChannelDB})
		})
		return err
	}},
	{"score", func(ctx context.Context, r *Runner, conn *sql.Conn, rep *Report) (err error) {
		if rep.Score, err = inTx(ctx, conn, func(tx *sql.Tx) (score.Result, error) {
			return score.Run(ctx, tx, rep.AsOf, r.Cfg.Scoring)
		}); err != nil {
			return err
		}
		zerolog.Ctx(ctx).Info().Int64("partners", rep.Score.Partners).Int64("deviations", rep.Score.Deviations).
			Int64("warnings", rep.Score.Warnings).Int64("criticals", rep.Score.Criticals).Msg("scored")
		return nil
	}},
	{"alert", func(ctx context.Context, r *Runner, conn *sql.Conn, rep *Report) (err error) {
		s, err := r.notifySettings(rep.RunID)
		if err != nil {
			return err
		}
		rep.Alerts, err = notify.Run(ctx, conn, rep.AsOf, r.now(), s)
		return err
	}},
	{"export", nil}, // the outputs: run by Run once the runs row is written
}

// notifySettings are the parts of the config the alert step reads.
func (r *Runner) notifySettings(runID int64) (notify.Settings, error) {
	a := r.Cfg.Alerts
	s := notify.Settings{RunID: runID, Outbox: a.Outbox, DefaultTo: a.DefaultTo, DataOwner: a.DataOwner,
		WorsenPoints: a.WorsenPoints, RepeatEvery: a.RepeatEvery.Duration, Mute: a.Mute, Rules: a.Rules,
		From: "salesout <salesout@localhost>", BaseCurrency: r.Cfg.BaseCurrency, Location: r.Cfg.Location, Feeds: r.Cfg.Feeds}
	if a.SMTP != nil {
		s.From = a.SMTP.From
		smtp, err := notify.SMTPConfig(*a.SMTP)
		if err != nil {
			return s, err
		}
		s.SMTP = &smtp
	}
	return s, nil
}

// outputBuilders make the outputs that a binary adds by registering them (cmd/salesout
// registers "iceberg", for export.iceberg), so that this package and its tests do not
// link their libraries.
var outputBuilders = map[string]func(*config.Config) (output.Output, error){}

// RegisterOutput makes the output of a config key available to runs: "iceberg" is
// written when export.iceberg is set. It is meant for init functions.
func RegisterOutput(key string, build func(*config.Config) (output.Output, error)) {
	outputBuilders[key] = build
}

// outputs are where a run that includes "export" writes its tables: the Parquet export,
// the Iceberg tables when export.iceberg is set, then the analysts' snapshot.
func (r *Runner) outputs() ([]output.Output, error) {
	p := output.Parquet{Dir: r.Cfg.Export.Dir, StageDir: filepath.Dir(r.Cfg.Warehouse.Path)}
	if strings.HasPrefix(p.Dir, "s3://") {
		src, ok := r.Ingest.Sources[r.Cfg.Export.Source].(*s3.Source)
		if !ok {
			return nil, fmt.Errorf("export.source %q is not an s3 source", r.Cfg.Export.Source)
		}
		p.S3 = src
	}
	outs := []output.Output{p}
	if r.Cfg.Export.Iceberg != nil {
		build, ok := outputBuilders["iceberg"]
		if !ok {
			return nil, errors.New("export.iceberg is set, but this build of salesout has no Iceberg output")
		}
		o, err := build(r.Cfg)
		if err != nil {
			return nil, fmt.Errorf("export.iceberg: %w", err)
		}
		outs = append(outs, o)
	}
	return append(outs, output.Snapshot{Path: r.Cfg.Warehouse.Publish}), nil
}

// Run runs the requested steps once, in the order of the step table. A returned error
// means the run could not finish.
//
// The runs row is written twice: "running" at the start; at the end, before the outputs,
// with how the steps ended, so that the exported and published runs table shows this
// run finished. When an output then fails, the row is set to failed with the reason: a
// run is "succeeded" in the warehouse only once everything it exports is out.
func (r *Runner) Run(ctx context.Context, opt Options) (*Report, error) {
	names := opt.Steps
	if len(names) == 0 {
		names = config.Steps
	}
	for _, s := range names {
		if !slices.Contains(config.Steps, s) {
			return nil, fmt.Errorf("unknown step %q (want %s)", s, strings.Join(config.Steps, ","))
		}
	}
	rep := &Report{AsOf: r.asOf(opt.AsOf), StartedAt: r.now(), Steps: names}
	var todo []step
	for _, s := range steps {
		if s.run != nil && slices.Contains(names, s.name) {
			todo = append(todo, s)
		}
	}
	return rep, r.execute(ctx, rep, todo, slices.Contains(names, "export"), "run")
}

// asOf is the run's "today": the given day, or today in the config's timezone.
func (r *Runner) asOf(day time.Time) time.Time {
	if !day.IsZero() {
		return day
	}
	n := r.now().In(r.Cfg.Location)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// execute is one run (Run, Reload): it records the run as running, runs todo in order
// until one fails, records how they ended and then, withOutputs, writes the outputs.
// what names the run in the logs.
func (r *Runner) execute(ctx context.Context, rep *Report, todo []step, withOutputs bool, what string) error {
	r.Ingest.Now = r.Now
	r.Ingest.AsOf = rep.AsOf // the plausible invoice dates end after it (load.dates)
	conn, err := r.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("warehouse connection: %w", err)
	}
	defer conn.Close()
	// A run still "running" is one whose worker died (killed, power cut): one process
	// writes the warehouse, and its runs go one at a time on this connection (TestCrash).
	if _, err := conn.ExecContext(ctx, `UPDATE runs SET status = 'failed', error = 'interrupted: the worker stopped before the run finished (killed or crashed)' WHERE status = 'running'`); err != nil {
		return fmt.Errorf("start %s: %w", what, err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT nextval('run_id_seq')`).Scan(&rep.RunID); err != nil {
		return fmt.Errorf("start %s: %w", what, err)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO runs (run_id, started_at, status, as_of, steps) VALUES (?, ?, 'running', ?, ?)`,
		rep.RunID, rep.StartedAt, rep.AsOf.Format(time.DateOnly), strings.Join(rep.Steps, ",")); err != nil {
		return fmt.Errorf("start %s: %w", what, err)
	}
	log := zerolog.Ctx(ctx).With().Int64("run_id", rep.RunID).Logger()
	ctx = log.WithContext(ctx)
	log.Info().Str("as_of", rep.AsOf.Format(time.DateOnly)).Strs("steps", rep.Steps).Msg(what + " started")

	var runErr error
	for _, s := range todo {
		began := time.Now()
		err := runStep(ctx, s, r, conn, rep)
		rep.stepTook(s.name, time.Since(began))
		if err != nil {
			runErr = fmt.Errorf("%s: %w", s.name, err)
			break
		}
	}
	// Record the end even when ctx was cancelled.
	endCtx := context.WithoutCancel(ctx)
	rep.FinishedAt = r.now()
	if err := r.finish(endCtx, conn, rep.RunID, rep.FinishedAt, runErr); err != nil && runErr == nil {
		runErr = err
	}
	if runErr == nil && withOutputs {
		began := time.Now()
		err := r.writeOutputs(ctx, conn, rep)
		rep.stepTook("export", time.Since(began))
		if err != nil {
			runErr = fmt.Errorf("export: %w", err)
			if ferr := r.finish(endCtx, conn, rep.RunID, r.now(), runErr); ferr != nil {
				runErr = errors.Join(runErr, ferr)
			}
		}
	}
	status := "succeeded"
	ev := log.Info()
	if runErr != nil {
		status, ev = "failed", log.Error().Err(runErr)
	}
	ev.Str("status", status).Dur("took", r.now().Sub(rep.StartedAt)).Msg(what + " finished") // outputs included
	return runErr
}

func (rep *Report) stepTook(name string, d time.Duration) {
	if rep.StepTimes == nil {
		rep.StepTimes = map[string]time.Duration{}
	}
	rep.StepTimes[name] += d
}

// runStep runs one step; a panic in it (a programming error) fails the run with the
// panic and its stack instead of leaving the warehouse connection in use.
func runStep(ctx context.Context, s step, r *Runner, conn *sql.Conn, rep *Report) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return s.run(ctx, r, conn, rep)
}

// finish writes how the run ended into its runs row.
func (r *Runner) finish(ctx context.Context, conn *sql.Conn, runID int64, at time.Time, runErr error) error {
	status, msg := "succeeded", any(nil)
	if runErr != nil {
		status, msg = "failed", runErr.Error()
	}
	if _, err := conn.ExecContext(ctx, `UPDATE runs SET finished_at = ?, status = ?, error = ? WHERE run_id = ?`,
		at, status, msg, runID); err != nil {
		return fmt.Errorf("finish run: %w", err)
	}
	return nil
}

// writeOutputs writes every output, in order.
func (r *Runner) writeOutputs(ctx context.Context, conn *sql.Conn, rep *Report) error {
	outs, err := r.outputs()
	if err != nil {
		return err
	}
	for _, o := range outs {
		where, err := o.Write(ctx, conn, output.Run{ID: rep.RunID, Now: r.now()})
		if err != nil {
			return fmt.Errorf("%s: %w", o.Name(), err)
		}
		switch o.(type) {
		case output.Snapshot:
			rep.Published = where
			zerolog.Ctx(ctx).Info().Str("path", where).Msg("snapshot published")
		case output.Parquet:
			rep.Export = ExportResult{Dir: where, Tables: len(output.Catalog)}
			zerolog.Ctx(ctx).Info().Str("dir", where).Int("tables", len(output.Catalog)).Msg("exported")
		default:
			zerolog.Ctx(ctx).Info().Str("output", o.Name()).Str("where", where).Msg("written")
		}
	}
	return nil
}

// inTx runs fn in one transaction on conn: committed when fn succeeds, else rolled back.
func inTx[T any](ctx context.Context, conn *sql.Conn, fn func(*sql.Tx) (T, error)) (T, error) {
	var zero T
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return zero, err
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback() // the connection must not stay inside the transaction
			panic(p)
		}
	}()
	res, err := fn(tx)
	if err != nil {
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			return zero, errors.Join(err, rerr)
		}
		return res, err
	}
	if err := tx.Commit(); err != nil {
		return zero, fmt.Errorf("commit: %w", err)
	}
	return res, nil
}
