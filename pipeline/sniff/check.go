package sniff

// Check: the samples loaded with a proposal into a scratch warehouse, through the real
// fetch and load steps.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/salesout/salesout/pipeline"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// CheckResult is what loading the samples with a proposal did.
type CheckResult struct {
	Files []FileCheck
	// Unmatched are the sample files the proposal's `match` glob does not take (they were
	// loaded anyway, to check the rest of the settings).
	Unmatched []string
}

// FileCheck is one sample file's load.
type FileCheck struct {
	Name        string // the file's name
	Status      string // loaded, duplicate (same content as another sample) or failed
	Reason      string // why the whole file failed
	Loaded      int64  // lines that would load
	Quarantined int64  // lines that would be quarantined
	Current     int64  // loaded lines not replaced by a later sample (mode: replace_period)
	Units       string // sum of the current lines' quantities
	Amount      string // sum of the current lines' amounts
	Digest      string // digest of every loaded line (number, date, quantity, amount, currency)
	Reasons     []Reason
}

// Reason is one kind of quarantine in a file, most frequent first.
type Reason struct {
	Field  string // the canonical field at fault; "" for a line the parser could not read
	Kind   string // the reason with its value blanked
	Count  int64
	Line   int64  // the first line quarantined for it (0 for the whole file)
	Sample string // that line's reason, with its value
	Raw    string // that line's text
}

// Lines is the total of lines that would load.
func (r CheckResult) Lines() (loaded, quarantined int64) {
	for _, f := range r.Files {
		loaded += f.Loaded
		quarantined += f.Quarantined
	}
	return loaded, quarantined
}

// Check loads files with the proposed feed into a scratch warehouse in a temporary
// folder, through the fetch and load steps of the pipeline, and writes a report to w
// (nil: no report). The proposal's YAML block is what is loaded, so that a block that
// does not parse or validate fails here as it would in the config.
func Check(ctx context.Context, p Proposal, files []string, w io.Writer) (CheckResult, error) {
	if w == nil {
		w = io.Discard
	}
	var res CheckResult
	if len(files) == 0 {
		return res, errors.New("check: no sample file")
	}
	dir, err := os.MkdirTemp("", "salesout-sniff-*")
	if err != nil {
		return res, fmt.Errorf("check: %w", err)
	}
	defer os.RemoveAll(dir)

	if p.Proposed.Match == "" {
		p.Proposed.Match = "*"
	}
	feed := p.Feed()
	source := feed.Source
	if source == "" {
		source = "samples"
	}
	drop := filepath.Join(dir, "drop")
	if err := os.MkdirAll(drop, 0o750); err != nil {
		return res, fmt.Errorf("check: %w", err)
	}
	taken := map[string]bool{}
	for i, f := range files {
		name := filepath.Base(f)
		if taken[name] {
			name = fmt.Sprintf("%d_%s", i+1, name)
		}
		taken[name] = true
		if ok, _ := path.Match(feed.Match, filepath.Base(f)); !ok {
			res.Unmatched = append(res.Unmatched, filepath.Base(f))
		}
		if err := copyFile(f, filepath.Join(drop, name)); err != nil {
			return res, fmt.Errorf("check: %w", err)
		}
	}
	ref := filepath.Join(dir, "channel.csv")
	if err := os.WriteFile(ref, []byte("partner_id,name\nP0,Scratch\n"), 0o640); err != nil {
		return res, fmt.Errorf("check: %w", err)
	}
	cfgText := scratchConfig(source, p.YAML())
	cfg, err := config.Parse([]byte(cfgText), filepath.Join(dir, "scratch.yaml"), func(string) (string, bool) { return "", false })
	if err != nil {
		return res, fmt.Errorf("check: the proposed feed block is not a valid config:\n%w", err)
	}
	// Every sample is loaded, whatever the match glob says (Unmatched reports it).
	cfg.Feeds[0].Match = "*"

	db, err := warehouse.Open(ctx, cfg.Warehouse)
	if err != nil {
		return res, fmt.Errorf("check: scratch warehouse: %w", err)
	}
	defer db.Close()
	runner, err := pipeline.NewRunner(ctx, cfg, db)
	if err != nil {
		return res, fmt.Errorf("check: %w", err)
	}
	defer runner.Close()
	if _, err := runner.Run(ctx, pipeline.Options{Steps: []string{"fetch", "load"}, AsOf: time.Now().UTC()}); err != nil {
		return res, fmt.Errorf("check: load the samples: %w", err)
	}
	if res.Files, err = readResults(ctx, db); err != nil {
		return res, fmt.Errorf("check: %w", err)
	}
	writeReport(w, feed, res)
	return res, nil
}

