package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMissingFeedAlerts: a feed with expected_every 24h that goes silent raises a warning
// past 24 h (e-mailed once), a critical past 72 h (e-mailed again, as worse), and is
// resolved when a new file comes (a resolved notice, once).
func TestMissingFeedAlerts(t *testing.T) {
	body, _ := feedFile(3)
	cfg, db := setup(t, map[string]string{"a.csv": body})
	cfg.Feeds[0].ExpectedEvery.Duration = 24 * time.Hour
	cfg.Alerts.DefaultTo = []string{"director@example.com"}
	t0 := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	r, err := NewRunner(context.Background(), cfg, db)
	if err != nil {
		t.Fatal(err)
	}
	outbox := func() []string {
		emls, _ := filepath.Glob(filepath.Join(cfg.Alerts.Outbox, "*.eml"))
		return emls
	}
	steps := []struct {
		after      time.Duration
		newFile    bool
		wantSent   int
		wantStatus string // of the missing_feed alert, "" when none
		wantSev    string
	}{
		{0, false, 0, "", ""},
		{30 * time.Hour, false, 1, "open", "warning"},
		{40 * time.Hour, false, 1, "open", "warning"},
		{80 * time.Hour, false, 2, "open", "critical"},
		{81 * time.Hour, true, 3, "resolved", "critical"},
		{82 * time.Hour, false, 3, "resolved", "critical"},
	}
	for i, st := range steps {
		if st.newFile {
			b, _ := feedFile(4)
			os.WriteFile(filepath.Join(filepath.Dir(cfg.Warehouse.Path), "..", "drop", "b.csv"), []byte(b), 0o640)
		}
		r.Now = func() time.Time { return t0.Add(st.after) }
		if _, err := r.Run(context.Background(), Options{Steps: []string{"fetch", "load", "alert"}, AsOf: t0}); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if n := len(outbox()); n != st.wantSent {
			t.Errorf("step %d (+%s): %d e-mails, want %d", i, st.after, n, st.wantSent)
		}
		var status, sev string
		db.QueryRow(`SELECT status, severity FROM alerts WHERE kind = 'missing_feed'`).Scan(&status, &sev)
		if status != st.wantStatus || (st.wantSev != "" && sev != st.wantSev) {
			t.Errorf("step %d (+%s): alert %q %q, want %q %q", i, st.after, status, sev, st.wantStatus, st.wantSev)
		}
	}
	var worse, resolved int
	for _, p := range outbox() {
		b, _ := os.ReadFile(p)
		body := strings.ReplaceAll(string(b), "=\r\n", "")
		if strings.Contains(body, "Worse since the last e-mail") {
			worse++
		}
		if strings.Contains(body, "Subject: [salesout] 1 resolved") {
			resolved++
		}
	}
	if worse != 1 || resolved != 1 {
		t.Errorf("%d e-mails say worse, %d resolved, want 1 and 1", worse, resolved)
	}
}
