package demo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// badKind is what is wrong with a line that the loader must quarantine.
type badKind int

const (
	good        badKind = iota
	badDate             // the date does not parse
	badQuantity         // "douze" as quantity
	badProduct          // no SKU, item code or GTIN
)

// line is a sales-out line as a distributor reports it.
type line struct {
	party            *party
	feed             int
	month            int // index in world.months
	date             time.Time
	order            int // lines of one order share an invoice number
	product          *product
	qty              int
	price            int64 // unit price, cents of currency
	currency         string
	endCustomer      string
	withRegistration bool
	withVAT          bool
	invoice          string
	bad              badKind
}

func (l *line) amount() int64 { return int64(l.qty) * l.price }

// lineValue is the typical value of a line in EUR; it sets the number of lines.
const lineValue = 150

// season is the relative activity of each calendar month (August is holidays).
var season = [12]float64{0.85, 0.9, 1.05, 1.05, 1.0, 1.1, 0.9, 0.6, 1.1, 1.1, 1.05, 1.2}

// simulate draws every reseller's purchases over the history, numbers the invoices,
// and sorts the lines by feed, date and order.
func (w *world) simulate() {
	order := 0
	for _, p := range w.parties() {
		if p.behaviour == never {
			continue
		}
		r := p.stream(w.seed, "sales")
		for month, revenue := range w.activity(r, p) {
			if revenue > 0 {
				order = w.buy(r, p, month, revenue, order)
			}
		}
	}
	w.resell(order)
	slices.SortStableFunc(w.lines, func(a, b *line) int {
		return cmp.Or(cmp.Compare(a.feed, b.feed), a.date.Compare(b.date), cmp.Compare(a.order, b.order))
	})
	w.number()
}

// activity is p's purchases in EUR in each month of the history (0: none), drawn so that
// its behaviour is what a scorer finds at asOf with the demo's scoring settings.
// Months are indexed from the oldest; cur is asOf's month.
func (w *world) activity(r *rand.Rand, p *party) []float64 {
	n := len(w.months)
	cur := n - 1
	rev := make([]float64, n)
	set := func(i int, amount float64) {
		if i < 0 || len(w.days[i]) == 0 {
			return
		}
		full := 0
		for d := w.months[i]; d.Month() == w.months[i].Month(); d = d.AddDate(0, 0, 1) {
			if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
				full++
			}
		}
		growth := 1 + 0.05*float64(i)/12
		partial := float64(len(w.days[i])) / float64(full)
		rev[i] = amount * season[w.months[i].Month()-1] * growth * partial * uniform(r, 0.75, 1.25)
	}
	switch p.behaviour {
	case loyal:
		// Every month of the last twelve but at most one; before, nearly every month
		// since it started buying. A silent one stopped two months ago.
		monthly := p.potential * uniform(r, 0.08, 0.65) / 12
		start := 0
		if chance(r, 0.3) {
			start = r.IntN(n - 13)
		}
		gap := -1
		if chance(r, 0.4) && !p.silent {
			gap = between(r, cur-11, cur-1)
		}
		for i := start; i <= cur; i++ {
			active := i == start || chance(r, 0.93)
			if i >= cur-11 {
				active = i != gap && (!p.silent || i < cur-1)
			}
			if active {
				set(i, monthly)
			}
		}
	case occasional:
		// 3 to 7 of the months cur-11..cur-1, one of them in the last five so that it
		// is not lost; now and then before.
		k := between(r, 3, 7)
		perMonth := p.potential * uniform(r, 0.03, 0.2) / float64(k)
		months := r.Perm(11)[:k]
		if slices.Max(months) < 6 {
			months[0] = between(r, 6, 10)
		}
		for _, m := range months {
			set(cur-11+m, perMonth)
		}
		for i := 0; i < cur-11; i++ {
			if chance(r, 0.35) {
				set(i, perMonth)
			}
		}
	case opportunistic:
		// One or two large deals 4 to 5 months ago (up to last month for a partner that
		// bought a little more than a year ago, so it cannot look new), nothing else.
		// The second deal, for large partners only, is at most a third of the first:
		// the best month holds well over 60 % of the year.
		latest := cur - 4
		if chance(r, 0.5) {
			for i := 0; i < cur-13; i++ {
				if chance(r, 0.08) {
					set(i, p.potential*0.02)
					latest = cur - 1
				}
			}
		}
		first := between(r, cur-5, latest)
		deal := p.potential * uniform(r, 0.25, 0.6)
		rev[first] = deal
		if second := between(r, cur-5, latest); second != first && p.potential >= 40_000 && chance(r, 0.5) {
			rev[second] = deal * uniform(r, 0.1, 0.3)
		}
	case newcomer:
		// A first purchase in asOf's month or the two before, then most months.
		monthly := p.potential * uniform(r, 0.05, 0.35) / 12
		first := between(r, cur-2, cur)
		if len(w.days[first]) == 0 {
			first--
		}
		for i := first; i <= cur; i++ {
			if i == first || chance(r, 0.85) {
				set(i, monthly)
			}
		}
	case lost:
		// Regular purchases that stopped either 13 to 16 months ago, before the last
		// year, or 7 to 9 months ago after buying every month of the year before: never
		// only one or two months of the last year, which would look opportunistic.
		monthly := p.potential * uniform(r, 0.1, 0.4) / 12
		stop := between(r, cur-16, cur-13)
		if chance(r, 0.5) {
			stop = between(r, cur-9, cur-7)
		}
		start := 0
		if chance(r, 0.3) {
			start = r.IntN(n - 20)
		}
		for i := start; i <= stop; i++ {
			if i == stop || i >= cur-11 || chance(r, 0.85) {
				set(i, monthly)
			}
		}
	}
	return rev
}

