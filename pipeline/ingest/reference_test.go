package ingest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/salesout/salesout/connectors/connectortest"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// The channel database read from a real PostgreSQL server goes through the same checks
// as a reference file; an unreachable server is a clear problem without the password.
func TestChannelDBFromPostgres(t *testing.T) {
	dsn := connectortest.Postgres(t)
	ctx := context.Background()
	pg, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close(ctx)
	if _, err := pg.Exec(ctx, `
		CREATE TABLE crm_accounts (id text, company text, zip text, town text, annual_potential numeric(18,2));
		INSERT INTO crm_accounts VALUES
		  ('P1', 'Quincaillerie Vergnaud', '86000', 'Poitiers', 120000.50),
		  ('P2', 'Électricité Dupont SARL', '75011', 'Paris', NULL);`); err != nil {
		t.Fatal(err)
	}
	query := `SELECT id AS partner_id, company AS name, zip AS postcode, town AS city, annual_potential AS potential FROM crm_accounts ORDER BY id`

	db, err := warehouse.Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	load := func(dsn string) (RefResult, error) {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		res, err := LoadReference(ctx, tx, &config.Reference{ChannelDB: config.RefSource{Postgres: &config.Postgres{DSN: config.Secret(dsn), Query: query}}})
		if err == nil {
			var got string
			if err := tx.QueryRowContext(ctx, `SELECT string_agg(partner_id || ':' || name || ':' || coalesce(potential::VARCHAR, '-'), '|' ORDER BY partner_id) FROM partners`).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if want := "P1:Quincaillerie Vergnaud:120000.50|P2:Électricité Dupont SARL:-"; got != want {
				t.Errorf("partners %q, want %q", got, want)
			}
			tx.Commit()
		}
		return res, err
	}
	res, err := load(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows["channel_db"] != 2 || !res.Changed.ChannelDB {
		t.Errorf("result %+v", res)
	}
	if res, err := load(dsn); err != nil || res.Changed.ChannelDB {
		t.Errorf("the same rows again: changed=%v err=%v", res.Changed.ChannelDB, err)
	}

	if _, err := pg.Exec(ctx, `INSERT INTO crm_accounts VALUES ('P1', 'Doublon', '86000', 'Poitiers', -5)`); err != nil {
		t.Fatal(err)
	}
	var re *RefError
	if _, err := load(dsn); !errors.As(err, &re) || !strings.Contains(err.Error(), "reference.channel_db (postgres query) line") ||
		!strings.Contains(err.Error(), "P1") {
		t.Errorf("duplicate partner_id from the query: %v", err)
	}

	closed := "postgres://salesout:s3cret-pw@" + connectortest.ClosedAddr(t) + "/crm?connect_timeout=2"
	_, err = load(closed)
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1") || strings.Contains(err.Error(), "s3cret-pw") {
		t.Errorf("unreachable server: %v", err)
	}
}
