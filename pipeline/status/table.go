package status

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"
)

// WriteJSON writes st as indented JSON.
func (st *Status) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(st)
}

// WriteTable writes st for a terminal: one section per question, problems last.
func (st *Status) WriteTable(w io.Writer) error {
	p := &printer{w: w}
	days := formatDuration(st.Now.Sub(st.Since))
	p.f("salesout status at %s (UTC)\n", st.Now.Format("2006-01-02 15:04"))
	if st.Snapshot.Path != "" {
		p.f("snapshot %s, published %s (%s ago)\n", st.Snapshot.Path, st.Snapshot.PublishedAt.Format("2006-01-02 15:04"),
			formatDuration(time.Duration(st.Snapshot.AgeSeconds*float64(time.Second))))
	}

	p.f("\nLast runs\n")
	if len(st.Runs) == 0 {
		p.f("  none yet\n")
	} else {
		t := p.table("RUN", "STARTED", "TOOK", "STATUS", "AS OF", "STEPS")
		for _, r := range st.Runs {
			took := "running"
			if r.FinishedAt != nil {
				took = fmt.Sprintf("%.1fs", r.DurationSeconds)
			}
			status := r.Status
			if r.Error != "" {
				status += ": " + clip(r.Error, 60)
			}
			t.row(r.RunID, r.StartedAt.Format("2006-01-02 15:04"), took, status, r.AsOf, r.Steps)
		}
		t.flush()
	}

	p.f("\nFeeds (late: no new file for longer than expected_every; counts: last %s)\n", days)
	t := p.table("FEED", "DISTRIBUTOR", "NEWEST FILE", "AGE", "EXPECTED", "LATE", "FILES", "FAILED", "LINES", "QUARANTINED")
	for _, f := range st.Feeds {
		newest, age, late := "none", "-", "no"
		if f.NewestAt != nil {
			newest, age = clip(f.NewestFile, 40), formatDuration(time.Duration(*f.AgeSeconds*float64(time.Second)))
		}
		if f.Late {
			late = "LATE"
		}
		expected := f.ExpectedEvery
		if expected == "" {
			expected = "-"
		}
		name := f.Name
		if !f.InConfig {
			name += " (not in config)"
		}
		t.row(name, f.Distributor, newest, age, expected, late, f.Files, f.FilesFailed, f.LinesLoaded, f.LinesQuarantined)
	}
	t.flush()

	p.f("\nFailures in the last %s: %d file(s) failed, %d line(s) quarantined\n", days, st.Failures.FilesFailed, st.Failures.LinesQuarantined)
	for _, f := range st.Failures.Files {
		p.f("  failed %s  %s (%s): %s\n", f.ReceivedAt.Format("2006-01-02 15:04"), f.Name, f.Feed, clip(f.Reason, 90))
	}
	if len(st.Failures.TopReasons) > 0 {
		t := p.table("LINES", "QUARANTINE REASON", "FEEDS")
		for _, r := range st.Failures.TopReasons {
			t.row(r.Lines, clip(r.Reason, 80), clip(r.Feeds, 40))
		}
		t.flush()
	}

	p.f("\nMatch rate (current lines matched to a channel-database partner)\n")
	t = p.table("DISTRIBUTOR", "LINES", "MATCHED", "REVENUE", "MATCHED", "RESELLERS", "UNMATCHED")
	for _, m := range st.Matching {
		t.row(m.Distributor, m.Lines, fmt.Sprintf("%.1f%%", m.LinesPct), fmt.Sprintf("%.0f", m.Revenue), fmt.Sprintf("%.1f%%", m.RevenuePct),
			m.Resellers, m.ResellersUnmapped)
	}
	t.flush()

	last := "never"
	if st.Alerts.LastSent != nil {
		last = st.Alerts.LastSent.Format("2006-01-02 15:04")
	}
	p.f("\nAlerts: %d open, %d sent in the last %s (last e-mail %s)\n", st.Alerts.Open, st.Alerts.Sent, days, last)
	if len(st.Alerts.ByKind) > 0 {
		t := p.table("KIND", "SEVERITY", "OPEN", "SENT")
		for _, c := range st.Alerts.ByKind {
			t.row(c.Kind, c.Severity, c.Open, c.Sent)
		}
		t.flush()
	}
	if st.Alerts.Digests != nil {
		var parts []string
		for _, s := range []string{"sent", "written", "failed", "pending", "sending"} {
			if n := st.Alerts.Digests[s]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, s))
			}
		}
		if len(parts) == 0 {
			parts = append(parts, "none")
		}
		p.f("  digests: %s\n", strings.Join(parts, ", "))
	}

	if len(st.Problems) == 0 {
		p.f("\nNo problem.\n")
	} else {
		p.f("\nProblems (%d)\n", len(st.Problems))
		for _, pr := range st.Problems {
			p.f("  - %s\n", pr)
		}
	}
	return p.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

type table struct {
	p  *printer
	tw *tabwriter.Writer
}

func (p *printer) table(header ...string) *table {
	t := &table{p: p, tw: tabwriter.NewWriter(p.w, 0, 0, 2, ' ', 0)}
	t.row(anySlice(header)...)
	return t
}

func (t *table) row(cells ...any) {
	parts := make([]string, len(cells))
	for i, c := range cells {
		parts[i] = fmt.Sprint(c)
	}
	if t.p.err == nil {
		_, t.p.err = fmt.Fprintf(t.tw, "  %s\n", strings.Join(parts, "\t"))
	}
}

func (t *table) flush() {
	if err := t.tw.Flush(); err != nil && t.p.err == nil {
		t.p.err = err
	}
}

func anySlice(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// clip shortens s to n characters with an ellipsis, on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
