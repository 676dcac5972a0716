package warehouse

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
)

// TestQuoting: names and strings that try to break out of their quotes stay one name
// or one string.
func TestQuoting(t *testing.T) {
	db, err := Open(context.Background(), config.Warehouse{Path: filepath.Join(t.TempDir(), "w.duckdb")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, evil := range []string{`plain`, `N° facture`, `a"b`, `"; DROP TABLE files; --`, `x'); DROP TABLE files; --`, `""`, `'`} {
		t.Run(evil, func(t *testing.T) {
			if _, err := db.Exec("CREATE OR REPLACE TEMP TABLE q (" + QuoteIdent(evil) + " VARCHAR)"); err != nil {
				t.Fatalf("create: %v", err)
			}
			if _, err := db.Exec("INSERT INTO q VALUES (" + QuoteString(evil) + ")"); err != nil {
				t.Fatalf("insert: %v", err)
			}
			var got, name string
			if err := db.QueryRow("SELECT " + QuoteIdent(evil) + " FROM q").Scan(&got); err != nil {
				t.Fatalf("select: %v", err)
			}
			if err := db.QueryRow("SELECT column_name FROM (DESCRIBE q)").Scan(&name); err != nil {
				t.Fatal(err)
			}
			if got != evil || name != evil {
				t.Errorf("round trip: value %q, column %q, want %q", got, name, evil)
			}
			var n int
			if err := db.QueryRow("SELECT count(*) FROM files").Scan(&n); err != nil {
				t.Errorf("files table damaged: %v", err)
			}
		})
	}
}

// TestMigrateTwice: opening an existing warehouse applies no migration twice.
func TestMigrateTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.duckdb")
	for i := 0; i < 2; i++ {
		db, err := Open(context.Background(), config.Warehouse{Path: path, MemoryLimit: "256MB", Threads: 1})
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		var n int
		if err := db.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n < 3 {
			t.Fatalf("migrations %d: %d, %v", i, n, err)
		}
		var limit string
		db.QueryRow("SELECT current_setting('memory_limit')").Scan(&limit)
		if limit == "" {
			t.Error("memory_limit not set")
		}
		db.Close()
	}
}
