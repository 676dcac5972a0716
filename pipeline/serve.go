package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/status"
)

// RunFunc runs the pipeline once with the given steps; serve calls it on schedule.
type RunFunc func(ctx context.Context, steps []string) (*Report, error)

// Scheduler runs the config's schedules, one run at a time (the warehouse has one
// writer), and keeps what /healthz and /metrics report.
type Scheduler struct {
	cfg  *config.Config
	run  RunFunc
	cron *cron.Cron
	ids  map[cron.EntryID]string

	mu      sync.Mutex // one run at a time, across all schedules
	stats   Stats
	statsMu sync.Mutex

	statusMu sync.Mutex // the published status, read again when the snapshot changed
	status   *status.Status
	statusAt time.Time // modification time of the snapshot it was read from
}

// Stats is what the scheduler has done since it started.
type Stats struct {
	Started       time.Time
	Runs          map[string]int64 // by status: succeeded, failed
	LastRun       *Report
	LastStatus    string
	LastError     string
	LastFinished  time.Time
	Running       bool
	LinesLoaded   int64
	Quarantined   int64
	AlertsSent    int64 // alerts put in a digest (new, worse, repeated)
	EmailsWritten int64 // .eml files written to the outbox
	EmailsSent    int64 // e-mails the SMTP relay accepted
	EmailsFailed  int64 // e-mail sends that failed (retried by the next run)
}

// cronLogger adapts zerolog to cron's logger interface.
type cronLogger struct{ log zerolog.Logger }

func (l cronLogger) Info(msg string, kv ...any) {
	l.log.Debug().Fields(kv).Msg("cron: " + msg)
}

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error().Err(err).Fields(kv).Msg("cron: " + msg)
}

// NewScheduler prepares one cron entry per schedule, in the config's time zone. A
// schedule that fires while a run is going waits for it (SkipIfStillRunning for its own
// entry, the run lock across entries); a panic in a run is recovered and logged.
func NewScheduler(ctx context.Context, cfg *config.Config, run RunFunc) (*Scheduler, error) {
	cl := cronLogger{log: *zerolog.Ctx(ctx)}
	s := &Scheduler{cfg: cfg, run: run, ids: map[cron.EntryID]string{}, stats: Stats{Started: time.Now(), Runs: map[string]int64{}}}
	s.cron = cron.New(
		cron.WithLocation(cfg.Location),
		cron.WithParser(cron.NewParser(cron.Minute|cron.Hour|cron.Dom|cron.Month|cron.Dow|cron.Descriptor)),
		cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)),
		cron.WithLogger(cl),
	)
	for _, sch := range cfg.Schedule {
		sch := sch
		steps := sch.Steps
		if len(steps) == 0 {
			steps = config.Steps
		}
		id, err := s.cron.AddFunc(sch.Cron, func() { s.runOnce(ctx, sch.Name, steps) })
		if err != nil {
			return nil, fmt.Errorf("schedule %s: %w", sch.Name, err)
		}
		s.ids[id] = sch.Name
	}
	return s, nil
}

func (s *Scheduler) runOnce(ctx context.Context, name string, steps []string) {
	if ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	log := zerolog.Ctx(ctx).With().Str("schedule", name).Logger()
	s.setRunning(true)
	rep, err := s.run(log.WithContext(ctx), steps)
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats.Running = false
	s.stats.LastFinished = time.Now()
	status := "succeeded"
	if err != nil {
		status = "failed"
		s.stats.LastError = err.Error()
		log.Error().Err(err).Msg("scheduled run failed")
	} else {
		s.stats.LastError = ""
	}
	s.stats.LastStatus = status
	s.stats.Runs[status]++
	if rep != nil {
		s.stats.LastRun = rep
		s.stats.LinesLoaded += rep.Load.Lines
		s.stats.Quarantined += rep.Load.Quarantined
		s.stats.AlertsSent += int64(rep.Alerts.Notified)
		s.stats.EmailsWritten += int64(rep.Alerts.Written)
		s.stats.EmailsSent += int64(rep.Alerts.Sent)
		s.stats.EmailsFailed += int64(rep.Alerts.Failed)
	}
}

func (s *Scheduler) setRunning(v bool) {
	s.statsMu.Lock()
	s.stats.Running = v
	s.statsMu.Unlock()
}

// Stats returns a copy of the scheduler's counters.
func (s *Scheduler) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	st := s.stats
	st.Runs = map[string]int64{}
	for k, v := range s.stats.Runs {
		st.Runs[k] = v
	}
	return st
}

// Next is when each schedule fires next.
func (s *Scheduler) Next() map[string]time.Time {
	next := map[string]time.Time{}
	for _, e := range s.cron.Entries() {
		next[s.ids[e.ID]] = e.Next
	}
	return next
}

// Run starts the schedules and blocks until ctx is done; then it lets a running run
// end (its context is ctx, so it is cancelled and rolls back) for at most grace.
func (s *Scheduler) Run(ctx context.Context, grace time.Duration) error {
	s.cron.Start()
	<-ctx.Done()
	stopped := s.cron.Stop()
	select {
	case <-stopped.Done():
		return nil
	case <-time.After(grace):
		return errors.New("a run did not stop in time")
	}
}

// Status is `salesout status` for /healthz and /metrics: read from the published
// snapshot, again only when a run published a new one (the ages are brought up to now).
// It is nil, with the error, before the first snapshot.
func (s *Scheduler) Status(ctx context.Context) (*status.Status, error) {
	fi, err := os.Stat(s.cfg.Warehouse.Publish)
	if err != nil {
		return nil, fmt.Errorf("status: %w (no run has published one yet)", status.ErrNoSnapshot)
	}
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	now := time.Now()
	if s.status == nil || !fi.ModTime().Equal(s.statusAt) {
		st, err := status.Read(ctx, s.cfg, status.Options{Now: now})
		if err != nil {
			return nil, err
		}
		s.status, s.statusAt = st, fi.ModTime()
	}
	st := s.status.At(now)
	return st, nil
}