// scratchConfig is a config with one local source, drop/, and the feed block.
func scratchConfig(source string, block []byte) string {
	var b strings.Builder
	b.WriteString("base_currency: EUR\nwarehouse:\n  path: var/w.duckdb\n  publish: var/a.duckdb\n  threads: 1\n")
	fmt.Fprintf(&b, "sources:\n  - name: %s\n    type: local\n    dir: drop\n", yamlString(source))
	b.WriteString("feeds:\n")
	for _, l := range strings.SplitAfter(string(block), "\n") {
		if l != "" {
			b.WriteString("  " + l)
		}
	}
	b.WriteString("\nreference:\n  channel_db: channel.csv\nalerts: {outbox: var/outbox}\nexport: {dir: var/export}\n")
	return b.String()
}

// readResults reads what the scratch load did, per file.
func readResults(ctx context.Context, db *warehouse.DB) ([]FileCheck, error) {
	rows, err := db.QueryContext(ctx, warehouse.Statement("sniff/file_results.sql"))
	if err != nil {
		return nil, fmt.Errorf("read the load's results: %w", err)
	}
	var out []FileCheck
	byName := map[string]*FileCheck{}
	for rows.Next() {
		var f FileCheck
		var reason *string
		if err := rows.Scan(&f.Name, &f.Status, &reason, &f.Loaded, &f.Quarantined, &f.Current, &f.Units, &f.Amount, &f.Digest); err != nil {
			rows.Close()
			return nil, err
		}
		if reason != nil {
			f.Reason = *reason
		}
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		byName[out[i].Name] = &out[i]
	}
	rows, err = db.QueryContext(ctx, warehouse.Statement("sniff/quarantine_reasons.sql"))
	if err != nil {
		return nil, fmt.Errorf("read the quarantine: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var field, sample, raw *string
		var line *int64
		var r Reason
		if err := rows.Scan(&name, &field, &r.Kind, &r.Count, &line, &sample, &raw); err != nil {
			return nil, err
		}
		r.Field, r.Sample, r.Raw = deref(field), deref(sample), deref(raw)
		if line != nil {
			r.Line = *line
		}
		if f := byName[name]; f != nil {
			f.Reasons = append(f.Reasons, r)
		}
	}
	return out, rows.Err()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// maxReasons is how many reasons the report shows per file.
const maxReasons = 5

// writeReport writes a human report of a check.
func writeReport(w io.Writer, feed config.Feed, res CheckResult) {
	loaded, quarantined := res.Lines()
	fmt.Fprintf(w, "Check of feed %s (%s) on %d file(s): %d line(s) would load, %d would be quarantined.\n",
		feed.Name, feed.Format, len(res.Files), loaded, quarantined)
	for _, u := range res.Unmatched {
		fmt.Fprintf(w, "  note: %s is not matched by match: %q (loaded anyway for this check)\n", u, feed.Match)
	}
	for _, f := range res.Files {
		fmt.Fprintf(w, "\n%s: %s", f.Name, f.Status)
		switch f.Status {
		case "failed":
			fmt.Fprintf(w, ": %s\n", f.Reason)
			continue
		case "duplicate":
			fmt.Fprintln(w, " (same content as another sample: skipped)")
			continue
		}
		fmt.Fprintf(w, ", %d line(s) would load (units %s, amount %s), %d quarantined\n", f.Loaded, trimZeros(f.Units), trimZeros(f.Amount), f.Quarantined)
		if f.Current != f.Loaded {
			fmt.Fprintf(w, "  %d of them replaced by a later sample of the same period (mode: replace_period)\n", f.Loaded-f.Current)
		}
		for i, r := range f.Reasons {
			if i == maxReasons {
				fmt.Fprintf(w, "  ... and %d more reason(s)\n", len(f.Reasons)-maxReasons)
				break
			}
			field := r.Field
			if field == "" {
				field = "line"
			}
			fmt.Fprintf(w, "  %6d × %s: %s\n", r.Count, field, r.Kind)
			if r.Line > 0 {
				fmt.Fprintf(w, "           e.g. line %d: %s\n", r.Line, r.Sample)
			}
			if r.Raw != "" {
				fmt.Fprintf(w, "           %s\n", clip(r.Raw, 120))
			}
		}
	}
}

// trimZeros drops the trailing zeros of a decimal's text (DECIMAL(18,4) prints 4).
func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// clip shortens s to n characters.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// copyFile copies a sample into the scratch drop folder.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
