// Package pipeline runs salesout's steps in their one direction of flow:
// fetch → load → match → score → export → alert, each reading what the earlier ones
// wrote in the warehouse. A run is recorded in the runs table.
package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/connectors"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/score"
	"github.com/salesout/salesout/pipeline/warehouse"
	sqlfiles "github.com/salesout/salesout/sql"
)

// Runner runs the pipeline for one config against one open warehouse.
type Runner struct {
	Cfg      *config.Config
	DB       *warehouse.DB
	Sources  map[string]connectors.Source
	Landing  Landing
	Progress bool             // draw progress bars (stderr is a terminal)
	Now      func() time.Time // the clock; time.Now when nil
	// BatchLines is how many lines of a file are staged and normalised at a time
	// (default 500,000); tests make it small to cross batch boundaries.
	BatchLines int

	afterBatch func() // test hook: called after each normalised batch
}

// NewRunner prepares the config's sources (remote ones connect when first listed).
func NewRunner(ctx context.Context, cfg *config.Config, db *warehouse.DB) (*Runner, error) {
	r := &Runner{Cfg: cfg, DB: db, Sources: map[string]connectors.Source{}, Landing: Landing{Dir: cfg.Landing}}
	for _, s := range cfg.Sources {
		src, err := OpenSource(ctx, s)
		if err != nil {
			r.Close()
			return nil, err
		}
		r.Sources[s.Name] = src
	}
	return r, nil
}

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

// Report is what a run did, for the CLI and the logs.
type Report struct {
	RunID      int64
	AsOf       time.Time
	Steps      []string
	Fetch      FetchResult
	Reference  RefResult
	Load       LoadResult
	Match      MatchResult
	Score      score.Result
	Export     ExportResult
	Alerts     AlertResult
	Published  string
	StartedAt  time.Time
	FinishedAt time.Time
}

// Run runs the requested steps once. A returned error means the run could not finish.
func (r *Runner) Run(ctx context.Context, opt Options) (*Report, error) {
	steps := opt.Steps
	if len(steps) == 0 {
		steps = config.Steps
	}
	for _, s := range steps {
		if !slices.Contains(config.Steps, s) {
			return nil, fmt.Errorf("unknown step %q (want %s)", s, strings.Join(config.Steps, ","))
		}
	}
	asOf := opt.AsOf
	if asOf.IsZero() {
		n := r.now().In(r.Cfg.Location)
		asOf = time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	}
	rep := &Report{AsOf: asOf, StartedAt: r.now(), Steps: steps}
	conn, err := r.DB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("warehouse connection: %w", err)
	}
	defer conn.Close()
	if err := conn.QueryRowContext(ctx, `SELECT nextval('run_id_seq')`).Scan(&rep.RunID); err != nil {
		return nil, fmt.Errorf("start run: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO runs (run_id, started_at, status, as_of, steps) VALUES (?, ?, 'running', ?, ?)`,
		rep.RunID, rep.StartedAt, asOf.Format(time.DateOnly), strings.Join(steps, ",")); err != nil {
		return nil, fmt.Errorf("start run: %w", err)
	}
	log := zerolog.Ctx(ctx).With().Int64("run_id", rep.RunID).Logger()
	ctx = log.WithContext(ctx)
	log.Info().Str("as_of", asOf.Format(time.DateOnly)).Strs("steps", steps).Msg("run started")

	runErr := r.runSteps(ctx, conn, rep, steps)
	rep.FinishedAt = r.now()
	status, msg := "succeeded", any(nil)
	if runErr != nil {
		status, msg = "failed", runErr.Error()
	}
	// Record the end even when ctx was cancelled.
	endCtx := context.WithoutCancel(ctx)
	if _, err := conn.ExecContext(endCtx, `UPDATE runs SET finished_at = ?, status = ?, error = ? WHERE run_id = ?`,
		rep.FinishedAt, status, msg, rep.RunID); err != nil && runErr == nil {
		runErr = fmt.Errorf("finish run: %w", err)
	}
	if runErr == nil && slices.Contains(steps, "export") {
		if err := r.DB.Publish(endCtx, conn, r.Cfg.Warehouse.Publish); err != nil {
			runErr = err
		} else {
			rep.Published = r.Cfg.Warehouse.Publish
			log.Info().Str("path", rep.Published).Msg("snapshot published")
		}
	}
	ev := log.Info()
	if runErr != nil {
		ev = log.Error().Err(runErr)
	}
	ev.Str("status", status).Dur("took", rep.FinishedAt.Sub(rep.StartedAt)).Msg("run finished")
	return rep, runErr
}

