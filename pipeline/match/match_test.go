package match

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// TestRunIsIncrementalAndKeepsChanges runs the match step in-process: the first run
// scores every spelling, the second none, a changed channel database all of them again,
// and an analyst's override changes one spelling's partner, which match_changes keeps
// and which rewrites only that spelling's lines.
func TestRunIsIncrementalAndKeepsChanges(t *testing.T) {
	var logged bytes.Buffer
	ctx := zerolog.New(&logged).WithContext(context.Background())
	db, err := warehouse.Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO partners (partner_id, name, postcode, city, country) VALUES
		('P1', 'Quincaillerie Vergnaud SARL', '86000', 'Poitiers', 'FR'),
		('P2', 'Dupont SA', '75011', 'Paris', 'FR'),
		('P3', 'Dupont SARL', '75011', 'Paris', 'FR')`)
	line := 0
	addLines := func(distributor, id, name, postcode string, n int) {
		for range n {
			line++
			exec(`INSERT INTO lines (line_id, file_id, line_no, distributor, invoice_date, reseller_id, reseller_name,
				reseller_postcode, reseller_city, reseller_country, quantity, amount, currency, amount_base)
				VALUES (?, 1, ?, ?, DATE '2026-01-05', ?, ?, ?, 'PARIS', 'FR', 1, 10, 'EUR', 10)`,
				line, line, distributor, id, name, postcode)
		}
	}
	addLines("ACME", "A1", "QUINCAILLERIE VERGNAUD", "86000", 3)
	addLines("ACME", "A2", "DUPONT SARL", "75011", 2)

	overrides := filepath.Join(t.TempDir(), "overrides.csv")
	run := func(changed Changed) Result {
		t.Helper()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(ctx, tx, Settings{Overrides: overrides, RunID: 1, Now: time.Date(2026, 2, 1, 3, 0, 0, 0, time.UTC)}, changed)
		if err != nil {
			tx.Rollback()
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		return res
	}
	partnerOf := func(id string) string {
		var p sql.NullString
		if err := db.QueryRowContext(ctx, `SELECT min(partner_id) FROM lines WHERE reseller_id = ?`, id).Scan(&p); err != nil {
			t.Fatal(err)
		}
		return p.String
	}

	for i, tc := range []struct {
		changed    Changed
		newLines   bool
		wantScored int64
		wantAll    bool
	}{
		{Changed{}, false, 2, true},                // never scored: all
		{Changed{}, false, 0, false},               // nothing new
		{Changed{}, true, 1, false},                // one new spelling
		{Changed{ChannelDB: true}, false, 3, true}, // the channel database changed
		{Changed{Products: true}, false, 0, false}, // products do not touch partners
	} {
		if tc.newLines {
			addLines("ACME", "A9", "Quincaillerie Vergnaud", "86000", 1)
		}
		res := run(tc.changed)
		if res.Scored != tc.wantScored || res.Rescored != tc.wantAll {
			t.Errorf("run %d: scored %d (all %v), want %d (all %v)", i+1, res.Scored, res.Rescored, tc.wantScored, tc.wantAll)
		}
	}
	if p1, p3 := partnerOf("A1"), partnerOf("A2"); p1 != "P1" || p3 != "P3" {
		t.Fatalf("A1 → %s, A2 → %s; want P1 and P3", p1, p3)
	}

	// An analyst says A2 is Dupont SA: the overrides changed, so every spelling is
	// scored again, A2 changes partner (kept in match_changes) and only its lines move.
	os.WriteFile(overrides, []byte("distributor,reseller_id,reseller_name,reseller_postcode,decision,partner_id,rejected,decided_at,note\n"+
		"ACME,A2,DUPONT SARL,75011,partner,P2,,2026-01-20T10:00:00Z,\n"), 0o640)
	var before int64
	db.QueryRowContext(ctx, `SELECT count(*) FROM lines WHERE partner_id = 'P1'`).Scan(&before)
	if res := run(Changed{}); !res.Rescored {
		t.Errorf("a changed overrides file did not rescore: %+v", res)
	}
	if p := partnerOf("A2"); p != "P2" {
		t.Errorf("after the override A2 → %s, want P2", p)
	}
	var changes int
	var from, to, method string
	if err := db.QueryRowContext(ctx, `SELECT count(*), min(from_partner_id), min(to_partner_id), min(to_method) FROM match_changes`).Scan(&changes, &from, &to, &method); err != nil {
		t.Fatal(err)
	}
	if changes != 1 || from != "P3" || to != "P2" || method != "override" {
		t.Errorf("match_changes: %d rows, %s → %s by %s; want 1, P3 → P2 by override", changes, from, to, method)
	}
	if !strings.Contains(logged.String(), `"reseller_id":"A2","reseller_name":"DUPONT SARL","from":"P3","to":"P2","method":"override","message":"a reseller's partner changed"`) {
		t.Errorf("the change of partner was not logged:\n%s", logged.String())
	}
	var after int64
	db.QueryRowContext(ctx, `SELECT count(*) FROM lines WHERE partner_id = 'P1'`).Scan(&after)
	if after != before || after != 4 {
		t.Errorf("P1's lines: %d before, %d after; want 4 both", before, after)
	}
	if res := run(Changed{}); res.Scored != 0 {
		t.Errorf("after the override, a run scored %d spellings, want 0", res.Scored)
	}
}
