package report

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/salesout/salesout/pipeline/chart"
	"github.com/salesout/salesout/pipeline/explain"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// PageOptions say which page Page renders.
type PageOptions struct {
	Scope    string    // territory or sales_rep
	ScopeID  string    // the territory code or the rep's id
	AsOf     time.Time // the date of the figures
	Currency string    // the base currency, for the amounts' labels
	Top      int       // rows per list (contributors of each kind, movements, targets); default 5 contributors, 10 partners
	// Image returns the src attribute of a chart (name is "revenue" or "units"): nil
	// gives a data: URI, for a self-contained file; an e-mail gives "cid:..." and
	// attaches the PNG.
	Image func(name string, png []byte) string
}

// Page renders the business review of one territory or rep as one HTML document.
func Page(ctx context.Context, conn *sql.Conn, o PageOptions) ([]byte, error) {
	if o.Scope != ScopeTerritory && o.Scope != ScopeSalesRep {
		return nil, fmt.Errorf("report: unknown scope %q (want territory or sales_rep)", o.Scope)
	}
	d, err := gather(ctx, conn, o)
	if err != nil {
		return nil, fmt.Errorf("report %s %s: %w", o.Scope, o.ScopeID, err)
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, d); err != nil {
		return nil, fmt.Errorf("report %s %s: %w", o.Scope, o.ScopeID, err)
	}
	return b.Bytes(), nil
}

// pageData is what the template shows.
type pageData struct {
	ScopeLabel   string // Territory | Sales rep
	Name, Detail string
	ID           string
	AsOf         time.Time
	Currency     string
	KPIs         []kpiBlock
	Contributors []contributorTable
	Movements    movements
	Coverage     coverage
	WhiteSpaces  []partnerRow
	Development  []partnerRow
	Prospecting  []partnerRow
	Top          int
}

type kpiBlock struct {
	explain.Explanation
	Unit      string       // the currency, or "units"
	Chart     template.URL // the chart's src
	Attained  float64      // Actual / Target x 100
	HasTarget bool
}

type contributorTable struct {
	Kind  string
	Title string
	Rows  []explain.Contributor
	Unit  string
}

// partnerRow is one partner of the scope at as_of (report/partners.sql).
type partnerRow struct {
	ID, Name, City, Trade                string
	ChannelPotential                     sql.NullFloat64
	Potential                            sql.NullFloat64
	PotentialEstimated, HighPotential    bool
	Revenue, RevenuePrev                 float64
	Loyalty, LoyaltyPrev, Plan, PlanPrev string
	ShareOfWallet                        sql.NullFloat64
	Score                                float64
	Rank                                 int64
	RunFromAsOf                          sql.NullTime
	RunFromLoyalty, RunFromPlan          sql.NullString
}

// movements are the loyalty classes' changes over the window (loyalty_prev → loyalty)
// and, when the snapshot holds an earlier run, since that run (partner_movements).
type movements struct {
	Classes   []string
	Matrix    [][]int // [from][to], in the order of Classes
	Changed   int
	Moves     []partnerRow // changed class, the most revenue lost first
	SinceRun  time.Time    // zero without an earlier run
	RunMoves  []partnerRow // changed class since that run
	AnyMatrix bool
}

// coverage is territory_coverage's figures for the scope's partners (the same rules,
// sql/score/territory_coverage.sql), so that a rep's page has them too.
type coverage struct {
	Partners, Active, WhiteSpaces, Prospecting int
	CoveragePct                                float64
	Revenue, Potential, WhiteSpacePotential    float64
	EstimatedPotential                         float64
	ShareOfWallet                              float64
	HasShare                                   bool
}

// loyaltyClasses are partner_scores' classes, best first.
var loyaltyClasses = []string{"loyal", "occasional", "opportunistic", "new", "lost", "none"}

