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

	"github.com/salesout/salesout/pipeline"
)

// cmdServe is the long-running worker: the config's schedules until SIGINT/SIGTERM,
// with /healthz and /metrics on http.listen.
func cmdServe(ctx context.Context, args []string) error {
	fs := newFlags("serve")
	cfgPath := fs.String("config", "", "config file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if len(cfg.Schedule) == 0 {
		return usageError{"serve: the config has no schedule (add a schedule: section, or use salesout run)"}
	}
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
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { writeHealth(w, sched) })
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) { writeMetrics(w, sched) })
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

func writeHealth(w http.ResponseWriter, s *pipeline.Scheduler) {
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
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(body)
}

// writeMetrics writes the Prometheus text exposition format.
func writeMetrics(w http.ResponseWriter, s *pipeline.Scheduler) {
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
	metric("salesout_alerts_sent_total", "counter", "Alert e-mails written by scheduled runs.")
	fmt.Fprintf(w, "salesout_alerts_sent_total %d\n", st.AlertsSent)
	if st.LastRun != nil {
		metric("salesout_last_run_finished_timestamp_seconds", "gauge", "When the last scheduled run finished.")
		fmt.Fprintf(w, "salesout_last_run_finished_timestamp_seconds %d\n", st.LastFinished.Unix())
		metric("salesout_last_run_success", "gauge", "1 when the last scheduled run succeeded.")
		fmt.Fprintf(w, "salesout_last_run_success %d\n", b2i(st.LastStatus == "succeeded"))
		metric("salesout_last_run_duration_seconds", "gauge", "How long the last scheduled run took.")
		fmt.Fprintf(w, "salesout_last_run_duration_seconds %g\n", st.LastRun.FinishedAt.Sub(st.LastRun.StartedAt).Seconds())
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
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
