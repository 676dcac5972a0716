// Package warehouse owns the worker's DuckDB database: opening it with the config's
// limits, applying the schema migrations embedded from sql/, and publishing the
// analysts' snapshot atomically.
package warehouse

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/salesout/salesout/pipeline/config"
)

// DB is the worker's database: one process, one writer connection.
type DB struct {
	*sql.DB
	path string
}

// Open opens (creating if needed) the warehouse at cfg.Path and applies the migrations.
func Open(ctx context.Context, cfg config.Warehouse) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(cfg.Path), 0o750); err != nil {
		return nil, fmt.Errorf("open warehouse: %w", err)
	}
	if cfg.TempDir != "" {
		if err := os.MkdirAll(cfg.TempDir, 0o750); err != nil {
			return nil, fmt.Errorf("open warehouse: %w", err)
		}
	}
	var settings []string
	// SET takes no bound parameter; the names are ours and the values were validated.
	if cfg.MemoryLimit != "" {
		settings = append(settings, "SET memory_limit = "+QuoteString(cfg.MemoryLimit))
	}
	if cfg.TempDir != "" {
		settings = append(settings, "SET temp_directory = "+QuoteString(cfg.TempDir))
	}
	if cfg.Threads > 0 {
		settings = append(settings, fmt.Sprintf("SET threads = %d", cfg.Threads))
	}
	connector, err := duckdb.NewConnector(cfg.Path, func(execer driver.ExecerContext) error {
		for _, s := range settings {
			if _, err := execer.ExecContext(ctx, s, nil); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, classify(fmt.Errorf("open warehouse %s: %w", cfg.Path, err))
	}
	db := sql.OpenDB(connector)
	// One writer connection: DuckDB allows one read-write process per file, and several
	// writer connections in one process have caused checkpoint errors upstream.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, classify(fmt.Errorf("open warehouse %s: %w", cfg.Path, err))
	}
	w := &DB{DB: db, path: cfg.Path}
	if err := w.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return w, nil
}

// Path is the database file.
func (w *DB) Path() string { return w.path }

// classify turns DuckDB's lock error into a message a user can act on.
func classify(err error) error {
	if err != nil && strings.Contains(err.Error(), "Could not set lock") {
		return fmt.Errorf("%w (another salesout run holds the warehouse; analysts should open warehouse.publish, not warehouse.path)", err)
	}
	return err
}