// buy turns p's revenue of one month into orders and lines; order is the last order
// number used, and buy returns it after its own orders.
func (w *world) buy(r *rand.Rand, p *party, month int, revenue float64, order int) int {
	n := min(max(int(math.Round(revenue/lineValue*uniform(r, 0.7, 1.3))), 1), 40)
	if p.behaviour == opportunistic {
		n = min(max(int(revenue/2000), 1), 6) // a deal: a few lines, large quantities
	}
	perLine := revenue / float64(n)
	for k := 0; k < n; {
		order++
		f := p.feeds[0]
		if len(p.feeds) > 1 && chance(r, 0.25) {
			f = p.feeds[1]
		}
		def := &feeds[f]
		date := pick(r, w.days[month])
		endCustomer := ""
		if (p.trade.name == "IT VAR" || p.trade.name == "Electrician") && chance(r, def.pEndCustomer) {
			endCustomer = endCustomerName(r, p)
		}
		currency := "EUR"
		if f == bravo {
			currency = p.currency
		}
		for j := min(between(r, 1, 6), n-k); j > 0; j, k = j-1, k+1 {
			pr := pickProduct(r, w.products, p.trade, month)
			eur := pr.listPrice * (1 - p.discount) * uniform(r, 0.985, 1.015)
			qty := max(1, int(math.Round(perLine*uniform(r, 0.5, 1.5)/eur)))
			if k > 0 && n >= 3 && p.behaviour != opportunistic && chance(r, 0.015) {
				qty = -max(1, qty/2) // a return
			}
			w.lines = append(w.lines, &line{
				party: p, feed: f, month: month, date: date, order: order, product: pr, qty: qty,
				price:    int64(math.Round(eur * 100 / w.rate(currency, month))),
				currency: currency, endCustomer: endCustomer,
				withRegistration: chance(r, def.pRegistration),
				withVAT:          chance(r, def.pVAT),
			})
		}
	}
	return order
}

// resell adds the sales of the distributors of the other formats. A customer of one
// buys through it, on top of what it buys through its CSV distributor, a share of that
// (the same for the whole history, give or take 20 % a month) in every month it buys
// and on days it already buys on: its months, first and last purchase and the days of
// the year before asOf are unchanged, its best month's share nearly so, and so is its
// behaviour. order is the last order number used.
func (w *world) resell(order int) {
	byMonth := map[*party][][]*line{}
	for _, l := range w.lines {
		if p := l.party; p.extra != nil {
			if byMonth[p] == nil {
				byMonth[p] = make([][]*line, len(w.months))
			}
			byMonth[p][l.month] = append(byMonth[p][l.month], l)
		}
	}
	for _, p := range w.parties() {
		if p.extra == nil {
			continue
		}
		r := p.stream(w.seed, "resale")
		ratio := uniform(r, 0.3, 0.7)
		for month, lines := range byMonth[p] {
			var eur float64
			var days []time.Time
			for _, l := range lines {
				eur += float64(l.amount()) / 100 * w.rate(l.currency, l.month)
				if !slices.ContainsFunc(days, l.date.Equal) {
					days = append(days, l.date)
				}
			}
			if eur <= 0 {
				continue
			}
			slices.SortFunc(days, time.Time.Compare)
			order = w.buyThrough(r, p, p.extra[0], month, days, eur*ratio*uniform(r, 0.8, 1.2), order)
		}
	}
}

