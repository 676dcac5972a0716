package warehouse

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
	sqlfiles "github.com/salesout/salesout/sql"
)

// Every step file declares in its header exactly the variables it reads, so that
// RunScript, which refuses a call that does not set each declared variable, checks that
// every getvariable in sql/ is set by its caller. A file of sql/ uses either variables
// (a step file, run by RunScript) or positional parameters (a statement file, run with
// Statement: see TestStatementFilesDeclareTheirParameters), never both.
func TestStepFilesDeclareWhatTheyRead(t *testing.T) {
	steps := 0
	for _, name := range sqlFileNames(t) {
		text := sqlfiles.Read(name)
		if strings.HasPrefix(name, "migrations/") {
			if len(UsedVariables(text)) > 0 {
				t.Errorf("%s: a migration must not read variables", name)
			}
			continue
		}
		used, declared := UsedVariables(text), DeclaredVariables(text)
		if _, isStatement, _ := DeclaredParameters(text); isStatement || Placeholders(text) > 0 {
			if len(used) > 0 || len(declared) > 0 {
				t.Errorf("%s: a file uses either variables or positional parameters (?), never both: it reads %v, declares variables %v and takes parameters",
					name, used, declared)
			}
			continue
		}
		steps++
		if !slices.Equal(used, declared) {
			t.Errorf("%s: the header declares %v, the file reads %v", name, declared, used)
		}
	}
	if steps < 9 {
		t.Fatalf("found %d step files under sql/: the glob is wrong", steps)
	}
}

// sqlFileNames lists the embedded files of sql/ ("score/partner_scores.sql").
func sqlFileNames(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(sqlfiles.FS, "*/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestDeclaredVariables(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   []string
	}{
		{"-- x: y.\n-- Reads/writes: lines. Variables: file_id, distributor.\nSELECT 1", []string{"distributor", "file_id"}},
		{"-- Variables: a (note, with a comma), b,\n--            c (\".\" or \",\"),\n-- d\n--\n-- Variables: e\n", []string{"a", "b", "c", "d"}},
		{"-- Variables (set by pipeline/score): as_of, warning_pct.\n-- Rules: x, y\n", []string{"as_of", "warning_pct"}},
		{"-- nothing declared\nSELECT getvariable('x')", nil},
	} {
		if got := DeclaredVariables(tc.header); !slices.Equal(got, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.header, got, tc.want)
		}
	}
}

// RunScript sets exactly the declared variables, refuses a call that misses one or
// adds one, and resets them after the file: a later file cannot read a leftover.
func TestRunScriptSetsAndResets(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	s := &Script{Name: "test.sql", Text: "CREATE OR REPLACE TEMP TABLE out AS SELECT getvariable('a') AS a, getvariable('b') AS b",
		Declared: []string{"a", "b"}}
	if _, err := s.Run(ctx, conn, Vars{"a": 1}); err == nil || !strings.Contains(err.Error(), "declares variables [a b]") {
		t.Fatalf("missing variable accepted: %v", err)
	}
	if _, err := s.Run(ctx, conn, Vars{"a": 1, "b": 2, "c": 3}); err == nil {
		t.Fatal("extra variable accepted")
	}
	if _, err := s.Run(ctx, conn, Vars{"a": 7, "b": Typed{nil, "DATE"}}); err != nil {
		t.Fatal(err)
	}
	var a int64
	var b any
	if err := conn.QueryRowContext(ctx, "SELECT a, b FROM out").Scan(&a, &b); err != nil || a != 7 || b != nil {
		t.Fatalf("a=%d b=%v err=%v", a, b, err)
	}
	var left any
	if err := conn.QueryRowContext(ctx, "SELECT getvariable('a')").Scan(&left); err != nil || left != nil {
		t.Fatalf("variable a left set after the script: %v (%v)", left, err)
	}
}
