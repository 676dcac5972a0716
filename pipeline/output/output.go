// Package output is the last step of a run: it makes the warehouse's tables available
// outside the worker, in full and atomically. Each Output (the Parquet export, the
// analysts' DuckDB snapshot, later an Iceberg table) writes every table of the Catalog.
package output

import (
	"context"
	"database/sql"
	"time"
)

// Output writes the catalog's tables somewhere outside the worker's database. A
// reader of that place sees either the previous run's tables or this run's, never a mix.
type Output interface {
	Name() string
	// Write writes every table of the Catalog and returns where it went.
	Write(ctx context.Context, conn *sql.Conn, run Run) (string, error)
}

// Run identifies the run an output is written for.
type Run struct {
	ID  int64
	Now time.Time
}
