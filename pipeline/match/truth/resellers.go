package truth

import (
	"slices"
	"strings"
)

// Generate builds a corpus for a seed: a channel database of `companies` companies and
// `resellers` reseller rows spread over the cases (see README.md in
// testdata/matchtruth). The same arguments always give the same corpus, on any platform
// and Go release. Cases whose pool runs dry at small sizes give way to missing_ids rows.
func Generate(seed uint64, companies, resellers int) *Corpus {
	root := newRNG(seed)
	w := newWorld(root.fork(1), max(companies, 0), max(resellers, 0))
	g := newGen(w, root.fork(2))
	drafts := g.drafts(max(resellers, 0))
	c := &Corpus{Companies: make([]Company, len(w.firms)), Resellers: make([]Reseller, len(drafts))}
	for i, f := range w.firms {
		c.Companies[i] = Company{PartnerID: f.id, Name: f.name, Registration: f.reg, VAT: f.vat, Address: f.address,
			Postcode: f.postcode, City: f.city.name, Country: f.co.code}
	}
	slices.SortFunc(c.Companies, func(a, b Company) int { return strings.Compare(a.PartnerID, b.PartnerID) })
	for i, d := range drafts {
		c.Resellers[i] = g.finalize(d)
	}
	return c
}

// caseShare is the share of one case among the reseller rows.
type caseShare struct {
	name  string
	share float64
}

// caseShares lists the cases with their shares, in the order they are drawn.
var caseShares = []caseShare{
	{caseExactKey, 0.14}, {caseVariant, 0.125}, {caseLegalForm, 0.08}, {caseAbbreviation, 0.08},
	{caseMissingIDs, 0.09}, {caseDensePC, 0.07}, {caseDecoy, 0.07}, {caseChainBranch, 0.07}, {caseAbsent, 0.10},
	{caseRenamed, 0.06}, {caseMoved, 0.06}, {caseAmbiguous, 0.035},
}

// draft is a reseller row before the distributor writes it.
type draft struct {
	kase                                        string
	f                                           *firm // the company the row stands for
	truth                                       string
	name, reg, vat, address, postcode, cityName string
	fresh                                       bool // needs an account number never used for f
}

// gen draws the reseller rows.
type gen struct {
	w        *world
	r        *rng
	pools    map[string]*pool
	order    []*firm // the channel database in the order pools walk it
	used     map[*firm]bool
	accounts map[accountKey]string
	numbers  map[string]bool    // distributor|account number
	branches map[string][]*firm // country|brand|city → branches
	brands   map[string][]*firm // country|brand → branches
	regions  map[string][]place // country|region → places
	// denseWords counts, for each dense postcode, the companies using each name word.
	denseWords map[postcodeKey]map[string]int
}

// accountKey is a company at a distributor, which gives it one account number.
type accountKey struct {
	dist string
	f    *firm
}

// newGen prepares the indexes the cases need: chain branches per town and per brand,
// places per region.
func newGen(w *world, r *rng) *gen {
	g := &gen{w: w, r: r, pools: map[string]*pool{}, used: map[*firm]bool{}, accounts: map[accountKey]string{},
		numbers: map[string]bool{}, branches: map[string][]*firm{}, brands: map[string][]*firm{},
		regions: map[string][]place{}, denseWords: map[postcodeKey]map[string]int{}}
	for _, f := range w.firms {
		if f.kind == kindChain {
			g.branches[f.co.code+"|"+f.chain.brand+"|"+f.city.name] = append(g.branches[f.co.code+"|"+f.chain.brand+"|"+f.city.name], f)
			g.brands[f.co.code+"|"+f.chain.brand] = append(g.brands[f.co.code+"|"+f.chain.brand], f)
		}
	}
	for co, places := range w.places {
		for _, pl := range places {
			k := co.code + "|" + co.region(pl.postcode)
			g.regions[k] = append(g.regions[k], pl)
		}
	}
	return g
}

