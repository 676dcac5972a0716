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
	for _, name := range Views {
		if _, err := warehouse.RunScript(ctx, tx, name, warehouse.Vars{}); err != nil {
			return fmt.Errorf("publish views: %w", err)
		}
	}
	return nil
}
