package output

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/salesout/salesout/pipeline/warehouse"
)

// Snapshot is the analysts' DuckDB file (warehouse.publish).
type Snapshot struct{ Path string }

// Name is "snapshot".
func (Snapshot) Name() string { return "snapshot" }

// Write writes the analysts' snapshot to a temporary file next to dst, then renames
// it over dst: a reader never sees a half-written file, and a reader that holds the old
// snapshot open keeps reading it (the rename does not touch the old file, which
// disappears when its last reader closes it) and does not block the run. The snapshot
// holds the catalog's tables with their comments, and the views of Views.
func (s Snapshot) Write(ctx context.Context, conn *sql.Conn, _ Run) (string, error) {
	return s.Path, publish(ctx, conn, s.Path)
}

func publish(ctx context.Context, conn *sql.Conn, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	// The worker's own database gets the views too, with their comments, so that it
	// describes what it publishes (the score step replaces partner_movements; a
	// transaction writes to one database only: this one comes first).
	if err := refreshViews(ctx, conn); err != nil {
		return err
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
	if err := copyComments(ctx, tx, "snapshot"); err != nil {
		tx.Rollback()
		return err
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

// copyComments gives each catalog table of the database attached as db the comments of
// the table or view of the same name in the worker's database (CREATE TABLE AS copies
// none): the table's, and each column's by name. The text is written once, in the
// migrations (COMMENT ON); a column without a comment there has none in the snapshot
// either, which TestSnapshotComments (pipeline/output) catches.
func copyComments(ctx context.Context, tx *sql.Tx, db string) error {
	names := make([]string, len(Catalog))
	for i, t := range Catalog {
		names[i] = t.Name
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT table_name, NULL AS column_name, comment FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = current_schema()
		UNION ALL
		SELECT view_name, NULL, comment FROM duckdb_views()
		WHERE database_name = current_database() AND schema_name = current_schema()
		UNION ALL
		SELECT c.table_name, c.column_name, c.comment
		FROM duckdb_columns() c
		JOIN duckdb_columns() s ON s.database_name = ? AND s.schema_name = 'main'
		                       AND s.table_name = c.table_name AND s.column_name = c.column_name
		WHERE c.database_name = current_database() AND c.schema_name = current_schema()`, db)
	if err != nil {
		return fmt.Errorf("publish comments: %w", err)
	}
	var stmts []string
	for rows.Next() {
		var table string
		var column, comment sql.NullString
		if err := rows.Scan(&table, &column, &comment); err != nil {
			rows.Close()
			return fmt.Errorf("publish comments: %w", err)
		}
		if !slices.Contains(names, table) || comment.String == "" {
			continue
		}
		target := "TABLE " + warehouse.QuoteIdent(db) + ".main." + warehouse.QuoteIdent(table)
		if column.Valid {
			target = "COLUMN " + warehouse.QuoteIdent(db) + ".main." + warehouse.QuoteIdent(table) + "." + warehouse.QuoteIdent(column.String)
		}
		stmts = append(stmts, "COMMENT ON "+target+" IS "+warehouse.QuoteString(comment.String))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("publish comments: %w", err)
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("publish comments: %s: %w", s, err)
		}
	}
	return nil
}
