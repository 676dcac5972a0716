package config

import (
	"path/filepath"
	"strings"
)

// Matching tunes how resellers are matched to the channel database's companies.
type Matching struct {
	// Overrides is the analysts' decisions file (CSV), written by `salesout review
	// import` and applied first on every run. Default: overrides.csv beside the
	// warehouse.
	Overrides string `yaml:"overrides"`
	// MinScore is the probability (0-1) a probabilistic candidate needs to be accepted;
	// 0 takes the matcher's default (see the README).
	MinScore float64 `yaml:"min_score"`
	// MinMargin is how many bits of match weight the best candidate must lead the
	// runner-up by, else the reseller goes to review; 0 takes the matcher's default.
	MinMargin float64 `yaml:"min_margin"`
}

func (m *Matching) applyDefaults(warehousePath string) {
	if m.Overrides == "" && warehousePath != "" {
		m.Overrides = filepath.Join(filepath.Dir(warehousePath), "overrides.csv")
	}
}

func (m *Matching) validate() Errors {
	var errs Errors
	if m.MinScore < 0 || m.MinScore >= 1 {
		errs = append(errs, keyErr("matching.min_score", "%v is not a probability below 1 (0 = the default)", m.MinScore))
	}
	if m.MinMargin < 0 {
		errs = append(errs, keyErr("matching.min_margin", "%v is negative", m.MinMargin))
	}
	if strings.Contains(m.Overrides, "://") {
		errs = append(errs, keyErr("matching.overrides", "%q must be a local file", m.Overrides))
	}
	return errs
}

func (m *Matching) resolvePath(dir string) {
	if m.Overrides != "" && !filepath.IsAbs(m.Overrides) {
		m.Overrides = filepath.Join(dir, m.Overrides)
	}
}