// buyThrough is buy for a distributor of the other formats, in EUR, on one of days.
func (w *world) buyThrough(r *rand.Rand, p *party, f, month int, days []time.Time, revenue float64, order int) int {
	n := min(max(int(math.Round(revenue/lineValue*uniform(r, 0.7, 1.3))), 1), 40)
	if p.behaviour == opportunistic {
		n = min(max(int(revenue/2000), 1), 6)
	}
	perLine := revenue / float64(n)
	def := &feeds[f]
	for k := 0; k < n; {
		order++
		date := pick(r, days)
		for j := min(between(r, 1, 6), n-k); j > 0; j, k = j-1, k+1 {
			pr := pickProduct(r, w.products, p.trade, month)
			eur := pr.listPrice * (1 - p.discount) * uniform(r, 0.985, 1.015)
			qty := max(1, int(math.Round(perLine*uniform(r, 0.5, 1.5)/eur)))
			if k > 0 && n >= 3 && p.behaviour != opportunistic && chance(r, 0.015) {
				qty = -max(1, qty/2) // a return
			}
			w.lines = append(w.lines, &line{
				party: p, feed: f, month: month, date: date, order: order, product: pr, qty: qty,
				price: int64(math.Round(eur * 100)), currency: "EUR",
				withRegistration: chance(r, def.pRegistration),
				withVAT:          chance(r, def.pVAT),
			})
		}
	}
	return order
}

func endCustomerName(r *rand.Rand, p *party) string {
	if p.country == "GB" {
		return fmt.Sprintf(pick(r, ukEndCustomers), p.city)
	}
	return fmt.Sprintf(pick(r, frEndCustomers), p.city)
}

// number gives each order its invoice number, in date order per distributor; the gaps
// are the distributor's invoices for other manufacturers.
func (w *world) number() {
	for f := range feeds {
		if feeds[f].invoice == nil {
			continue
		}
		r := stream(w.seed, "invoices", f)
		n, prev := r.IntN(5000), -1
		for _, l := range w.lines {
			if l.feed != f {
				continue
			}
			if l.order != prev {
				n += between(r, 1, 40)
				prev = l.order
			}
			l.invoice = feeds[f].invoice(l.date, n)
		}
	}
}

// spoilPlan is how many lines of which kind each feed gets wrong.
var spoilPlan = []struct {
	feed int
	kind badKind
	n    int
}{
	{acme, badDate, 1}, {acme, badQuantity, 2}, {acme, badProduct, 1},
	{bravo, badDate, 1}, {bravo, badProduct, 1},
	{charlie, badDate, 1}, {charlie, badQuantity, 1}, {charlie, badProduct, 1},
	{delta, badDate, 1}, {delta, badQuantity, 1},
	{echo, badDate, 1}, {echo, badProduct, 1},
	{foxtrot, badDate, 1}, {foxtrot, badProduct, 1},
	{golf, badDate, 1}, {golf, badProduct, 1},
	{hotel, badDate, 1}, {hotel, badQuantity, 1},
}

// spoil garbles the lines of spoilPlan. It only picks lines of steady buyers (loyal,
// occasional, unlisted) outside DELTA's restated month and FOXTROT's replaced one, so
// that a lost line changes no partner's behaviour and a restatement holds no bad line.
func (w *world) spoil() {
	r := stream(w.seed, "spoil", 0)
	for _, s := range spoilPlan {
		var cands []*line
		for _, l := range w.lines {
			p := l.party
			steady := !p.listed || (p.behaviour == loyal && !p.silent) || p.behaviour == occasional
			restated := (l.feed == delta && l.month == w.restated) || (l.feed == foxtrot && l.month == w.replaced)
			if l.feed == s.feed && l.bad == good && steady && !restated {
				cands = append(cands, l)
			}
		}
		for _, k := range r.Perm(len(cands))[:min(s.n, len(cands))] {
			cands[k].bad = s.kind
		}
	}
}
