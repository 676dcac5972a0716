package output

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/salesout/salesout/pipeline/warehouse"
)

// createViews runs the files of Views in the snapshot, attached as "snapshot", made the
// default database meanwhile so that the names in the files are the snapshot's tables
// (a view or macro binds to the database it is created in).
func createViews(ctx context.Context, tx *sql.Tx) (err error) {
	var home string
	if err := tx.QueryRowContext(ctx, "SELECT current_database()").Scan(&home); err != nil {
		return fmt.Errorf("publish views: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "USE snapshot"); err != nil {
		return fmt.Errorf("publish views: %w", err)
	}
	defer func() {
		if _, uerr := tx.ExecContext(context.WithoutCancel(ctx), "USE "+warehouse.QuoteIdent(home)); uerr != nil {
			err = errors.Join(err, fmt.Errorf("publish views: back to %s: %w", home, uerr))
		}
	}()
	return runViews(ctx, tx)
}

// refreshViews runs the files of Views in the worker's database, in a transaction of
// their own, so that it has the views analysts get, with their comments.
func refreshViews(ctx context.Context, conn *sql.Conn) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("publish views: %w", err)
	}
	if err := runViews(ctx, tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("publish views: %w", err)
	}
	return nil
}

// runViews runs the files of Views in the default database.
func runViews(ctx context.Context, tx *sql.Tx) error {
	for _, name := range Views {
		if _, err := warehouse.RunScript(ctx, tx, name, warehouse.Vars{}); err != nil {
			return fmt.Errorf("publish views: %w", err)
		}
	}
	return nil
}
