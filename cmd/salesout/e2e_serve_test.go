package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServe runs `salesout serve` with a schedule firing every second: runs happen,
// /healthz and /metrics report them, and SIGTERM stops the worker cleanly.
func TestServe(t *testing.T) {
	dir := workspace(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg, _ := os.ReadFile(filepath.Join(dir, "config.yaml"))
	cfg = append(cfg, []byte(fmt.Sprintf("schedule:\n  - name: often\n    cron: \"@every 1s\"\n    steps: [fetch, load, match, score, export, alert]\nhttp:\n  listen: %s\n", addr))...)
	os.WriteFile(filepath.Join(dir, "serve.yaml"), cfg, 0o600)

	cmd := exec.Command(binary, "serve", "--config", "serve.yaml")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
	})

	get := func(path string) (string, error) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("%s: %s", path, resp.Status)
		}
		return string(b), err
	}
	var health struct {
		Status string           `json:"status"`
		Runs   map[string]int64 `json:"runs"`
		Next   map[string]time.Time
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		if body, err := get("/healthz"); err == nil {
			if err := json.Unmarshal([]byte(body), &health); err != nil {
				t.Fatalf("healthz is not JSON: %v\n%s", err, body)
			}
			if health.Runs["succeeded"] >= 2 {
				break
			}
			if health.Runs["failed"] > 0 {
				t.Fatalf("a scheduled run failed: %s\n%s", body, stderr.String())
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no two successful runs within 90 s; logs:\n%s", stderr.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if health.Status != "ok" || health.Next["often"].IsZero() {
		t.Errorf("healthz: %+v", health)
	}
	metrics, err := get("/metrics")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`salesout_runs_total{status="succeeded"}`, "salesout_lines_loaded_total 11", `salesout_next_run_timestamp_seconds{schedule="often"}`, "salesout_last_run_success 1"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q:\n%s", want, metrics)
		}
	}
	// Steps, distributors, e-mails and feeds, each line in the text format.
	for _, re := range []string{
		`(?m)^salesout_step_duration_seconds\{step="load"\} [0-9.e+-]+$`,
		`(?m)^salesout_step_duration_seconds\{step="export"\} [0-9.e+-]+$`,
		`(?m)^salesout_distributor_lines\{distributor="FR"\} \d+$`,
		`(?m)^salesout_distributor_match_rate\{distributor="FR"\} (0|1|0\.\d+)$`,
		`(?m)^salesout_emails_sent_total \d+$`,
		`(?m)^salesout_emails_failed_total 0$`,
		`(?m)^salesout_feed_newest_file_age_seconds\{feed="fr",distributor="FR"\} [0-9.e+-]+$`,
		`(?m)^salesout_feed_late\{feed="fr",distributor="FR"\} 0$`,
		`(?m)^salesout_snapshot_age_seconds [0-9.e+-]+$`,
		`(?m)^# TYPE salesout_distributor_match_rate gauge$`,
	} {
		if !regexp.MustCompile(re).MatchString(metrics) {
			t.Errorf("metrics lack %s:\n%s", re, metrics)
		}
	}
	// /healthz carries the status of the published snapshot.
	body, err := get("/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var withStatus struct {
		Warehouse struct {
			Feeds []struct {
				Name string `json:"name"`
				Late bool   `json:"late"`
			} `json:"feeds"`
			Runs     []json.RawMessage `json:"runs"`
			Matching []json.RawMessage `json:"matching"`
			Snapshot struct {
				AgeSeconds float64 `json:"age_seconds"`
			} `json:"snapshot"`
		} `json:"warehouse"`
	}
	if err := json.Unmarshal([]byte(body), &withStatus); err != nil {
		t.Fatal(err)
	}
	if w := withStatus.Warehouse; len(w.Feeds) < 3 || w.Feeds[0].Name != "fr" || len(w.Runs) < 2 || len(w.Matching) == 0 {
		t.Errorf("healthz warehouse status: %s", body)
	}
	if _, err := os.Stat(filepath.Join(dir, "var", "analytics.duckdb")); err != nil {
		t.Errorf("no snapshot published: %v", err)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve did not exit cleanly on SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop within 60 s of SIGTERM")
	}
	if !strings.Contains(stderr.String(), `"stopping"`) {
		t.Errorf("no stopping log line:\n%s", stderr.String())
	}
}