func gather(ctx context.Context, conn *sql.Conn, o PageOptions) (*pageData, error) {
	asOf := time.Date(o.AsOf.Year(), o.AsOf.Month(), o.AsOf.Day(), 0, 0, 0, 0, time.UTC)
	d := &pageData{ScopeLabel: map[string]string{ScopeTerritory: "Territory", ScopeSalesRep: "Sales rep"}[o.Scope],
		ID: o.ScopeID, AsOf: asOf, Currency: o.Currency, Top: cmp.Or(o.Top, 10)}
	for _, kpi := range []string{"revenue", "units"} {
		e, err := explain.ExplainTop(ctx, conn, asOf, o.Scope, o.ScopeID, kpi, 0)
		if err != nil {
			return nil, err
		}
		if kpi == "units" && e.Target == 0 {
			continue // units only when they have a target
		}
		if kpi == "revenue" {
			e.Currency = o.Currency
			d.Name, d.Detail = oneLine(e.Name), oneLine(e.Detail)
		}
		b := kpiBlock{Explanation: e, Unit: cmp.Or(e.Currency, "units"), HasTarget: e.Target != 0}
		if b.HasTarget {
			b.Attained = e.Actual / e.Target * 100
		}
		png, err := chart.Trend(chart.TrendInput{Title: kpiTitle[kpi] + " by month", Unit: b.Unit, Months: e.Months})
		if err != nil {
			return nil, err
		}
		src := "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
		if o.Image != nil {
			src = o.Image(kpi, png)
		}
		b.Chart = template.URL(src) // a data: URI of our own PNG, or the caller's cid:
		d.KPIs = append(d.KPIs, b)
		if kpi == "revenue" {
			d.Contributors = contributorTables(e.Contributors, cmp.Or(o.Top, explain.DefaultTop), b.Unit)
		}
	}
	partners, err := scopePartners(ctx, conn, asOf, o.Scope, o.ScopeID)
	if err != nil {
		return nil, err
	}
	d.Coverage = coverageOf(partners)
	d.Movements = movementsOf(partners, d.Top)
	for _, p := range partners { // by score, highest first
		switch {
		case p.Plan == "development" && len(d.Development) < d.Top:
			d.Development = append(d.Development, p)
		case p.Plan == "prospecting" && len(d.Prospecting) < d.Top:
			d.Prospecting = append(d.Prospecting, p)
		}
	}
	var white []partnerRow
	for _, p := range partners {
		if p.HighPotential && p.Revenue <= 0 {
			white = append(white, p)
		}
	}
	slices.SortStableFunc(white, func(a, b partnerRow) int { return cmp.Compare(b.Potential.Float64, a.Potential.Float64) })
	d.WhiteSpaces = white[:min(len(white), d.Top)]
	return d, nil
}

// gains is how many of the largest rises a contributor table shows after the drops.
const gains = 3

// contributorTables makes a table per kind of all (every contributor, most negative
// first, as explain ranks them): the top largest drops, the gains largest rises, then
// the rest summed, so that the rows add up to the scope.
func contributorTables(all []explain.Contributor, top int, unit string) []contributorTable {
	var out []contributorTable
	for _, kind := range []string{explain.KindPartner, explain.KindDistributor, explain.KindProductLine} {
		var of []explain.Contributor
		for _, c := range all {
			if c.Kind == kind {
				c.Name, c.Town = oneLine(c.Name), oneLine(c.Town)
				of = append(of, c)
			}
		}
		if len(of) == 0 {
			continue
		}
		t := contributorTable{Kind: kind, Title: kindTitle[kind], Unit: unit}
		drops := 0
		for drops < len(of) && drops < top && of[drops].Delta < 0 {
			drops++
		}
		rises := max(len(of)-gains, drops)
		t.Rows = append(t.Rows, of[:drops]...)
		rest := explain.Contributor{Kind: kind}
		n := 0
		for _, c := range of[drops:rises] {
			rest.Actual += c.Actual
			rest.LastYear += c.LastYear
			n++
		}
		for i := len(of) - 1; i >= rises; i-- { // the largest rise first
			t.Rows = append(t.Rows, of[i])
		}
		if n == 1 {
			t.Rows = append(t.Rows, of[drops])
		}
		if n > 1 {
			rest.Name = fmt.Sprintf("%d others", n)
			rest.Delta = rest.Actual - rest.LastYear
			t.Rows = append(t.Rows, rest)
		}
		out = append(out, t)
	}
	return out
}

var kpiTitle = map[string]string{"revenue": "Revenue", "units": "Units"}

