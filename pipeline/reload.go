package pipeline

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/ingest"
)

// ReloadOptions choose what a reload reads again and its "today".
type ReloadOptions struct {
	Feed  string    // the feed, by its name in the config
	Since time.Time // only the files received on or after this day; all when zero
	AsOf  time.Time // date for the scores; today in the config's timezone when zero
}

// ReloadReport is a reload run: the run's report (match, score, outputs) and what the
// reload itself did.
type ReloadReport struct {
	*Report
	Reload ingest.ReloadResult
}

// reloadSteps are the steps of a reload run, as its runs row lists them: the feed's
// files read again, then match and score as in the step table, then the outputs.
var reloadSteps = []string{"reload", "match", "score", "export"}

// Reload repairs a feed after a change of its settings: it reads the feed's loaded and
// failed files again from the landing folder with the current settings (one
// transaction per file, the ledger's history kept in file_loads), then re-matches,
// re-scores and writes the outputs, so that analysts see the repaired lines. It is a
// run of its own, with its runs row; the caller holds the warehouse lock.
func (r *Runner) Reload(ctx context.Context, opt ReloadOptions) (*ReloadReport, error) {
	rep := &ReloadReport{Report: &Report{AsOf: r.asOf(opt.AsOf), StartedAt: r.now(), Steps: reloadSteps}}
	reload := step{"reload", func(ctx context.Context, r *Runner, conn *sql.Conn, _ *Report) (err error) {
		rep.Reload, err = r.Ingest.Reload(ctx, conn, rep.RunID, ingest.ReloadOptions{Feed: opt.Feed, Since: opt.Since})
		if err == nil {
			zerolog.Ctx(ctx).Info().Int("files", rep.Reload.Files).Int64("lines", rep.Reload.Lines).
				Int64("quarantined", rep.Reload.Quarantined).Msg("feed read again")
		}
		return err
	}}
	todo := []step{reload}
	for _, s := range steps {
		if slices.Contains(reloadSteps, s.name) && s.run != nil {
			todo = append(todo, s)
		}
	}
	log := zerolog.Ctx(ctx).With().Str("feed", opt.Feed).Logger()
	return rep, r.execute(log.WithContext(ctx), rep.Report, todo, true, "reload")
}