func (r *Runner) runSteps(ctx context.Context, conn *sql.Conn, rep *Report, steps []string) error {
	has := func(s string) bool { return slices.Contains(steps, s) }
	var err error
	if has("fetch") {
		if rep.Fetch, err = r.fetch(ctx, conn, rep.RunID); err != nil {
			return fmt.Errorf("fetch: %w", err)
		}
	}
	if has("load") {
		if rep.Reference, err = r.loadReference(ctx, conn); err != nil {
			return fmt.Errorf("load reference: %w", err)
		}
		if rep.Load, err = r.load(ctx, conn, rep.RunID); err != nil {
			return fmt.Errorf("load: %w", err)
		}
	}
	if has("match") {
		if rep.Match, err = r.match(ctx, conn, rep.Reference.Changed["products"]); err != nil {
			return fmt.Errorf("match: %w", err)
		}
	}
	if has("score") {
		if rep.Score, err = inTx(ctx, conn, func(tx *sql.Tx) (score.Result, error) {
			return score.Run(ctx, tx, rep.AsOf, r.Cfg.Scoring)
		}); err != nil {
			return fmt.Errorf("score: %w", err)
		}
		zerolog.Ctx(ctx).Info().Int64("partners", rep.Score.Partners).Int64("deviations", rep.Score.Deviations).
			Int64("warnings", rep.Score.Warnings).Int64("criticals", rep.Score.Criticals).Msg("scored")
	}
	if has("export") {
		if rep.Export, err = r.export(ctx, conn, rep.RunID); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	if has("alert") {
		if rep.Alerts, err = r.alert(ctx, conn, rep.AsOf); err != nil {
			return fmt.Errorf("alert: %w", err)
		}
	}
	return nil
}

// loadReference replaces the reference tables in one transaction and converts lines
// whose base amount is missing or whose rates changed.
func (r *Runner) loadReference(ctx context.Context, conn *sql.Conn) (RefResult, error) {
	return inTx(ctx, conn, func(tx *sql.Tx) (RefResult, error) {
		res, err := loadReference(ctx, tx, &r.Cfg.Reference)
		if err != nil {
			return res, err
		}
		if _, err := tx.ExecContext(ctx, "SET VARIABLE base_currency = ?", r.Cfg.BaseCurrency); err != nil {
			return res, err
		}
		if _, err := tx.ExecContext(ctx, "SET VARIABLE recompute_all = ?", res.Changed["fx_rates"]); err != nil {
			return res, err
		}
		if _, err := tx.ExecContext(ctx, sqlfiles.Read("amount_base.sql")); err != nil {
			return res, fmt.Errorf("convert amounts: %w", err)
		}
		zerolog.Ctx(ctx).Info().Interface("rows", res.Rows).Msg("reference loaded")
		return res, nil
	})
}

// MatchResult counts the reseller resolution.
type MatchResult struct {
	Resellers       int64
	Matched         int64
	LinesMatched    int64
	LinesUnmatched  int64
	UnknownProducts int64
}

func (r *Runner) match(ctx context.Context, conn *sql.Conn, productsChanged bool) (MatchResult, error) {
	return inTx(ctx, conn, func(tx *sql.Tx) (MatchResult, error) {
		var res MatchResult
		if _, err := tx.ExecContext(ctx, "SET VARIABLE all_lines = ?", productsChanged); err != nil {
			return res, err
		}
		if _, err := tx.ExecContext(ctx, sqlfiles.Read("resolve_products.sql")); err != nil {
			return res, fmt.Errorf("resolve products: %w", err)
		}
		if _, err := tx.ExecContext(ctx, sqlfiles.Read("match_partners.sql")); err != nil {
			return res, fmt.Errorf("match partners: %w", err)
		}
		err := tx.QueryRowContext(ctx, `
			SELECT (SELECT count(*) FROM partner_matches),
			       (SELECT count(*) FROM partner_matches WHERE partner_id IS NOT NULL),
			       count(*) FILTER (WHERE partner_id IS NOT NULL),
			       count(*) FILTER (WHERE partner_id IS NULL),
			       count(*) FILTER (WHERE product_line IS NULL)
			FROM sales_out`).Scan(&res.Resellers, &res.Matched, &res.LinesMatched, &res.LinesUnmatched, &res.UnknownProducts)
		if err != nil {
			return res, err
		}
		zerolog.Ctx(ctx).Info().Int64("resellers", res.Resellers).Int64("matched", res.Matched).
			Int64("lines_matched", res.LinesMatched).Int64("lines_unmatched", res.LinesUnmatched).
			Int64("lines_unknown_product", res.UnknownProducts).Msg("matched")
		return res, nil
	})
}

// inTx runs fn in one transaction on conn: committed when fn succeeds, else rolled back.
func inTx[T any](ctx context.Context, conn *sql.Conn, fn func(*sql.Tx) (T, error)) (T, error) {
	var zero T
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return zero, err
	}
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
