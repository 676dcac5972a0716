package demo

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"
)

// behindGoal is a territory whose annual target is set so high that, at asOf, its
// year-to-date revenue is pct percent below the part of the target due by then.
type behindGoal struct {
	territory string
	pct       float64
}

// behindTerritories: FR-OUEST comes out as a warning, FR-EST as critical (with the
// demo's warning_pct 10 and critical_pct 25). Their reps' targets follow.
var behindTerritories = []behindGoal{{"FR-OUEST", 15}, {"FR-EST", 35}}

// monthlyLine is the product line that also has monthly unit targets (its new product's
// launch plan).
const monthlyLine = "smart-home"

// target is a row of targets.csv.
type target struct {
	scope, id, kpi string
	value          float64
	month          int // 1-12, or 0 for an annual target
}

// pace is the part of asOf's year elapsed at the end of asOf: the part of an annual
// target due by then, for targets spread evenly over the days of the year.
func pace(asOf time.Time) float64 {
	days := time.Date(asOf.Year(), time.December, 31, 0, 0, 0, 0, time.UTC).YearDay()
	return float64(asOf.YearDay()) / float64(days)
}

// factor is what a territory's pace is multiplied by to make its target.
func factor(territory string) float64 {
	for _, b := range behindTerritories {
		if b.territory == territory {
			return 1 / (1 - b.pct/100)
		}
	}
	return 1
}

// targets are asOf's year targets, computed from the year-to-date sales so that every
// scope is on pace within ±3 %, except: the behind territories and their reps; the
// silent partners, whose targets are what they would have bought at their pace before
// going silent; and the monthly targets, which follow each month's sales.
func (w *world) targets() []target {
	r := stream(w.seed, "targets", 0)
	year, f := w.asOf.Year(), pace(w.asOf)
	onPace := func(ytd float64) float64 { return ytd / f * uniform(r, 0.97, 1.03) }

	var revenue, units float64
	byTerritory := make([]float64, len(territories))
	byRep := make([]float64, len(reps)) // weighted by the territories' factors
	byPartner := make([]float64, len(w.partners))
	byLine := make([]float64, len(productLines))
	byFeed := make([]float64, nFeeds)
	var lineByMonth [13]float64 // units of monthlyLine by month of the year
	for _, l := range w.lines {
		if l.bad != good || l.date.Year() != year {
			continue
		}
		eur := float64(l.amount()) / 100 * w.rate(l.currency, l.month)
		revenue += eur
		units += float64(l.qty)
		byLine[l.product.line] += float64(l.qty)
		byFeed[l.feed] += eur
		if productLines[l.product.line] == monthlyLine {
			lineByMonth[l.date.Month()] += float64(l.qty)
		}
		if p := l.party; p.listed {
			byTerritory[slices.IndexFunc(territories, func(t territory) bool { return t.code == p.territory })] += eur
			byRep[slices.IndexFunc(reps, func(r rep) bool { return r.id == p.rep })] += eur * factor(p.territory)
			byPartner[p.index] += eur
		}
	}

	ts := []target{
		{scope: "total", id: "all", kpi: "revenue", value: onPace(revenue)},
		{scope: "total", id: "all", kpi: "units", value: onPace(units)},
	}
	for i, t := range territories {
		if byTerritory[i] > 0 {
			ts = append(ts, target{scope: "territory", id: t.code, kpi: "revenue", value: onPace(byTerritory[i]) * factor(t.code)})
		}
	}
	for i, rp := range reps {
		if byRep[i] > 0 {
			ts = append(ts, target{scope: "sales_rep", id: rp.id, kpi: "revenue", value: onPace(byRep[i])})
		}
	}
	ts = append(ts, w.partnerTargets(byPartner, onPace)...)
	for i, name := range productLines {
		ts = append(ts, target{scope: "product_line", id: name, kpi: "units", value: onPace(byLine[i])})
	}
	// Monthly unit targets of monthlyLine from two months before asOf's to December:
	// past months at what they sold, asOf's month at its pace so far, later months at
	// that pace adjusted for the season.
	cur := w.asOf.Month()
	dim := time.Date(year, cur+1, 0, 0, 0, 0, 0, time.UTC).Day()
	monthPace := lineByMonth[cur] * float64(dim) / float64(w.asOf.Day())
	for m := max(1, cur-2); m <= time.December; m++ {
		v := lineByMonth[m]
		switch {
		case m == cur:
			v = monthPace
		case m > cur:
			v = monthPace * season[m-1] / season[cur-1]
		}
		ts = append(ts, target{scope: "product_line", id: monthlyLine, kpi: "units", value: v * uniform(r, 0.97, 1.03), month: int(m)})
	}
	for i := range feeds {
		if byFeed[i] > 0 {
			ts = append(ts, target{scope: "distributor", id: feeds[i].code, kpi: "revenue", value: onPace(byFeed[i])})
		}
	}
	for i := range ts {
		ts[i].value = roundTarget(ts[i].value)
	}
	return ts
}

// partnerTargets are revenue targets for the ten largest partners of the year so far,
// on pace, and for the silent partners, at the pace they had until they went silent
// (the end of the month two months before asOf's): those come out behind.
func (w *world) partnerTargets(ytd []float64, onPace func(float64) float64) []target {
	var top []*party
	for _, p := range w.partners {
		if ytd[p.index] > 0 && !p.silent {
			top = append(top, p)
		}
	}
	slices.SortStableFunc(top, func(a, b *party) int { return cmp.Compare(ytd[b.index], ytd[a.index]) })
	top = top[:min(10, len(top))]
	stopped := w.months[len(w.months)-2].AddDate(0, 0, -1)
	var ts []target
	for _, p := range w.partners {
		switch {
		case slices.Contains(top, p):
			ts = append(ts, target{scope: "partner", id: p.id, kpi: "revenue", value: onPace(ytd[p.index])})
		case p.silent && ytd[p.index] > 0 && stopped.Year() == w.asOf.Year():
			ts = append(ts, target{scope: "partner", id: p.id, kpi: "revenue", value: ytd[p.index] / pace(stopped)})
		}
	}
	return ts
}

// roundTarget rounds a target the way people set them, while keeping it within 0.5 %.
func roundTarget(v float64) float64 {
	unit := 1.0
	switch {
	case v >= 100_000:
		unit = 1000
	case v >= 1000:
		unit = 10
	}
	return math.Round(v/unit) * unit
}

// writeTargets writes targets.csv.
func (w *world) writeTargets(dir string) error {
	var rows [][]string
	for _, t := range w.targets() {
		month := ""
		if t.month > 0 {
			month = strconv.Itoa(t.month)
		}
		rows = append(rows, []string{strconv.Itoa(w.asOf.Year()), t.scope, t.id, t.kpi,
			strconv.FormatFloat(t.value, 'f', 0, 64), month})
	}
	return writeCSV(dir, "targets.csv", []string{"year", "scope", "scope_id", "kpi", "target", "month"}, rows)
}
