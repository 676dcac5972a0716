package notify

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// TestDeliveryCrash: a crash between writing an alert's e-mail and recording it as sent
// must neither send it twice (the file was written) nor lose it (the file was not).
func TestDeliveryCrash(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fileKept  bool // the crash came after the file was durable
		wantFiles int
	}{
		{"after the file", true, 1},
		{"before the file lasted", false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db, err := warehouse.Open(ctx, config.Warehouse{Path: filepath.Join(t.TempDir(), "w.duckdb")})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			now := time.Date(2026, 11, 10, 3, 0, 0, 0, time.UTC)
			if _, err := conn.ExecContext(ctx, `INSERT INTO runs (run_id, started_at, status, as_of, steps) VALUES (1, ?, 'succeeded', '2026-11-05', 'fetch')`, now.Add(-5*24*time.Hour)); err != nil {
				t.Fatal(err)
			}
			outbox := filepath.Join(t.TempDir(), "outbox")
			s := Settings{Outbox: outbox, DefaultTo: []string{"ops@example.com"}, WorsenPoints: 10, From: "salesout <s@example.com>",
				BaseCurrency: "EUR", Location: time.UTC,
				Feeds: []config.Feed{{Name: "acme", Distributor: "ACME", Source: "drop", ExpectedEvery: config.Duration{Duration: 24 * time.Hour}}}}

			crash := errors.New("killed")
			n := &notifier{Settings: s, now: now, afterWrite: func(int64) error {
				if !tc.fileKept {
					files, _ := filepath.Glob(filepath.Join(outbox, "*.eml"))
					for _, f := range files {
						os.Remove(f)
					}
				}
				return crash
			}}
			if _, err := n.run(ctx, conn, now); !errors.Is(err, crash) {
				t.Fatalf("first run: %v, want the crash", err)
			}
			var delivery string
			conn.QueryRowContext(ctx, `SELECT delivery FROM alerts`).Scan(&delivery)
			if delivery != "sending" {
				t.Fatalf("after the crash the alert is %q, want sending", delivery)
			}
			res, err := Run(ctx, conn, now, now, s)
			if err != nil {
				t.Fatal(err)
			}
			files, _ := filepath.Glob(filepath.Join(outbox, "*.eml"))
			if len(files) != tc.wantFiles {
				t.Errorf("%d e-mails in the outbox, want %d", len(files), tc.wantFiles)
			}
			var sent string
			conn.QueryRowContext(ctx, `SELECT delivery || ' ' || sent_severity FROM alerts`).Scan(&sent)
			if sent != "sent critical" {
				t.Errorf("alert after recovery: %q, want sent critical", sent)
			}
			if wantSent := map[bool]int{true: 0, false: 1}[tc.fileKept]; res.Sent != wantSent {
				t.Errorf("second run sent %d, want %d", res.Sent, wantSent)
			}
			// A third run has nothing to send.
			if res, err := Run(ctx, conn, now, now, s); err != nil || res.Sent != 0 {
				t.Errorf("third run: sent %d, %v", res.Sent, err)
			}
		})
	}
}
