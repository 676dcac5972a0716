package warehouse

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"

	sqlfiles "github.com/salesout/salesout/sql"
)

var migrationName = regexp.MustCompile(`^([0-9]{3})_[a-z0-9_]+\.sql$`)

// migrate applies, in order and each in its own transaction, the NNN_*.sql files of
// sql/migrations/ that the database has not seen yet, then checkpoints: DuckDB cannot
// replay a write-ahead log that holds the migrations (a comment on a view column
// added after the view fails to bind), so a process killed before its first
// checkpoint would leave a warehouse that no longer opens (TestCrash).
func (w *DB) migrate(ctx context.Context) error {
	if _, err := w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := fs.Glob(sqlfiles.FS, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	applied := 0
	for _, name := range names {
		m := migrationName.FindStringSubmatch(path.Base(name))
		if m == nil {
			continue
		}
		version, _ := strconv.Atoi(m[1])
		var n int
		if err := w.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if n > 0 {
			continue
		}
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, sqlfiles.Read(name)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, version, path.Base(name)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		applied++
	}
	if applied > 0 {
		if _, err := w.ExecContext(ctx, `CHECKPOINT`); err != nil {
			return fmt.Errorf("migrate: checkpoint: %w", err)
		}
	}
	return nil
}
