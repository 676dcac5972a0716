package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// behaviour is how a reseller buys over the history. The partner scorer should find it
// back as the partner's loyalty.
type behaviour int

const (
	never         behaviour = iota // in the channel database, never bought
	loyal                          // 10 or more of the last 12 months, steady
	occasional                     // 3 to 7 of the last 12 months
	opportunistic                  // 1 or 2 large deals in the last 12 months, nothing else
	newcomer                       // first purchase in the last 3 months
	lost                           // bought regularly, nothing for 7 months or more
)

var behaviourNames = [...]string{"none", "loyal", "occasional", "opportunistic", "new", "lost"}

// String is the loyalty name of partner_scores.
func (b behaviour) String() string { return behaviourNames[b] }

// behaviourWeights are the shares of behaviours in the channel database.
var behaviourWeights = []float64{0.15, 0.28, 0.27, 0.10, 0.08, 0.12}

// party is a reseller: a partner of the channel database, or a company that a
// distributor reports but the channel database does not list.
type party struct {
	index  int    // position in world.partners or world.unlisted
	listed bool   // in the channel database
	id     string // partner_id; "" when not listed

	core, form string // "Dupont Électricité", "SARL"
	formFirst  bool
	name       string // as the channel database lists it
	site       int    // establishment number of the company (SIRET), 1 or more
	multiSite  bool   // the company has several listed establishments

	siren, siret string // French companies only
	vat          string // compact, as the channel database lists it
	vatPrinted   string // as distributors print it
	registration string // as the channel database lists it: the SIREN, the SIRET or ""
	vatListed    bool   // the channel database lists the VAT number

	address, postcode, city, country, region, territory string
	trade                                               *trade
	sizeBand                                            string
	potential                                           float64 // EUR a year, all suppliers
	rep                                                 string
	discount                                            float64 // off list price, at every distributor
	currency                                            string  // what BRAVO invoices it in

	behaviour behaviour
	silent    bool  // loyal partner that stopped buying two months ago
	feeds     []int // distributors it buys through, the main one first
	// extra is the distributor of the other formats (FOXTROT, GOLF, HOTEL) it also buys
	// through, on top of its purchases through feeds (see resell); nil for most.
	extra     []int
	accounts  [nFeeds]string
	spellings [nFeeds]string
}

// rep is a sales rep of the manufacturer (reps.csv).
type rep struct {
	id, name, email, manager, territory string
}

// reps own the partners of a territory; rep-07 also covers the Swiss partners.
var reps = []rep{
	{"rep-01", "Camille Martin", "camille.martin@example.com", "anne.rousseau@example.com", "FR-IDF"},
	{"rep-02", "Julien Bernard", "julien.bernard@example.com", "anne.rousseau@example.com", "FR-IDF"},
	{"rep-03", "Sophie Lambert", "sophie.lambert@example.com", "anne.rousseau@example.com", "FR-NORD"},
	{"rep-04", "Nicolas Petit", "nicolas.petit@example.com", "marc.olivier@example.com", "FR-OUEST"},
	{"rep-05", "Élodie Moreau", "elodie.moreau@example.com", "marc.olivier@example.com", "FR-SUD"},
	{"rep-06", "Thomas Girard", "thomas.girard@example.com", "anne.rousseau@example.com", "FR-EST"},
	{"rep-07", "Lucas Peeters", "lucas.peeters@example.com", "karen.schmidt@example.com", "BE"},
	{"rep-08", "Emma Clarke", "emma.clarke@example.com", "karen.schmidt@example.com", "UK"},
}

// repFor is the rep owning a partner: Paris and the inner suburbs (75, 92, 93, 94) are
// rep-01's, the outer ones rep-02's; Switzerland is rep-07's.
func repFor(territory, postcode string) string {
	switch territory {
	case "FR-IDF":
		switch postcode[:2] {
		case "75", "92", "93", "94":
			return "rep-01"
		}
		return "rep-02"
	case "CH":
		return "rep-07"
	}
	for _, r := range reps {
		if r.territory == territory {
			return r.id
		}
	}
	panic("demo: no rep for territory " + territory)
}

// newPartners builds the channel database. A partner is now and then a second
// establishment of the one before it: same company, name and VAT number, another SIRET
// and town, which only the SIRET or the postcode tell apart.
func newPartners(seed uint64, n int, names, sirens map[string]bool) []*party {
	ps := make([]*party, n)
	quota := territoryQuota(seed, n)
	for i := range ps {
		r := stream(seed, "partner", i)
		var p *party
		if prev := last(ps[:i]); prev != nil && prev.country == "FR" && prev.site == 1 && chance(r, 0.015) {
			p = secondSite(r, prev)
		} else {
			p = newParty(r, territories[quota[i]], frSurnames, names, sirens)
		}
		p.index, p.listed, p.id = i, true, fmt.Sprintf("P%05d", 10001+i)
		p.list(r)
		ps[i] = p
	}
	return ps
}

// territoryQuota is the territory (index) of each of n partners: each territory gets its
// weight's share of n, the remainder going to the first ones, in an order drawn from seed.
func territoryQuota(seed uint64, n int) []int {
	var slots []int
	for i, t := range territories {
		for range int(t.weight*float64(n) + 1e-9) {
			slots = append(slots, i)
		}
	}
	for i := 0; len(slots) < n; i++ {
		slots = append(slots, i)
	}
	r := stream(seed, "territories", 0)
	r.Shuffle(len(slots), func(i, j int) { slots[i], slots[j] = slots[j], slots[i] })
	return slots
}

