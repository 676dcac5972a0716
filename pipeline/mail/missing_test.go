package mail

import (
	"strings"
	"testing"
	"time"
)

func TestRenderMissingFeed(t *testing.T) {
	now := time.Date(2026, 11, 23, 6, 30, 0, 0, time.UTC)
	tests := []struct {
		name        string
		m           MissingFeed
		wantSubject string
		wantText    []string
	}{
		{
			name: "silent for days",
			m: MissingFeed{AlertID: 7, Feed: "acme-daily", Distributor: "ACME", Source: "drop", LastFile: "ACME_20261119.csv",
				LastReceived: now.Add(-(3*24 + 4) * time.Hour), Expected: 24 * time.Hour, Now: now, Severity: "critical"},
			wantSubject: "[salesout] CRITICAL: distributor ACME feed acme-daily silent (no new file for 3 days 4 hours)",
			wantText:    []string{"expected every 1 day", "ACME_20261119.csv", "2026-11-20 02:30 UTC"},
		},
		{
			name:        "never received, worse",
			m:           MissingFeed{AlertID: 8, Feed: "bravo", Distributor: "BRAVO", Expected: 36 * time.Hour, Now: now, Severity: "critical", PreviousSeverity: "warning"},
			wantSubject: "Worse: [salesout] CRITICAL: distributor BRAVO feed bravo silent (no file has ever come)",
			wantText:    []string{"every 1 day 12 hours", "never", "sent before at severity WARNING"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := RenderMissingFeed(tt.m, "Alerts <alerts@example.com>", []string{"boss@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != tt.wantSubject {
				t.Errorf("subject %q, want %q", m.Subject, tt.wantSubject)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(m.Text, w) || !strings.Contains(m.HTML, w) {
					t.Errorf("text or HTML lacks %q:\n%s", w, m.Text)
				}
			}
		})
	}
}

func TestRenderMissingFeedEscapes(t *testing.T) {
	m, err := RenderMissingFeed(MissingFeed{Feed: "f", Distributor: "<script>alert(1)</script>\r\nBcc: x@y", Expected: time.Hour,
		Now: time.Now(), Severity: "warning"}, "a@example.com", []string{"b@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.HTML, "<script>") || strings.ContainsAny(m.Subject, "\r\n") {
		t.Errorf("not escaped: subject %q\n%s", m.Subject, m.HTML)
	}
	if _, err := RenderMissingFeed(MissingFeed{Feed: "f", Expected: time.Hour, Now: time.Now(), Severity: "ok"}, "a@example.com", []string{"b@example.com"}); err == nil {
		t.Error("severity ok accepted")
	}
}
