package formats

import (
	"slices"
	"testing"
)

func TestRegistry(t *testing.T) {
	if got, want := Names(), []string{"csv", "xlsx", "x12-867", "edifact-slsrpt"}; !slices.Equal(got, want) {
		t.Fatalf("Names() = %q, want %q", got, want)
	}
	for name, tabular := range map[string]bool{"csv": true, "xlsx": true, "x12-867": false, "edifact-slsrpt": false} {
		f, ok := Lookup(name)
		if !ok || f.Name != name || f.Tabular != tabular || f.Stage == nil || f.Variables == nil || f.Detect != nil {
			t.Errorf("Lookup(%q) = %+v, %v", name, f, ok)
		}
	}
	if _, ok := Lookup("json"); ok {
		t.Error(`Lookup("json") found a format`)
	}
	for _, f := range []Format{{}, {Name: "csv", Stage: stageCSV, Variables: isoTyping}, {Name: "new"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%q) did not panic", f.Name)
				}
			}()
			Register(f)
		}()
	}
}

func TestVariables(t *testing.T) {
	s := Settings{
		CSV:  CSVSettings{Decimal: ",", Thousands: " ", DateFormat: "%d/%m/%Y"},
		XLSX: XLSXSettings{Decimal: ",", DateFormat: "%d.%m.%Y"},
	}
	for _, c := range []struct {
		format string
		want   Typing
	}{
		{"csv", Typing{DateFormat: "%d/%m/%Y", Decimal: ",", Strip: " \u00a0\u202f"}},
		{"xlsx", Typing{DateFormat: "%d.%m.%Y", DateFormatAlt: "%Y-%m-%d", Decimal: ",", Strip: " \u00a0\u202f"}},
		{"x12-867", Typing{DateFormat: "%Y-%m-%d", Decimal: "."}},
		{"edifact-slsrpt", Typing{DateFormat: "%Y-%m-%d", Decimal: "."}},
	} {
		f, _ := Lookup(c.format)
		if got := f.Variables(s); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.format, got, c.want)
		}
	}
	s.CSV.Thousands = "."
	if f, _ := Lookup("csv"); f.Variables(s).Strip != "." {
		t.Errorf("csv thousands %q: strip %q", s.CSV.Thousands, f.Variables(s).Strip)
	}
}
