package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDemo runs `salesout demo` as `make demo` does: everything loads as the generator
// intends, twice in the same folder gives the same figures, and a folder that is not a
// demo's is refused and left alone.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("demo: about 10 s")
	}
	dir := t.TempDir()
	first := mustRun(t, dir, "demo", "--dir", "d")
	for _, want := range []string{
		"salesout demo: 8 distributors, as of 2026-11-15",
		"297 received: 295 loaded, 1 duplicate, 1 failed",
		"48045 in sales_out, 52 quarantined",
		// Matching recognises what the channel database lists, so that only the
		// shortfalls the generator built remain: FR-EST (critical) and FR-OUEST
		// (warning), their reps, and three partners that went silent (behind target,
		// and silent_partner alerts), with loyal partners below last year: 15 alerts
		// e-mailed in one digest per rep or manager.
		"5 warning, 2 critical",
		"6 digest(s) (one per recipient, 15 alerts)",
	} {
		if !strings.Contains(first.stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, first.stdout)
		}
	}
	second := mustRun(t, dir, "demo", "--dir", "d")
	strip := regexp.MustCompile(`\(run \d+, [^)]*\)`)
	if strip.ReplaceAllString(first.stdout, "") != strip.ReplaceAllString(second.stdout, "") {
		t.Errorf("a second demo differs:\n%s\n---\n%s", first.stdout, second.stdout)
	}
	if !strings.Contains(second.stdout, "(run 1,") {
		t.Errorf("a second demo did not start from a fresh warehouse:\n%s", second.stdout)
	}
	other := filepath.Join(dir, "mine")
	os.MkdirAll(other, 0o750)
	os.WriteFile(filepath.Join(other, "precious.txt"), []byte("keep"), 0o600)
	r := salesout(t, dir, "demo", "--dir", "mine")
	if r.code == 0 || !strings.Contains(r.stderr, "not empty") {
		t.Errorf("demo into a foreign folder: exit %d\n%s", r.code, r.stderr)
	}
	if b, err := os.ReadFile(filepath.Join(other, "precious.txt")); err != nil || string(b) != "keep" {
		t.Errorf("the foreign folder was touched: %v", err)
	}
}