// drafts draws n rows: each case's share, then rows of cases whose pools ran dry are
// replaced by missing_ids rows; the order is shuffled.
func (g *gen) drafts(n int) []draft {
	counts := apportion(n, caseShares, func(c caseShare) float64 { return c.share })
	makers := map[string]func() *draft{
		caseExactKey: g.exactKey, caseVariant: g.variant, caseLegalForm: g.legalForm, caseAbbreviation: g.abbreviation,
		caseMissingIDs: g.missingIDs, caseDensePC: g.densePostcode, caseDecoy: g.decoy, caseChainBranch: g.chainBranch,
		caseAbsent: g.absent, caseRenamed: g.renamed, caseMoved: g.moved, caseAmbiguous: g.ambiguous,
	}
	draw := func(name string) *draft {
		d := makers[name]()
		if d != nil {
			d.kase = name
		}
		return d
	}
	var out []draft
	for i, c := range caseShares {
		for k := 0; k < counts[i]; k++ {
			d := draw(c.name)
			for try := 0; d == nil && try < 5; try++ {
				d = draw(c.name)
			}
			if d == nil {
				d = draw(caseMissingIDs)
			}
			if d == nil {
				d = draw(caseAbsent)
			}
			if d != nil {
				out = append(out, *d)
			}
		}
	}
	shuffle(g.r, out)
	return out
}

// pool hands out the companies that fit one case, in a random order, testing them only
// when needed (the predicates can be costly and a case needs few of them). All pools walk
// one shuffled order of the channel database, each from its own random start. Once every
// fitting company was handed out, a pool hands them out again.
type pool struct {
	start, cur int
	accepted   []*firm
	reuse      int
}

// take returns the next company of the named pool that keep accepts and no other row
// used yet; when there is none left, one handed out before; nil if none fits.
func (g *gen) take(name string, keep func(*firm) bool) *firm { return g.takeNew(name, false, keep) }

// takeNew is take; with onlyNew set it returns nil rather than a company handed out before.
func (g *gen) takeNew(name string, onlyNew bool, keep func(*firm) bool) *firm {
	if g.order == nil {
		g.order = slices.Clone(g.w.firms)
		shuffle(g.r, g.order)
	}
	n := len(g.order)
	p, ok := g.pools[name]
	if !ok {
		p = &pool{start: g.r.intn(max(n, 1))}
		g.pools[name] = p
	}
	for p.cur < n {
		f := g.order[(p.start+p.cur)%n]
		p.cur++
		if !g.used[f] && keep(f) {
			g.used[f] = true
			p.accepted = append(p.accepted, f)
			return f
		}
	}
	if len(p.accepted) == 0 || onlyNew {
		return nil
	}
	p.reuse++
	return p.accepted[(p.reuse-1)%len(p.accepted)]
}

// row starts a draft for company f (of the channel database or absent from it).
func (g *gen) row(f *firm) *draft {
	return &draft{f: f, truth: f.id}
}

// located fills the address, postcode and town as the channel database has them, each
// present with the given probability, with the usual formatting noise.
func (g *gen) located(d *draft, pAddr, pPC, pCity float64) {
	r, f := g.r, d.f
	if r.chance(pAddr) {
		d.address = f.address
	}
	if r.chance(pPC) {
		d.postcode = postcodeText(r, f.co, f.postcode)
	}
	if r.chance(pCity) || d.postcode == "" {
		d.cityName = cityText(r, f.city, f.postcode)
	}
}

// postcodeText is a postcode as a distributor's file shows it: French ones lose their
// leading zero in spreadsheets, British and Dutch ones lose their space.
func postcodeText(r *rng, co *country, pc string) string {
	switch {
	case co.code == "FR" && strings.HasPrefix(pc, "0") && r.chance(0.3):
		return pc[1:]
	case strings.Contains(pc, " ") && r.chance(0.25):
		return strings.ReplaceAll(pc, " ", "")
	case co.code == "GB" && r.chance(0.05):
		return strings.ToLower(pc)
	}
	return pc
}

