package explain

import (
	"context"
	"database/sql"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/explain/explaintest"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// openFixture returns a connection to a fresh in-memory warehouse holding the fixture,
// scored at fixtureAsOf by package score (kpi_deviations, postcode_territories...).
// partnerName overrides P1's name (for the escaping tests of the callers).
func openFixture(t testing.TB, partnerName string) *sql.Conn {
	t.Helper()
	ctx := context.Background()
	w, err := warehouse.Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	conn, err := w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := explaintest.Load(ctx, conn, partnerName); err != nil {
		t.Fatal(err)
	}
	return conn
}