var kindTitle = map[string]string{
	explain.KindPartner:     "Partners",
	explain.KindDistributor: "Distributors",
	explain.KindProductLine: "Product lines",
}

func scopePartners(ctx context.Context, conn *sql.Conn, asOf time.Time, scope, id string) ([]partnerRow, error) {
	rows, err := conn.QueryContext(ctx, warehouse.Statement("report/partners.sql"), asOf.Format(time.DateOnly), scope, id)
	if err != nil {
		return nil, fmt.Errorf("partners: %w", err)
	}
	defer rows.Close()
	var out []partnerRow
	for rows.Next() {
		var p partnerRow
		var city, trade sql.NullString
		if err := rows.Scan(&p.ID, &p.Name, &city, &trade, &p.ChannelPotential, &p.Potential, &p.PotentialEstimated,
			&p.HighPotential, &p.Revenue, &p.RevenuePrev, &p.Loyalty, &p.LoyaltyPrev, &p.Plan, &p.PlanPrev,
			&p.ShareOfWallet, &p.Score, &p.Rank, &p.RunFromAsOf, &p.RunFromLoyalty, &p.RunFromPlan); err != nil {
			return nil, fmt.Errorf("partners: %w", err)
		}
		p.Name, p.City, p.Trade = oneLine(p.Name), oneLine(city.String), oneLine(trade.String)
		out = append(out, p)
	}
	return out, rows.Err()
}

// coverageOf sums the partners as sql/score/territory_coverage.sql does.
func coverageOf(ps []partnerRow) coverage {
	var c coverage
	var potentialKnown bool
	for _, p := range ps {
		c.Partners++
		c.Revenue += p.Revenue
		if p.Revenue > 0 {
			c.Active++
		} else {
			c.WhiteSpacePotential += p.ChannelPotential.Float64
			if p.HighPotential {
				c.WhiteSpaces++
			}
		}
		if p.ChannelPotential.Valid {
			potentialKnown = true
			c.Potential += p.ChannelPotential.Float64
		}
		if p.PotentialEstimated {
			c.EstimatedPotential += p.Potential.Float64
		}
		if p.Plan == "prospecting" {
			c.Prospecting++
		}
	}
	if c.Partners > 0 {
		c.CoveragePct = math.Round(1000*float64(c.Active)/float64(c.Partners)) / 10
	}
	if potentialKnown && c.Potential != 0 {
		c.HasShare = true
		c.ShareOfWallet = c.Revenue / c.Potential
	}
	return c
}

func movementsOf(ps []partnerRow, top int) movements {
	m := movements{Classes: loyaltyClasses, Matrix: make([][]int, len(loyaltyClasses))}
	for i := range m.Matrix {
		m.Matrix[i] = make([]int, len(loyaltyClasses))
	}
	var moved, runMoved []partnerRow
	for _, p := range ps {
		from, to := slices.Index(loyaltyClasses, p.LoyaltyPrev), slices.Index(loyaltyClasses, p.Loyalty)
		if from >= 0 && to >= 0 {
			m.Matrix[from][to]++
			m.AnyMatrix = true
		}
		if p.LoyaltyPrev != "" && p.LoyaltyPrev != p.Loyalty {
			m.Changed++
			moved = append(moved, p)
		}
		if p.RunFromAsOf.Valid {
			m.SinceRun = p.RunFromAsOf.Time.UTC()
			if p.RunFromLoyalty.String != p.Loyalty {
				runMoved = append(runMoved, p)
			}
		}
	}
	byLoss := func(a, b partnerRow) int {
		return cmp.Or(cmp.Compare(a.Revenue-a.RevenuePrev, b.Revenue-b.RevenuePrev), cmp.Compare(a.ID, b.ID))
	}
	slices.SortStableFunc(moved, byLoss)
	slices.SortStableFunc(runMoved, byLoss)
	m.Moves = moved[:min(len(moved), top)]
	m.RunMoves = runMoved[:min(len(runMoved), top)]
	return m
}

// oneLine replaces the control characters of a name from the data (a CR or LF in a
// channel database's field) with spaces, so that a page, or an e-mail made of it,
// shows each value on one line.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
