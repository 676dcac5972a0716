package warehouse

import (
	"slices"
	"strings"
	"testing"

	sqlfiles "github.com/salesout/salesout/sql"
)

// Every statement file (a header with "Parameters:") declares exactly as many
// parameters as it has placeholders, and reads no variables, so that Statement never
// panics on an embedded file and a caller can bind its values from the header's list.
func TestStatementFilesDeclareTheirParameters(t *testing.T) {
	statements := 0
	for _, name := range sqlFileNames(t) {
		text := sqlfiles.Read(name)
		_, isStatement, _ := DeclaredParameters(text)
		if !isStatement {
			if n := Placeholders(text); n > 0 {
				t.Errorf("%s: %d placeholder(s) (?) but no \"-- Parameters:\" in its header", name, n)
			}
			continue
		}
		statements++
		if err := checkStatement(text); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := Statement(name); got != text {
			t.Errorf("%s: Statement returned another text", name)
		}
	}
	if statements < 20 {
		t.Fatalf("found %d statement files under sql/: the glob is wrong", statements)
	}
}

func TestDeclaredParameters(t *testing.T) {
	for _, tc := range []struct {
		header   string
		want     []string
		declared bool
		err      string
	}{
		{"-- x: y.\n-- Reads: files. Writes: nothing.\n-- Parameters: 1 feed, 2 sha256.\nSELECT 1", []string{"feed", "sha256"}, true, ""},
		{"-- Parameters: 1 day (as_of, a date), 2 day (again,\n--   for first_seen),\n-- 3 alert_id\n--\n-- Parameters: 4 x\n", []string{"day", "day", "alert_id"}, true, ""},
		{"-- Parameters: 1 a\n-- Columns: b, c\n", []string{"a"}, true, ""},
		{"-- Parameters: none.\nSELECT 1", nil, true, ""},
		{"-- Variables: a\nSELECT getvariable('a')", nil, false, ""},
		{"-- Parameters: 1 a, 3 b\n", nil, true, "want number 2"},
		{"-- Parameters: a, b\n", nil, true, `want "N name"`},
		{"-- Parameters: 1 the feed\n", nil, true, `want "N name"`},
		{"-- Parameters:\nSELECT 1", nil, true, "lists nothing"},
	} {
		got, declared, err := DeclaredParameters(tc.header)
		if !slices.Equal(got, tc.want) || declared != tc.declared || (err == nil) != (tc.err == "") ||
			(err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%q: got %v, %v, %v; want %v, %v, %q", tc.header, got, declared, err, tc.want, tc.declared, tc.err)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{
		{"SELECT ? , ?::DATE", 2},
		{"-- a comment? yes\nSELECT '?' || 'it''s ?', \"odd?\" FROM t WHERE a = ? /* b = ? */", 1},
		{"SELECT regexp_matches(x, '(a)?b') WHERE y = ?", 1},
		{"SELECT 1 -- the end?", 0},
		{"SELECT ? /* unterminated ?", 1},
	} {
		if got := Placeholders(tc.text); got != tc.want {
			t.Errorf("%q: got %d, want %d", tc.text, got, tc.want)
		}
	}
}

// Statement refuses a file whose header and placeholders disagree, or that mixes
// parameters and variables.
func TestCheckStatement(t *testing.T) {
	for _, tc := range []struct{ text, err string }{
		{"-- s: x.\n-- Parameters: 1 a, 2 b\nSELECT ?, ?", ""},
		{"-- s: x.\n-- Parameters: none\nSELECT 1", ""},
		{"-- s: x.\n-- Parameters: 1 a\nSELECT ?, ?", "declares 1 parameter(s) [a] but the statement has 2"},
		{"-- s: x.\nSELECT ?", "declares no parameters"},
		{"-- s: x.\n-- Parameters: 1 a\nSELECT ? + getvariable('b')", "never variables"},
	} {
		err := checkStatement(tc.text)
		if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%q: got %v, want %q", tc.text, err, tc.err)
		}
	}
}
