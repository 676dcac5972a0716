package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/salesout/salesout/pipeline"
	"github.com/salesout/salesout/pipeline/config"
)

func newServeCmd() *cobra.Command {
	var cfgPath string
	cmd := &cobra.Command{
		Use:   "serve --config FILE",
		Short: "Run the config's schedules until SIGINT/SIGTERM, with /healthz and /metrics",
		Long: `The long-running worker: runs the config's schedules (schedule:) one at a time until
SIGINT or SIGTERM, and serves on http.listen (default 127.0.0.1:9464):

  /healthz   JSON: the scheduler, the last runs, feed freshness, failures (as salesout status)
  /metrics   Prometheus text format (the list is in the README)

serve holds the warehouse's lock for its whole life: a manual 'salesout run' meanwhile
stops at once with exit code 3. 'salesout status' and 'salesout query' read the
published snapshot and work while serve runs.`,
		Example: `  salesout serve --config salesout.yaml
  curl -s 127.0.0.1:9464/healthz
  curl -s 127.0.0.1:9464/metrics`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return serve(cmd.Context(), cfgPath) },
	}
	addConfigFlag(cmd, &cfgPath)
	return cmd
}

// serve is the long-running worker: the config's schedules until SIGINT/SIGTERM,
// with /healthz and /metrics on http.listen.
func serve(ctx context.Context, cfgPath string) error {
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		return err
	}
	if len(cfg.Schedule) == 0 {
		return usageError{"serve: the config has no schedule (add a schedule: section, or use salesout run)"}
	}
	lock, err := lockWarehouse(cfg, "serve")
	if err != nil {
		return err
	}
	defer lock.Release()
	sched, err := pipeline.NewScheduler(ctx, cfg, func(ctx context.Context, steps []string) (*pipeline.Report, error) {
		return runOnce(ctx, cfg, steps, time.Time{})
	})
	if err != nil {
		return invalidError{err}
	}
	ln, err := net.Listen("tcp", cfg.HTTP.Listen)
	if err != nil {
		return fmt.Errorf("serve: listen on %s: %w", cfg.HTTP.Listen, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { writeHealth(r.Context(), w, sched) })
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) { writeMetrics(r.Context(), w, sched) })
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			zerolog.Ctx(ctx).Error().Err(err).Msg("http server stopped")
		}
	}()
	log := zerolog.Ctx(ctx)
	log.Info().Str("listen", ln.Addr().String()).Int("schedules", len(cfg.Schedule)).Msg("serving")
	runErr := sched.Run(ctx, 5*time.Minute)
	log.Info().Msg("stopping")
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return errors.Join(runErr, srv.Shutdown(shutdown))
}

