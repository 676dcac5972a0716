package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// load.dates: its defaults, a configured window, and the errors of a bad one.
func TestLoadDates(t *testing.T) {
	asOf := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, yaml string
		from       string // the window's bounds on asOf, "" when the config is invalid
		until      string
		err        string
	}{
		{"default", "", "2000-01-01", "2027-11-15", ""},
		{"configured", "load:\n  dates:\n    from: 2015-07-01\n    until_after_as_of: 8760h\n", "2015-07-01", "2027-11-15", ""},
		{"days", "load:\n  dates:\n    until_after_as_of: 31d\n", "2000-01-01", "2026-12-16", ""},
		{"bad from", "load:\n  dates:\n    from: 01/07/2015\n", "", "", `load.dates.from: "01/07/2015" is not a date (YYYY-MM-DD)`},
		{"part of a day", "load:\n  dates:\n    until_after_as_of: 36h\n", "", "", `load.dates.until_after_as_of: 36h0m0s is not a whole number of days`},
		{"negative", "load:\n  dates:\n    until_after_as_of: -1d\n", "", "", `load.dates.until_after_as_of: -24h0m0s is not a whole number of days`},
		{"unknown key", "load:\n  dates:\n    until: 2030-01-01\n", "", "", `load.dates.until: unknown key`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(validYAML+"\n"+tc.yaml), filepath.Join(t.TempDir(), "c.yaml"),
				env(map[string]string{"SMTP_USER": "u", "SMTP_PASSWORD": "p"}))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			from, until := c.Load.Dates.Bounds(asOf)
			if got := from.Format(time.DateOnly) + ".." + until.Format(time.DateOnly); got != tc.from+".."+tc.until {
				t.Errorf("window %s, want %s..%s", got, tc.from, tc.until)
			}
		})
	}
	// The zero window (an Ingest built without a config) is the default one.
	from, until := DateWindow{}.Bounds(asOf)
	if from != DefaultDateWindow.FromDate || until != asOf.AddDate(0, 0, 365) {
		t.Errorf("zero window %s..%s", from, until)
	}
}
