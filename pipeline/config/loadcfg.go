package config

import (
	"time"
)

// LoadSettings tune how the load step types every feed's lines, whatever the format
// (the load section).
type LoadSettings struct {
	// Dates is the plausible window of invoice dates: a line dated outside it (year
	// 9999 or 0001, a typo, a default date) is quarantined with the reason instead of
	// loaded as a sale.
	Dates DateWindow `yaml:"dates"`
}

// DateWindow is the plausible window of invoice dates (load.dates): from From to the
// run's as_of date plus UntilAfterAsOf, both included. The as_of date of a run is
// --as-of, else today in the config's timezone.
type DateWindow struct {
	// From is the earliest plausible invoice date, YYYY-MM-DD; default 2000-01-01.
	From string `yaml:"from"`
	// UntilAfterAsOf is how far past the run's as_of date an invoice date is still
	// plausible, in whole days (365d, 8760h); default 365d.
	UntilAfterAsOf Duration `yaml:"until_after_as_of"`
	// FromDate is From parsed (midnight UTC).
	FromDate time.Time `yaml:"-"`
}

// DefaultDateWindow is the window when the config says nothing: 2000-01-01 to as_of + 1 year.
var DefaultDateWindow = DateWindow{
	From:           "2000-01-01",
	UntilAfterAsOf: Duration{365 * 24 * time.Hour},
	FromDate:       time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
}

// Bounds are the first and last plausible invoice dates of a run whose as_of date is
// asOf (midnight UTC).
func (w DateWindow) Bounds(asOf time.Time) (from, until time.Time) {
	if w.FromDate.IsZero() && w.From == "" && w.UntilAfterAsOf.Duration == 0 {
		w = DefaultDateWindow
	}
	y, m, d := asOf.Date()
	return w.FromDate, time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(w.UntilAfterAsOf.Hours()/24))
}

func (l *LoadSettings) applyDefaults() {
	w := &l.Dates
	if w.From == "" {
		w.From = DefaultDateWindow.From
	}
	if w.UntilAfterAsOf.Duration == 0 {
		w.UntilAfterAsOf = DefaultDateWindow.UntilAfterAsOf
	}
}

func (l *LoadSettings) validate(add func(path, format string, args ...any)) {
	w := &l.Dates
	t, err := time.Parse(time.DateOnly, w.From)
	if err != nil {
		add("load.dates.from", "%q is not a date (YYYY-MM-DD)", w.From)
	} else {
		w.FromDate = t
	}
	if d := w.UntilAfterAsOf.Duration; d < 0 || d%(24*time.Hour) != 0 {
		add("load.dates.until_after_as_of", "%s is not a whole number of days (e.g. 365d)", d)
	}
}
