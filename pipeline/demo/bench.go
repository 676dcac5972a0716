package demo

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// WriteBenchFeed writes a header row and n sales-out lines in ACME's French dialect to
// path: Windows-1252, ";" delimiter, decimal comma, space as thousands separator,
// dd/mm/YYYY dates, CRLF, accented headers, € and accented names in the data. It writes
// the same text re-encoded as UTF-8 (same delimiter, same decimal comma) to utf8Path, for
// a reference reader that takes UTF-8 only. The lines are drawn from the demo's channel
// (seed as in Options.Seed) over the 12 months before 2026-11-15.
//
// It returns the feed as one unindented item of a config's feeds list: name "bench",
// distributor ACME, source "drop" (a local source the caller declares, holding path),
// match the file name of path, and the csv options and columns of the dialect.
func WriteBenchFeed(path, utf8Path string, n int, seed uint64) (feedYAML string, err error) {
	if n < 0 {
		return "", fmt.Errorf("demo: bench feed: %d lines", n)
	}
	o := Options{Seed: seed}
	if err := o.normalise(); err != nil {
		return "", err
	}
	w := newWorld(o)
	def := &feeds[acme]
	var customers []*party
	for _, p := range w.parties() {
		if p.accounts[acme] != "" {
			customers = append(customers, p)
		}
	}
	var days []struct {
		month int
		day   int
	}
	for m := len(w.months) - 12; m < len(w.months); m++ {
		for d := range w.days[m] {
			days = append(days, struct{ month, day int }{m, d})
		}
	}

	files, err := createAll(path, utf8Path)
	if err != nil {
		return "", fmt.Errorf("demo: bench feed: %w", err)
	}
	defer func() {
		for _, f := range files {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("demo: bench feed: %w", cerr)
			}
		}
	}()
	cp1252 := bufio.NewWriterSize(files[0], 1<<20)
	utf8 := bufio.NewWriterSize(files[1], 1<<20)
	encoder := transform.NewWriter(cp1252, charmap.Windows1252.NewEncoder())
	out := io.MultiWriter(encoder, utf8)

	r := stream(seed, "bench", 0)
	var b strings.Builder
	cells := make([]string, len(def.columns))
	for i, c := range def.columns {
		cells[i] = c.header
	}
	def.dialect.row(&b, cells)
	invoice := r.IntN(5000)
	for i := range n {
		if i == 0 || chance(r, 0.4) {
			invoice += between(r, 1, 40)
		}
		at := days[i*len(days)/n]
		p := pick(r, customers)
		pr := pickProduct(r, w.products, p.trade, at.month)
		l := &line{
			party: p, feed: acme, month: at.month, date: w.days[at.month][at.day], product: pr,
			qty:              between(r, 1, 24),
			price:            int64(math.Round(pr.listPrice * (1 - p.discount) * 100)),
			currency:         "EUR",
			withRegistration: chance(r, def.pRegistration),
		}
		l.invoice = def.invoice(l.date, invoice)
		for j, c := range def.columns {
			cells[j] = def.cell(c.field, l)
		}
		def.dialect.row(&b, cells)
		if b.Len() > 1<<16 {
			if _, err := io.WriteString(out, b.String()); err != nil {
				return "", fmt.Errorf("demo: bench feed: %w", err)
			}
			b.Reset()
		}
	}
	if _, err := io.WriteString(out, b.String()); err != nil {
		return "", fmt.Errorf("demo: bench feed: %w", err)
	}
	for _, flush := range []func() error{encoder.Close, cp1252.Flush, utf8.Flush} {
		if err := flush(); err != nil {
			return "", fmt.Errorf("demo: bench feed: %w", err)
		}
	}
	return def.yaml("bench", "drop", globQuote(filepath.Base(path))), nil
}

// createAll creates the files at paths, and their folders.
func createAll(paths ...string) ([]*os.File, error) {
	var files []*os.File
	for _, p := range paths {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		f, err := os.Create(p)
		if err != nil {
			for _, f := range files {
				f.Close()
			}
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// globQuote escapes the characters of name that path.Match treats as patterns.
func globQuote(name string) string {
	var b strings.Builder
	for _, c := range name {
		if strings.ContainsRune(`*?[]\`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// WriteBenchReference writes the reference files of the bench's world (seed as in
// WriteBenchFeed) under dir/ref: channel.csv, products.csv, fx.csv, reps.csv and
// targets.csv, so that a benchmark's match, score and deviations work on the demo's
// companies, catalogue and targets (a config's reference section names them as the
// demo's does).
func WriteBenchReference(dir string, seed uint64) error {
	o := Options{Seed: seed}
	if err := o.normalise(); err != nil {
		return err
	}
	w := newWorld(o)
	if err := w.writeReference(dir); err != nil {
		return fmt.Errorf("demo: bench reference: %w", err)
	}
	if err := w.writeTargets(dir); err != nil {
		return fmt.Errorf("demo: bench reference: %w", err)
	}
	return nil
}
