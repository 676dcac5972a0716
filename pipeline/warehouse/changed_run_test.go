package warehouse

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	sqlfiles "github.com/salesout/salesout/sql"
)

// writesLines finds the statements of a step file that insert into or update lines.
var writesLines = regexp.MustCompile(`(?is)\b(UPDATE\s+lines|INSERT\s+INTO\s+lines)\b[^;]*`)

// TestChangedRunSetByEveryWriter checks that every SQL statement that inserts or
// updates rows of lines (outside the migrations) sets lines.changed_run: the
// incremental steps (match, the outputs) read what a run changed from it, and a writer
// that forgot it would leave the exports stale without any other test noticing.
func TestChangedRunSetByEveryWriter(t *testing.T) {
	seen := 0
	err := fs.WalkDir(sqlfiles.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".sql") || strings.HasPrefix(path, "migrations/") {
			return err
		}
		for _, stmt := range writesLines.FindAllString(stripComments(sqlfiles.Read(path)), -1) {
			seen++
			if !strings.Contains(stmt, "changed_run") {
				t.Errorf("%s: a statement writes lines without setting changed_run:\n%s", path, stmt)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 5 {
		t.Fatalf("found %d statements writing lines: the pattern no longer finds them", seen)
	}
}

func stripComments(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if i := strings.Index(l, "--"); i >= 0 {
			l = l[:i]
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}
