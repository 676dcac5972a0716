package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
)

// Published lists the tables of the analysts' snapshot and the query that fills each.
var Published = []struct{ Name, Query string }{
	{"sales_out", "SELECT * FROM sales_out ORDER BY distributor, invoice_date, line_id"},
	{"quarantine", "SELECT * FROM quarantine ORDER BY file_id, line_no"},
	{"files", "SELECT * FROM files ORDER BY file_id"},
	{"partners", "SELECT * FROM partners ORDER BY partner_id"},
	{"partner_matches", "SELECT * FROM partner_matches ORDER BY distributor, reseller_id, reseller_name"},
	{"partner_scores", "SELECT * FROM partner_scores ORDER BY as_of, partner_id"},
	{"territory_coverage", "SELECT * FROM territory_coverage ORDER BY as_of, territory"},
	{"kpi_deviations", "SELECT * FROM kpi_deviations ORDER BY as_of, scope, scope_id, kpi"},
	{"alerts", "SELECT * FROM alerts ORDER BY alert_id"},
	{"runs", "SELECT * FROM runs ORDER BY run_id"},
	{"products", "SELECT * FROM products"},
	{"fx_rates", "SELECT * FROM fx_rates ORDER BY currency, date"},
	{"targets", "SELECT * FROM targets"},
	{"reps", "SELECT * FROM reps ORDER BY sales_rep"},
	{"unknown_products", "SELECT * FROM unknown_products"},
}

// Publish writes the analysts' snapshot to a temporary file next to dst, then renames
// it over dst: a reader never sees a half-written file, and a reader that holds the old
// snapshot open keeps reading it (the rename does not touch the old file, which
// disappears when its last reader closes it) and does not block the run.
func (w *DB) Publish(ctx context.Context, conn *sql.Conn, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	tmp := dst + ".tmp"
	for _, p := range []string{tmp, tmp + ".wal"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("publish: remove stale %s: %w", p, err)
		}
	}
	if _, err := conn.ExecContext(ctx, "ATTACH "+QuoteString(tmp)+" AS snapshot"); err != nil {
		return fmt.Errorf("publish: attach %s: %w", tmp, err)
	}
	detached := false
	defer func() {
		if !detached {
			conn.ExecContext(context.WithoutCancel(ctx), "DETACH snapshot")
			os.Remove(tmp)
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	for _, t := range Published {
		if _, err := tx.ExecContext(ctx, "CREATE TABLE snapshot."+QuoteIdent(t.Name)+" AS "+t.Query); err != nil {
			tx.Rollback()
			return fmt.Errorf("publish %s: %w", t.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "DETACH snapshot"); err != nil {
		return fmt.Errorf("publish: detach: %w", err)
	}
	detached = true
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return syncFile(filepath.Dir(dst))
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
