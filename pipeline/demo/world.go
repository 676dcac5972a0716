package demo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// world is the whole demo data set in memory: the channel, the catalogue, the exchange
// rates, and every sales-out line that happened. Files are views of it.
type world struct {
	seed     uint64
	asOf     time.Time
	months   []time.Time   // first day of each month of the history, oldest first
	days     [][]time.Time // business days of each month, none after asOf
	products []*product
	partners []*party    // the channel database, in partner_id order
	unlisted []*party    // resellers the channel database does not list
	fx       [][]float64 // EUR per unit of fxCurrencies[c] in month i
	lines    []*line     // every line sent, by feed, date and order; bad ones included
	silent   []*party    // loyal partners gone silent, by partner_id
	restated int         // month index of DELTA's restated month
	replaced int         // month index of the month FOXTROT replaces by a later report
}

// fxCurrencies are the currencies of fx.csv, with their rate in EUR at the start.
var (
	fxCurrencies = []string{"CHF", "GBP", "USD"}
	fxStart      = []float64{1.06, 1.17, 0.92}
)

// newWorld sets up everything but the sales: the months, the catalogue, the channel
// database and the unlisted resellers with their behaviours, distributors and accounts.
func newWorld(o Options) *world {
	w := &world{seed: o.Seed, asOf: o.AsOf}
	first := time.Date(o.AsOf.Year(), o.AsOf.Month()-time.Month(o.Months-1), 1, 0, 0, 0, 0, time.UTC)
	for i := range o.Months {
		m := first.AddDate(0, i, 0)
		w.months = append(w.months, m)
		var days []time.Time
		for d := m; d.Month() == m.Month() && !d.After(o.AsOf); d = d.AddDate(0, 0, 1) {
			if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
				days = append(days, d)
			}
		}
		w.days = append(w.days, days)
	}
	w.restated = len(w.months) - 3
	w.replaced = len(w.months) - 5
	w.products = newProducts(o.Seed, len(w.months)-4)
	names, sirens := map[string]bool{}, map[string]bool{}
	w.partners = newPartners(o.Seed, o.Partners, names, sirens)
	w.unlisted = newUnlisted(o.Seed, o.Partners/50, names, sirens)
	w.assignBehaviours()
	w.assignFeeds()
	w.assignResale()
	w.openAccounts()
	w.fx = newFX(o.Seed, len(w.months))
	return w
}

// parties are the partners, then the unlisted resellers.
func (w *world) parties() []*party { return slices.Concat(w.partners, w.unlisted) }

// assignBehaviours gives each partner its buying behaviour; FR-EST loses more partners
// than the other territories. Unlisted resellers are loyal or occasional. Three large
// loyal partners go silent two months before asOf.
func (w *world) assignBehaviours() {
	for i, p := range w.partners {
		r := stream(w.seed, "behaviour", i)
		weights := slices.Clone(behaviourWeights)
		if p.territory == "FR-EST" {
			weights[loyal] -= 0.06
			weights[lost] += 0.06
		}
		p.behaviour = behaviour(weighted(r, weights))
	}
	for i, p := range w.unlisted {
		p.behaviour = occasional
		if chance(stream(w.seed, "behaviour-unlisted", i), 0.5) {
			p.behaviour = loyal
		}
	}
	var loyals []*party
	for _, p := range w.partners {
		if p.behaviour == loyal {
			loyals = append(loyals, p)
		}
	}
	slices.SortStableFunc(loyals, func(a, b *party) int { return cmp.Compare(b.potential, a.potential) })
	for _, rank := range []int{3, 8, 13} {
		if rank < len(loyals) {
			loyals[rank].silent = true
			w.silent = append(w.silent, loyals[rank])
		}
	}
	slices.SortFunc(w.silent, func(a, b *party) int { return cmp.Compare(a.index, b.index) })
}

// assignFeeds picks the distributors each buying reseller goes through: BRAVO for
// partners outside France, ACME for the companies with several establishments, else a
// main distributor and, for a third of the partners, a second one.
func (w *world) assignFeeds() {
	for _, p := range w.parties() {
		if p.behaviour == never {
			continue
		}
		r := p.stream(w.seed, "feeds")
		switch {
		case p.multiSite:
			p.feeds = []int{acme}
		case p.country != "FR":
			p.feeds = []int{bravo}
		default:
			p.feeds = []int{weighted(r, feedShares())}
			if p.listed && chance(r, 0.35) {
				second := p.feeds[0]
				for second == p.feeds[0] {
					second = weighted(r, feedShares())
				}
				p.feeds = append(p.feeds, second)
			}
		}
	}
}

