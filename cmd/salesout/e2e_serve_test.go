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
