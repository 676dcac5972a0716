package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scoring.phasing defaults to even, accepts last_year, and refuses anything else.
func TestScoringPhasing(t *testing.T) {
	for _, tc := range []struct {
		yaml, want, err string
	}{
		{yaml: "", want: PhasingEven},
		{yaml: "scoring:\n  phasing: last_year\n", want: PhasingLastYear},
		{yaml: "scoring:\n  phasing: even\n  warning_pct: 5\n", want: PhasingEven},
		{yaml: "scoring:\n  phasing: seasonal\n", err: `scoring.phasing: unknown phasing "seasonal" (want even or last_year)`},
	} {
		path := filepath.Join(t.TempDir(), "salesout.yaml")
		if err := os.WriteFile(path, []byte(validYAML+tc.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path, env(map[string]string{"SMTP_USER": "u", "SMTP_PASSWORD": "p"}))
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.yaml, err, tc.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.yaml, err)
		case c.Scoring.Phasing != tc.want:
			t.Errorf("%q: phasing %q, want %q", tc.yaml, c.Scoring.Phasing, tc.want)
		}
	}
}
