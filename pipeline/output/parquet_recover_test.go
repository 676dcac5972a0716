package output

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestRecoverExport: what an export killed between its renames left is undone before
// the next export: a table moved aside comes back, a table already swapped in stays,
// and the staging folders go.
func TestRecoverExport(t *testing.T) {
	dir := t.TempDir()
	swapped, aside := Catalog[0].Name, Catalog[1].Name
	mk := func(p ...string) {
		if err := os.MkdirAll(filepath.Join(append([]string{dir}, p...)...), 0o750); err != nil {
			t.Fatal(err)
		}
	}
	mk(swapped, "new")       // swapped in by the killed export
	mk(".old-7", swapped)    // its previous version, moved aside
	mk(".old-7", aside, "x") // moved aside, the new one not swapped in yet
	mk(".run-7", aside)      // the new one, still staged
	for _, tb := range Catalog[2:] {
		mk(tb.Name)
	}
	if err := recoverExport(dir); err != nil {
		t.Fatal(err)
	}
	var got []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		got = append(got, e.Name())
	}
	for _, tb := range Catalog {
		if !slices.Contains(got, tb.Name) {
			t.Errorf("table %s missing after recovery: %v", tb.Name, got)
		}
	}
	for _, g := range got {
		if g[0] == '.' {
			t.Errorf("left over: %s", g)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, swapped, "new")); err != nil {
		t.Errorf("the table the export had swapped in was replaced: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, aside, "x")); err != nil {
		t.Errorf("the table moved aside was not restored: %v", err)
	}
	if err := recoverExport(filepath.Join(dir, "absent")); err != nil {
		t.Errorf("no export folder yet: %v", err)
	}
}
