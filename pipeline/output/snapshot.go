package output

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"github.com/salesout/salesout/pipeline/warehouse"
)

// Snapshot is the analysts' DuckDB file (warehouse.publish).
type Snapshot struct{ Path string }

// Name is "snapshot".
func (Snapshot) Name() string { return "snapshot" }

// Write writes the analysts' snapshot to a temporary file next to dst, then renames
// it over dst: a reader never sees a half-written file, and a reader that holds the old
// snapshot open keeps reading it (the rename does not touch the old file, which
// disappears when its last reader closes it) and does not block the run.
func (s Snapshot) Write(ctx context.Context, conn *sql.Conn, _ Run) (string, error) {
	return s.Path, publish(ctx, conn, s.Path)
}

func publish(ctx context.Context, conn *sql.Conn, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	tmp := dst + ".tmp"
	for _, p := range []string{tmp, tmp + ".wal"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("publish: remove stale %s: %w", p, err)
		}
	}
	if _, err := conn.ExecContext(ctx, "ATTACH "+warehouse.QuoteString(tmp)+" AS snapshot"); err != nil {
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
	for _, t := range Catalog {
		if _, err := tx.ExecContext(ctx, "CREATE TABLE snapshot."+warehouse.QuoteIdent(t.Name)+" AS "+t.Query); err != nil {
			tx.Rollback()
			return fmt.Errorf("publish %s: %w", t.Name, err)
		}
	}
	if err := createViews(ctx, tx); err != nil {
		tx.Rollback()
		return err
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