// cityText is a town as a distributor's file shows it: upper case without accents,
// "Saint" abbreviated, a CEDEX suffix, Paris with its arrondissement.
func cityText(r *rng, c *city, pc string) string {
	co, name, village := c.country, c.name, c.village
	switch {
	case name == "Paris" && r.chance(0.4):
		return pick(r, []string{"PARIS ", "Paris "}) + strings.TrimLeft(pc[3:], "0")
	case co.code == "FR" && !village && r.chance(0.04):
		return upperASCII(name) + " CEDEX"
	case strings.HasPrefix(name, "Saint") && r.chance(0.4):
		name = "St" + strings.TrimPrefix(name, "Saint")
	}
	if r.chance(0.35) {
		return upperASCII(name)
	}
	return name
}

// casing prints a name as it is, or in upper case without accents (legacy systems).
func casing(r *rng, s string, pUpper float64) string {
	if r.chance(pUpper) {
		return upperASCII(s)
	}
	return s
}

// distributor is a wholesaler sending sales-out feeds; each writes countries its own way
// and numbers its accounts its own way.
type distributor struct {
	code      string
	countries string
	upper     bool // a legacy system: everything in upper case without accents
	account   func(r *rng) string
	country   func(co *country) string
}

var distributors = []distributor{
	{code: "ACME", countries: "FR DE GB US NL BE ES IT CH CA AU", account: func(r *rng) string { return "C" + r.digits(7) },
		country: func(co *country) string { return co.code }},
	{code: "BRAVO", countries: "FR BE CH", upper: true, account: func(r *rng) string { return itoa(r.between(100000, 999999)) },
		country: func(co *country) string {
			if co.code == "FR" {
				return ""
			}
			return upperASCII(co.names[len(co.names)-1])
		}},
	{code: "CARGO", countries: "FR BE NL DE", account: func(r *rng) string { return "CG-" + r.digits(6) },
		country: func(co *country) string { return co.iso3 }},
	{code: "DELTA", countries: "DE CH NL BE IT", account: func(r *rng) string { return "D" + r.digits(5) + string(rune('A'+r.intn(26))) },
		country: func(co *country) string { return co.names[0] }},
	{code: "ECHO", countries: "GB US CA AU", account: func(r *rng) string { return "E-" + r.digits(8) },
		country: func(co *country) string { return co.names[0] }},
	{code: "FOXTROT", countries: "ES IT FR", account: func(r *rng) string { return "FX" + r.digits(6) },
		country: func(co *country) string { return co.code }},
}

// finalize picks the distributor that reports the row, its account number for the
// company, and writes the row the distributor's way.
func (g *gen) finalize(d draft) Reseller {
	r := g.r
	var serving []distributor
	for _, dist := range distributors {
		if strings.Contains(dist.countries, d.f.co.code) {
			serving = append(serving, dist)
		}
	}
	shuffle(r, serving)
	dist := serving[0]
	for _, s := range serving { // prefer a distributor that has not reported this company yet
		if _, seen := g.accounts[accountKey{s.code, d.f}]; !seen {
			dist = s
			break
		}
	}
	key := accountKey{dist.code, d.f}
	acct, ok := g.accounts[key]
	if !ok || d.fresh {
		for acct == "" || g.numbers[dist.code+"|"+acct] {
			acct = dist.account(r)
		}
		g.numbers[dist.code+"|"+acct] = true
		if !ok && !d.fresh {
			g.accounts[key] = acct
		}
	}
	row := Reseller{Case: d.kase, Distributor: dist.code, ResellerID: acct, Name: d.name, Registration: d.reg, VAT: d.vat,
		Address: d.address, Postcode: d.postcode, City: d.cityName, Country: dist.country(d.f.co), TruePartnerID: d.truth}
	if dist.upper {
		for _, s := range []*string{&row.Name, &row.Address, &row.Postcode, &row.City} {
			*s = upperASCII(*s)
		}
	}
	return row
}