// newUnlisted builds n French resellers that distributors report and the channel
// database does not list.
func newUnlisted(seed uint64, n int, names, sirens map[string]bool) []*party {
	ps := make([]*party, n)
	for i := range ps {
		r := stream(seed, "unlisted", i)
		ps[i] = newParty(r, territories[weighted(r, territoryWeights()[:5])], unlistedSurnames, names, sirens)
		ps[i].index = i
		ps[i].list(r)
	}
	return ps
}

func last(ps []*party) *party {
	if len(ps) == 0 {
		return nil
	}
	return ps[len(ps)-1]
}

// newParty draws a company in territory t; names and sirens hold those already taken.
func newParty(r *rand.Rand, t territory, surnames []string, names, sirens map[string]bool) *party {
	pl := pick(r, t.places)
	p := &party{
		site: 1, city: pl.city, postcode: pl.postcode, region: pl.region,
		territory: t.code, country: t.country,
		trade: &trades[weighted(r, tradeWeights())],
	}
	patterns, forms := p.trade.fr, frForms
	switch t.country {
	case "BE":
		patterns, forms, surnames = p.trade.be, beForms, beSurnames
	case "CH":
		patterns, forms, surnames = p.trade.ch, chForms, chSurnames
	case "GB":
		patterns, forms, surnames = p.trade.uk, []string{"Ltd"}, ukSurnames
	}
	if t.country == "FR" {
		p.form = frForms[weighted(r, frFormWeights)]
		p.formFirst = chance(r, 0.5)
	} else {
		p.form = pick(r, forms)
	}
	for try := 0; ; try++ {
		p.core = fmt.Sprintf(pick(r, patterns), pick(r, surnames))
		if try >= 20 {
			p.core += " " + p.city
		}
		if try >= 40 {
			p.core += fmt.Sprintf(" %d", try)
		}
		if p.setName(); !names[strings.ToUpper(ascii(p.core))] {
			break
		}
	}
	names[strings.ToUpper(ascii(p.core))] = true

	switch t.country {
	case "FR":
		for p.siren == "" || sirens[p.siren] {
			p.siren = newSIREN(r)
		}
		sirens[p.siren] = true
		p.siret, p.vat = siretOf(p.siren, 1), frVAT(p.siren)
	case "BE":
		p.vat = beVAT(r)
	case "CH":
		p.vat = chUID(r)
	case "GB":
		p.vat = ukVAT(r)
	}
	p.vatPrinted = printedVAT(r, p.vat, p.country, p.region)
	p.address = newAddress(r, t.country)
	return p
}

func (p *party) setName() {
	if p.formFirst {
		p.name = p.form + " " + p.core
	} else {
		p.name = p.core + " " + p.form
	}
}

// secondSite is another establishment of prev's company, in another town of its territory.
func secondSite(r *rand.Rand, prev *party) *party {
	p := *prev
	p.site = prev.site + 1
	p.siret = siretOf(p.siren, p.site)
	for p.city == prev.city {
		t := territoryByCode(p.territory)
		pl := pick(r, t.places)
		p.city, p.postcode, p.region = pl.city, pl.postcode, pl.region
	}
	p.address = newAddress(r, p.country)
	p.multiSite, prev.multiSite = true, true
	// A SIREN alone would not tell the two apart: both are listed with their SIRET.
	p.registration, prev.registration = p.siret, prev.siret
	return &p
}

func territoryByCode(code string) territory {
	for _, t := range territories {
		if t.code == code {
			return t
		}
	}
	panic("demo: unknown territory " + code)
}

func tradeWeights() []float64 {
	w := make([]float64, len(trades))
	for i, t := range trades {
		w[i] = t.weight
	}
	return w
}

func newAddress(r *rand.Rand, country string) string {
	n := between(r, 1, 180)
	switch country {
	case "FR":
		switch {
		case chance(r, 0.2):
			return pick(r, frZones)
		case chance(r, 0.3):
			return fmt.Sprintf("%d, %s", n, pick(r, frStreets))
		}
		return fmt.Sprintf("%d %s", n, pick(r, frStreets))
	case "BE":
		return fmt.Sprintf("%s %d", pick(r, beStreets), n)
	case "CH":
		return fmt.Sprintf("%s %d", pick(r, chStreets), n)
	}
	return fmt.Sprintf("%d %s", n, pick(r, ukStreets))
}

// list draws what the channel database knows of p besides its identity: which
// registration and VAT it lists, the potential, the size, the rep, and the commercial
// terms distributors give it.
func (p *party) list(r *rand.Rand) {
	if p.country == "FR" && p.registration == "" {
		switch u := r.Float64(); {
		case u < 0.5:
			p.registration = p.siret
		case u < 0.85:
			p.registration = p.siren
		}
	}
	pVAT := 0.85
	if p.country == "FR" {
		pVAT = 0.75
	}
	p.vatListed = chance(r, pVAT)
	p.potential = math.Round(logNormal(r, 35_000, 1, 5_000, 500_000)/100) * 100
	switch size := p.potential * uniform(r, 0.7, 1.3); {
	case size < 20_000:
		p.sizeBand = "1-9"
	case size < 80_000:
		p.sizeBand = "10-49"
	case size < 250_000:
		p.sizeBand = "50-249"
	default:
		p.sizeBand = "250+"
	}
	p.rep = repFor(p.territory, p.postcode)
	p.discount = uniform(r, 0, 0.15)
	p.currency = "EUR"
	switch p.country {
	case "CH":
		p.currency = "CHF"
	case "GB":
		p.currency = "GBP"
	}
	if p.currency != "EUR" && chance(r, 0.25) {
		p.currency = "USD" // international accounts invoiced in dollars
	}
}
