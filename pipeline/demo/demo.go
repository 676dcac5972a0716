// Package demo generates the demo data set of `salesout demo` and of the load
// benchmark: deterministic, realistic, and messy the way real sales-out data is.
//
// Generate writes into a folder:
//
//	config.yaml                a salesout config reading everything below
//	drop/<distributor>/        the sales-out files of eight distributors: five in a CSV
//	                           dialect each, one in ANSI X12 867, one in EDIFACT SLSRPT,
//	                           one in Excel workbooks
//	ref/channel.csv            the channel database (partners, potential, territory, rep)
//	ref/products.csv           the catalogue, with CHARLIE's item codes as cross-references
//	ref/fx.csv                 monthly exchange rates of CHF, GBP and USD in EUR
//	ref/targets.csv            the year's targets, most on pace, some behind
//	ref/reps.csv               the sales reps and their managers
//	truth/resellers.csv        the answer key of reseller matching: each reseller
//	                           spelling of the files and the partner it truly is (see
//	                           Summary.Truth); for tests, not read by the pipeline
//
// The sales come from a simulation: each reseller has a buying behaviour (loyal,
// occasional, opportunistic, new, lost, or never buys), buys through one or two
// distributors, and each distributor reports it under its own account number and its
// own spelling of the name, with a registration or VAT number on some lines only. The
// distributors of the X12, EDIFACT and Excel feeds came later: some resellers buy
// through them too, on top of their purchases through their CSV distributor.
// Files also bring what real feeds do: totals rows, garbled dates, a quantity written
// in words, lines without a product, a file sent twice, a corrupt file, a restated
// month (a corrected CSV file, and an X12 report replacing an earlier one).
//
// The same Options always give byte-identical files: every random draw comes from a
// PCG stream seeded by Options.Seed and the part of the data set being drawn.
package demo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Options of a demo data set. Zero values take the defaults.
type Options struct {
	Dir      string    // output folder, created if needed
	Seed     uint64    // default 1
	AsOf     time.Time // the demo's "today" (its date only); default 2026-11-15
	Partners int       // channel database size; default 400, at least 300
	Months   int       // months of history ending in AsOf's month; default 26, at least 24
}

// Summary is what Generate wrote.
type Summary struct {
	Files int // files under drop/, the duplicate and the corrupt one included
	// Lines is the rows a loader reads as sales-out lines: data rows and totals rows of
	// every file but the duplicate and the corrupt one (X12: QTY loops; EDIFACT:
	// quantities). Restated rows count in both files.
	Lines int
	// BadLines of Lines must be quarantined: garbled dates, quantities in words, lines
	// without a product, totals rows (ACME's and HOTEL's).
	BadLines int
	// Superseded of Lines are replaced by a restatement: once everything is loaded,
	// sales_out holds Lines - BadLines - Superseded lines.
	Superseded   int
	Partners     int      // rows of the channel database
	Distributors []string // distributor codes, one feed each
	Config       string   // path of config.yaml

	// Truth is the generator's answer key for reseller matching, not an input of the
	// pipeline: every reseller spelling of the feed files (distributor, reseller_id,
	// reseller_name, reseller_postcode, as the loader reads them) with the partner it
	// truly is, "" for a reseller the channel database does not list. One row per
	// spelling, sorted, unless a spelling stands for several partners (see Ambiguous).
	// Also written to TruthFile, which config.yaml does not read.
	Truth []TruthRow
	// Ambiguous counts the spellings of Truth written for more than one partner (a row
	// for each): two resellers a distributor writes identically. The generator avoids
	// them; it should be 0.
	Ambiguous int
	TruthFile string // path of truth/resellers.csv
}

// marker marks a folder as written by Generate, which may then write it again.
const marker = ".salesout-demo"

// Generate writes the demo data set described by o into o.Dir. The folder must be
// empty, missing, or an earlier demo (then its config.yaml, drop/, ref/ and truth/ are
// replaced; var/, where a run writes, is left alone).
func Generate(o Options) (*Summary, error) {
	if o.Dir == "" {
		return nil, errors.New("demo: no output folder (Options.Dir)")
	}
	if err := o.normalise(); err != nil {
		return nil, err
	}
	if err := prepare(o.Dir); err != nil {
		return nil, err
	}
	w := newWorld(o)
	w.simulate()
	w.spoil()

	sum := &Summary{Partners: len(w.partners)}
	for _, f := range feeds {
		sum.Distributors = append(sum.Distributors, f.code)
	}
	d := &drop{dir: o.Dir, sum: sum, truth: truthSet{}}
	if err := w.writeFeeds(d); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	sum.Truth, sum.Ambiguous = d.truth.rows()
	if err := writeTruth(o.Dir, sum.Truth, sum.Ambiguous); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	sum.TruthFile = filepath.Join(o.Dir, filepath.FromSlash(TruthFile))
	if err := w.writeReference(o.Dir); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := w.writeTargets(o.Dir); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	path, err := writeConfig(o.Dir, o)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	sum.Config = path
	return sum, nil
}

// normalise applies the defaults and checks the bounds.
func (o *Options) normalise() error {
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.AsOf.IsZero() {
		o.AsOf = time.Date(2026, time.November, 15, 0, 0, 0, 0, time.UTC)
	}
	o.AsOf = time.Date(o.AsOf.Year(), o.AsOf.Month(), o.AsOf.Day(), 0, 0, 0, 0, time.UTC)
	if o.Partners == 0 {
		o.Partners = 400
	}
	if o.Months == 0 {
		o.Months = 26
	}
	if o.Partners < 300 {
		return fmt.Errorf("demo: %d partners: the demo needs at least 300", o.Partners)
	}
	if o.Months < 24 {
		return fmt.Errorf("demo: %d months: the demo needs at least 24 (a year to score, a year before it)", o.Months)
	}
	return nil
}

// prepare makes dir ready: created if missing; if it holds an earlier demo, its
// generated files are removed; any other non-empty folder is refused.
func prepare(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return fmt.Errorf("demo: %w", err)
	case len(entries) == 0:
	case slices.ContainsFunc(entries, func(e os.DirEntry) bool { return e.Name() == marker }):
		for _, name := range []string{"drop", "ref", truthDir, "config.yaml"} {
			if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
		}
	default:
		return fmt.Errorf("demo: %s is not empty and holds no earlier demo: choose another folder", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, marker), []byte("written by salesout demo; drop/, ref/, truth/ and config.yaml are replaced when it runs again\n"), 0o644)
}

// ResetOutputs removes the run outputs (var/) of an earlier demo in dir, so that the
// next run starts from a fresh warehouse. A folder without the demo's marker is left
// untouched (Generate then refuses it unless it is empty).
func ResetOutputs(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, marker)); err != nil {
		return nil
	}
	if err := os.RemoveAll(filepath.Join(dir, "var")); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}
