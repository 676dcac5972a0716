package sniff

// Lines as a whole: those that will be quarantined whatever the settings, and samples
// covering the same period (mode).

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
)

// totalsRe is the loader's test of a totals row (pipeline/ingest/typing.go).
var totalsRe = regexp.MustCompile(`(?i)(^|[^a-z])(sous-|grand )?totals?([^a-z]|$)`)

// badValues warns about lines that will not load whatever the settings: totals rows,
// dates and numbers that do not read.
func (p *proposer) badValues(files []tableFile, cols []*column, res tableResult) {
	totals, firstTotal := 0, ""
	bad := map[string][]string{}
	for _, tf := range files {
		for _, r := range tf.rows {
			isTotal := false
			for _, c := range r.cells {
				if totalsRe.MatchString(c) {
					isTotal = true
				}
			}
			if isTotal {
				totals++
				if firstTotal == "" {
					firstTotal = fmt.Sprintf("%s line %d", tf.name, r.line)
				}
				continue
			}
			for _, field := range []string{"invoice_date", "quantity", "unit_price", "amount"} {
				i, ok := res.columns[field]
				if !ok {
					continue
				}
				j := columnIn(tf, cols[i].header)
				if j < 0 || j >= len(r.cells) {
					continue
				}
				v := strings.TrimSpace(r.cells[j])
				if v == "" {
					continue
				}
				okv := true
				if field == "invoice_date" {
					if res.date != nil {
						_, okv = res.date.parse(v)
						if !okv && len(v) >= 8 {
							_, okv = dateFormats[0].parse(v) // an ISO date cell in a workbook
						}
					}
				} else {
					_, okv = parseNumber(v, res.decimal, res.thousands)
				}
				if !okv {
					bad[field] = append(bad[field], fmt.Sprintf("%q (%s line %d)", v, tf.name, r.line))
				}
			}
		}
	}
	if totals > 0 {
		p.warn("%d totals row(s) (first: %s): not sales, the loader quarantines them as totals rows", totals, firstTotal)
	}
	for _, field := range []string{"invoice_date", "quantity", "unit_price", "amount"} {
		if b := bad[field]; len(b) > 0 {
			p.warn("%d value(s) of %s will not read with these settings and their lines will be quarantined: %s", len(b), field, strings.Join(b[:min(3, len(b))], ", "))
		}
	}
}

// columnIn is the index of a header in a sample, -1 when missing.
func columnIn(tf tableFile, header string) int {
	k := strings.ToLower(strings.Join(strings.Fields(header), " "))
	for i, h := range tf.header {
		if strings.ToLower(strings.Join(strings.Fields(h), " ")) == k {
			return i
		}
	}
	return -1
}

// modeFromPeriods proposes replace_period when two samples cover the same period: a
// period sent again, restated.
func (p *proposer) modeFromPeriods(files []tableFile, res tableResult) {
	i, ok := res.columns["invoice_date"]
	if !ok || res.date == nil || len(files) < 2 {
		return
	}
	type period struct {
		name     string
		from, to time.Time
	}
	var ps []period
	for _, tf := range files {
		j := columnIn(tf, p.prop.Proposed.Columns["invoice_date"])
		_ = i
		var pr period
		pr.name = tf.name
		for _, r := range tf.rows {
			if j < 0 || j >= len(r.cells) {
				continue
			}
			t, ok := res.date.parse(r.cells[j])
			if !ok {
				t, ok = dateFormats[0].parse(r.cells[j])
			}
			if !ok {
				continue
			}
			if pr.from.IsZero() || t.Before(pr.from) {
				pr.from = t
			}
			if t.After(pr.to) {
				pr.to = t
			}
		}
		if !pr.from.IsZero() {
			ps = append(ps, pr)
		}
	}
	for a := range ps {
		for b := a + 1; b < len(ps); b++ {
			x, y := ps[a], ps[b]
			lo, hi := maxTime(x.from, y.from), minTime(x.to, y.to)
			shorter := math.Min(x.to.Sub(x.from).Hours(), y.to.Sub(y.from).Hours())
			if !hi.Before(lo) && hi.Sub(lo).Hours() >= 0.5*shorter {
				p.prop.Proposed.Mode = "replace_period"
				p.note("mode", "replace_period", 0.7, fmt.Sprintf("%s and %s cover the same period (%s to %s): a period sent again restates it",
					x.name, y.name, lo.Format(time.DateOnly), hi.Format(time.DateOnly)),
					Alternative{"append", "if files of the same period add lines rather than replace them"})
				return
			}
		}
	}
}

// maxTime is the later of a and b.
func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// minTime is the earlier of a and b.
func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