// writeHealth is /healthz: the scheduler's state, and what `salesout status` shows
// (runs, feeds, failures, match rate, alerts, problems) under "warehouse", read from the
// published snapshot. status stays "ok" while the worker runs: the problems say what
// needs a look.
func writeHealth(ctx context.Context, w http.ResponseWriter, s *pipeline.Scheduler) {
	st := s.Stats()
	body := map[string]any{
		"status":  "ok",
		"started": st.Started.UTC().Format(time.RFC3339),
		"running": st.Running,
		"runs":    st.Runs,
		"next":    s.Next(),
	}
	if st.LastRun != nil {
		body["last_run"] = map[string]any{
			"run_id":   st.LastRun.RunID,
			"status":   st.LastStatus,
			"finished": st.LastFinished.UTC().Format(time.RFC3339),
			"error":    st.LastError,
		}
	}
	if ws, err := s.Status(ctx); err != nil {
		body["warehouse_error"] = err.Error()
	} else {
		body["warehouse"] = ws
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(body)
}

// writeMetrics writes the Prometheus text exposition format: the scheduler's counters,
// the last run's steps, and gauges from the published snapshot (as `salesout status`).
func writeMetrics(ctx context.Context, w http.ResponseWriter, s *pipeline.Scheduler) {
	st := s.Stats()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	metric := func(name, kind, help string) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, kind)
	}
	metric("salesout_runs_total", "counter", "Scheduled runs finished, by status.")
	for _, status := range []string{"succeeded", "failed"} {
		fmt.Fprintf(w, "salesout_runs_total{status=%q} %d\n", status, st.Runs[status])
	}
	metric("salesout_run_in_progress", "gauge", "1 while a run is going.")
	fmt.Fprintf(w, "salesout_run_in_progress %d\n", b2i(st.Running))
	metric("salesout_lines_loaded_total", "counter", "Lines loaded into sales_out by scheduled runs.")
	fmt.Fprintf(w, "salesout_lines_loaded_total %d\n", st.LinesLoaded)
	metric("salesout_lines_quarantined_total", "counter", "Lines quarantined by scheduled runs.")
	fmt.Fprintf(w, "salesout_lines_quarantined_total %d\n", st.Quarantined)
	metric("salesout_alerts_sent_total", "counter", "Alerts put in an e-mail digest (new, worse or repeated) by scheduled runs.")
	fmt.Fprintf(w, "salesout_alerts_sent_total %d\n", st.AlertsSent)
	metric("salesout_emails_written_total", "counter", "E-mails written to the outbox as .eml files by scheduled runs.")
	fmt.Fprintf(w, "salesout_emails_written_total %d\n", st.EmailsWritten)
	metric("salesout_emails_sent_total", "counter", "E-mails the SMTP relay accepted in scheduled runs.")
	fmt.Fprintf(w, "salesout_emails_sent_total %d\n", st.EmailsSent)
	metric("salesout_emails_failed_total", "counter", "E-mail sends that failed in scheduled runs (each is retried by the next run).")
	fmt.Fprintf(w, "salesout_emails_failed_total %d\n", st.EmailsFailed)
	if st.LastRun != nil {
		metric("salesout_last_run_finished_timestamp_seconds", "gauge", "When the last scheduled run finished.")
		fmt.Fprintf(w, "salesout_last_run_finished_timestamp_seconds %d\n", st.LastFinished.Unix())
		metric("salesout_last_run_success", "gauge", "1 when the last scheduled run succeeded.")
		fmt.Fprintf(w, "salesout_last_run_success %d\n", b2i(st.LastStatus == "succeeded"))
		metric("salesout_last_run_duration_seconds", "gauge", "How long the last scheduled run took.")
		fmt.Fprintf(w, "salesout_last_run_duration_seconds %g\n", st.LastRun.FinishedAt.Sub(st.LastRun.StartedAt).Seconds())
		metric("salesout_step_duration_seconds", "gauge", "How long each step of the last scheduled run took (export includes publishing).")
		for _, step := range config.Steps {
			if d, ok := st.LastRun.StepTimes[step]; ok {
				fmt.Fprintf(w, "salesout_step_duration_seconds{step=%q} %g\n", step, d.Seconds())
			}
		}
	}
	metric("salesout_next_run_timestamp_seconds", "gauge", "When each schedule fires next.")
	next := s.Next()
	names := make([]string, 0, len(next))
	for n := range next {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "salesout_next_run_timestamp_seconds{schedule=%q} %d\n", n, next[n].Unix())
	}
	ws, err := s.Status(ctx)
	if err != nil {
		return // nothing published yet
	}
	metric("salesout_snapshot_age_seconds", "gauge", "Age of the published snapshot the gauges below come from.")
	fmt.Fprintf(w, "salesout_snapshot_age_seconds %g\n", ws.Snapshot.AgeSeconds)
	metric("salesout_feed_newest_file_age_seconds", "gauge", "Age of each feed's newest new file (duplicates do not count); absent when none came.")
	for _, f := range ws.Feeds {
		if f.AgeSeconds != nil {
			fmt.Fprintf(w, "salesout_feed_newest_file_age_seconds{feed=%q,distributor=%q} %g\n", f.Name, f.Distributor, *f.AgeSeconds)
		}
	}
	metric("salesout_feed_late", "gauge", "1 when a feed sent no new file for longer than its expected_every.")
	for _, f := range ws.Feeds {
		fmt.Fprintf(w, "salesout_feed_late{feed=%q,distributor=%q} %d\n", f.Name, f.Distributor, b2i(f.Late))
	}
	metric("salesout_feed_files_failed", "gauge", "Files of each feed that failed to load, received in the last 7 days.")
	for _, f := range ws.Feeds {
		fmt.Fprintf(w, "salesout_feed_files_failed{feed=%q,distributor=%q} %d\n", f.Name, f.Distributor, f.FilesFailed)
	}
	metric("salesout_feed_lines_quarantined", "gauge", "Lines of each feed quarantined, in files received in the last 7 days.")
	for _, f := range ws.Feeds {
		fmt.Fprintf(w, "salesout_feed_lines_quarantined{feed=%q,distributor=%q} %d\n", f.Name, f.Distributor, f.LinesQuarantined)
	}
	metric("salesout_distributor_lines", "gauge", "Current lines in sales_out, per distributor.")
	for _, m := range ws.Matching {
		fmt.Fprintf(w, "salesout_distributor_lines{distributor=%q} %d\n", m.Distributor, m.Lines)
	}
	metric("salesout_distributor_match_rate", "gauge", "Share (0-1) of each distributor's current lines matched to a channel-database partner.")
	for _, m := range ws.Matching {
		rate := 0.0
		if m.Lines > 0 {
			rate = float64(m.LinesMatched) / float64(m.Lines)
		}
		fmt.Fprintf(w, "salesout_distributor_match_rate{distributor=%q} %g\n", m.Distributor, rate)
	}
	metric("salesout_alerts_open", "gauge", "Open alerts, by kind and severity.")
	for _, c := range ws.Alerts.ByKind {
		fmt.Fprintf(w, "salesout_alerts_open{kind=%q,severity=%q} %d\n", c.Kind, c.Severity, c.Open)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