// resale is, for each distributor of the other formats, the share of its possible
// customers that buy through it, and who these can be: resellers that buy through one
// CSV distributor only (so that none buys through more than two), are not one of
// several establishments, and that it reports with a key the channel database also
// holds, or resellers the channel database does not list.
var resale = []struct {
	feed     int
	share    float64
	eligible func(p *party) bool
}{
	// FOXTROT reports VAT numbers: French and Swiss partners whose VAT is listed.
	{foxtrot, 0.22, func(p *party) bool { return (p.country == "FR" || p.country == "CH") && p.vatListed }},
	// GOLF too, in France and Belgium.
	{golf, 0.25, func(p *party) bool { return (p.country == "FR" || p.country == "BE") && p.vatListed }},
	// HOTEL reports the SIRET: French partners listed with their SIRET or SIREN.
	{hotel, 0.25, func(p *party) bool { return p.country == "FR" && p.registration != "" }},
}

// assignResale picks the customers of the distributors of the other formats, as resale
// says. GOLF gets at least one whose name holds an apostrophe, which EDIFACT escapes.
func (w *world) assignResale() {
	for _, rs := range resale {
		r := stream(w.seed, "resale", rs.feed)
		var eligible, chosen []*party
		for _, p := range w.parties() {
			if p.behaviour == never || len(p.feeds) != 1 || p.extra != nil || p.multiSite || (p.listed && !rs.eligible(p)) {
				continue
			}
			eligible = append(eligible, p)
			if chance(r, rs.share) {
				chosen = append(chosen, p)
			}
		}
		if rs.feed == golf && !slices.ContainsFunc(chosen, func(p *party) bool { return strings.Contains(p.name, "'") }) {
			if i := slices.IndexFunc(eligible, func(p *party) bool { return p.listed && strings.Contains(p.name, "'") }); i >= 0 {
				chosen = append(chosen, eligible[i])
			}
		}
		for _, p := range chosen {
			p.extra = []int{rs.feed}
		}
	}
}

// openAccounts gives each customer of a distributor its account number there, in an
// order of the distributor's own, and the name as the distributor's system spells it.
func (w *world) openAccounts() {
	all := w.parties()
	for f := range feeds {
		def := &feeds[f]
		var customers []*party
		for _, p := range all {
			if slices.Contains(p.feeds, f) || slices.Contains(p.extra, f) {
				customers = append(customers, p)
			}
		}
		r := stream(w.seed, "accounts", f)
		n := def.firstAccount
		for _, k := range r.Perm(len(customers)) {
			n += between(r, 1, def.accountGap)
			c := customers[k]
			c.accounts[f] = def.account(n)
			c.spellings[f] = c.spell(def.spellings[weighted(r, def.spellWeights)])
		}
	}
}

// stream is the random source of one purpose for this party.
func (p *party) stream(seed uint64, purpose string) *rand.Rand {
	if !p.listed {
		purpose += "-unlisted"
	}
	return stream(seed, purpose, p.index)
}

// newFX draws monthly exchange rates as a random walk, rounded as fx.csv holds them.
func newFX(seed uint64, months int) [][]float64 {
	fx := make([][]float64, len(fxCurrencies))
	for c := range fxCurrencies {
		r := stream(seed, "fx", c)
		rate := fxStart[c]
		fx[c] = make([]float64, months)
		for i := range fx[c] {
			rate *= 1 + 0.012*r.NormFloat64()
			fx[c][i] = math.Round(rate*1e6) / 1e6
		}
	}
	return fx
}

// rate is the EUR value of one unit of currency in month i.
func (w *world) rate(currency string, month int) float64 {
	if c := slices.Index(fxCurrencies, currency); c >= 0 {
		return w.fx[c][month]
	}
	return 1
}

// month is the index in w.months of the month of d.
func (w *world) month(d time.Time) int {
	first := w.months[0]
	return (d.Year()-first.Year())*12 + int(d.Month()) - int(first.Month())
}
