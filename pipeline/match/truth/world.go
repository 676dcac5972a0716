package truth

import (
	"math"
	"slices"
	"strings"
)

// trade is a kind of business and its weight in the channel database.
type trade struct {
	code   string
	weight float64
}

// trades a company of the channel database can be in: electricians first (the
// manufacturer sells through installers), then the other trades.
var trades = []trade{
	{"elec", 24}, {"plumbing", 12}, {"hardware", 11}, {"diy", 10}, {"it", 12}, {"garden", 7}, {"bike", 6},
	{"building", 7}, {"garage", 5}, {"paint", 6},
}

// firmKind tells which part of the world a company was made for.
type firmKind int

const (
	kindPlain firmKind = iota // an ordinary company, unique name in its town
	kindChain                 // one branch of a chain
	kindDecoy                 // one of two near-identical companies of a town
)

// Where a legal form appears in the channel database's name.
const (
	formHidden = iota // not printed
	formBefore        // "SARL Dupont Électricité"
	formAfter         // "Dupont Électricité SARL"
)

// firm is a company of the generated world, in the channel database (id set) or not.
type firm struct {
	id        string
	co        *country
	city      *city
	lang      *language
	trade     string
	surname   string
	parts     []string // the name without legal form, in parts clerks may swap
	swappable bool
	core      string // parts joined
	form      *legalForm
	formPos   int
	name      string // as the channel database prints it
	address   string
	postcode  string
	regFull   string // every identifier of the company, even those the channel database lacks
	vatFull   string
	siret     string
	reg, vat  string // identifiers as the channel database prints them
	kind      firmKind
	chain     *chain
	twin      *firm // decoys: the near-identical neighbour
	twinForm  bool  // decoys: the pair differs by the legal form only
	key       string
}

// place is a town and one of its postcodes.
type place struct {
	city     *city
	postcode string
}

// world is the generated world: the channel database, the companies absent from it and
// the indexes that keep names and addresses unambiguous.
type world struct {
	firms    []*firm // the channel database
	shadows  []*firm // companies absent from it
	places   map[*country][]place
	cum      map[*country]cumulative
	usedIDs  map[string]bool
	towns    map[string]map[string]int // town id → name key → companies (database and absent)
	national map[nationalKey]int       // name key in a country → companies of the channel database
	addrs    map[addressKey]bool
	byPC     map[postcodeKey][]*firm // companies of the channel database per postcode
	withCity map[string]bool         // chain brand → the database adds the town to the name
}

// newWorld builds the channel database: chain branches, decoy pairs and ordinary
// companies, spread over the countries by weight.
func newWorld(r *rng, companies, resellers int) *world {
	size := companies + resellers
	w := &world{places: map[*country][]place{}, cum: map[*country]cumulative{}, usedIDs: make(map[string]bool, 2*size),
		towns: map[string]map[string]int{}, national: make(map[nationalKey]int, companies), addrs: make(map[addressKey]bool, size),
		byPC: map[postcodeKey][]*firm{}, withCity: map[string]bool{}, firms: make([]*firm, 0, companies)}
	cos := countries()
	counts := apportion(companies, cos, func(c *country) float64 { return c.weight })
	for i, co := range cos {
		w.buildPlaces(r, co, counts[i])
	}
	branches := min(max(companies*4/100, resellers*9/100), companies/6)
	pairs := min(max(companies*2/100, resellers*8/100), companies/8)
	for i, co := range cos {
		share := float64(counts[i]) / float64(max(companies, 1))
		nb, np := int(math.Round(float64(branches)*share)), int(math.Round(float64(pairs)*share))
		nb, np = min(nb, counts[i]/3), min(np, counts[i]/6)
		made := w.genChains(r, co, nb) + w.genDecoys(r, co, np)
		for n := counts[i] - made; n > 0; n-- {
			w.genPlain(r, co)
		}
	}
	for _, f := range w.firms {
		w.assignIDs(r, f)
		w.printIDs(r, f)
	}
	shuffle(r, w.firms)
	for i, f := range w.firms {
		f.id = "CB" + pad(i+100001, 7)
	}
	for _, f := range w.firms {
		k := postcodeKey{f.co.code, f.postcode}
		w.byPC[k] = append(w.byPC[k], f)
	}
	return w
}

// apportion splits total over items by weight (largest remainder).
func apportion[T any](total int, items []T, weight func(T) float64) []int {
	sum := 0.0
	for _, it := range items {
		sum += weight(it)
	}
	out := make([]int, len(items))
	rest := total
	type rem struct {
		i int
		f float64
	}
	var rems []rem
	for i, it := range items {
		x := float64(total) * weight(it) / sum
		out[i] = int(x)
		rest -= out[i]
		rems = append(rems, rem{i, x - float64(out[i])})
	}
	slices.SortStableFunc(rems, func(a, b rem) int {
		switch {
		case a.f > b.f:
			return -1
		case a.f < b.f:
			return 1
		}
		return 0
	})
	for k := 0; k < rest; k++ {
		out[rems[k%len(rems)].i]++
	}
	return out
}

// newFirm starts a company at a place, with a language and a trade.
func (w *world) newFirm(r *rng, co *country, pl place, kind firmKind) *firm {
	f := &firm{co: co, city: pl.city, postcode: pl.postcode, kind: kind, lang: pl.city.langs[0]}
	if len(pl.city.langs) > 1 && r.chance(0.35) {
		f.lang = pick(r, pl.city.langs[1:])
	}
	f.trade = weightedPick(r, trades, func(t trade) float64 { return t.weight }).code
	f.postcode = completePostcode(r, co, pl.postcode)
	return f
}

// genPlain adds an ordinary company with a name unique in its town.
func (w *world) genPlain(r *rng, co *country) {
	for {
		f := w.newFirm(r, co, w.pickPlace(r, co), kindPlain)
		if w.nameFirm(r, f, nil) {
			w.finish(r, f, true)
			return
		}
	}
}

// postcodeKey indexes a postcode of a country.
type postcodeKey struct{ country, postcode string }

// nationalKey indexes a name key in a country.
type nationalKey struct{ country, key string }

// addressKey indexes an address at a postcode.
type addressKey struct{ country, postcode, address string }

// town returns the name keys of f's town (towns of one name in one country count as one)
// with the number of companies, in the channel database or not, that use each.
func (w *world) town(f *firm) map[string]int {
	t := w.towns[f.city.id]
	if t == nil {
		t = map[string]int{}
		w.towns[f.city.id] = t
	}
	return t
}

// nameFirm gives f a name of its trade that no company of its town has yet; only
// templates accepted by filter are used. It reports false if it found none.
func (w *world) nameFirm(r *rng, f *firm, filter func(template) bool) bool {
	tpls := f.lang.templates[f.trade]
	for try := 0; try < 40; try++ {
		t := pick(r, tpls)
		if filter != nil && !filter(t) {
			continue
		}
		surname := pick(r, f.co.surnames)
		parts, swappable := w.fill(r, f, t, surname, filter == nil && (r.chance(0.22) || try > 20))
		core := strings.Join(parts, " ")
		if key := canonKey(core); w.town(f)[key] == 0 {
			if !strings.Contains(strings.Join(t.parts, ""), "{S}") {
				surname = "" // the name does not carry a surname
			}
			f.surname, f.parts, f.swappable, f.core, f.key = surname, parts, swappable, core, key
			return true
		}
	}
	return false
}

// fill instantiates a template; decorate adds "Ets", "et Fils", "& Martin"... around the
// surname.
func (w *world) fill(r *rng, f *firm, t template, surname string, decorate bool) ([]string, bool) {
	parts := slices.Clone(t.parts)
	swappable := t.swappable
	for i, p := range parts {
		if p == "{S}" && decorate {
			if i == 0 && len(f.lang.prefixes) > 0 && r.chance(0.45) {
				p = pick(r, f.lang.prefixes) + " {S}"
				swappable = false
			} else {
				suffix := pick(r, f.lang.suffixes)
				for strings.HasPrefix(suffix, "~") && i < len(parts)-1 {
					suffix = pick(r, f.lang.suffixes)
				}
				p = "{S} " + strings.TrimPrefix(suffix, "~")
			}
		}
		if !strings.Contains(p, "{") {
			continue
		}
		if strings.Contains(p, "{S2}") {
			s2 := pick(r, f.co.surnames)
			for s2 == surname {
				s2 = pick(r, f.co.surnames)
			}
			p = strings.ReplaceAll(p, "{S2}", s2)
		}
		p = strings.ReplaceAll(p, "{S}", surname)
		if strings.Contains(p, "{dC}") {
			p = strings.ReplaceAll(p, "{dC}", f.lang.ofCity(f.city.name))
		}
		p = strings.ReplaceAll(p, "{C}", f.city.name)
		if strings.Contains(p, "{A}") {
			p = strings.ReplaceAll(p, "{A}", acronym(r))
		}
		if strings.Contains(p, "{P}") {
			p = strings.ReplaceAll(p, "{P}", pick(r, append(slices.Clone(f.lang.places), f.lang.ofCity(f.city.name))))
		}
		parts[i] = p
	}
	return parts, swappable
}

// acronym returns two or three capital letters ("MTB", "JL").
func acronym(r *rng) string {
	const letters = "ABCDEFGHJKLMNPRSTVW"
	n := r.between(2, 3)
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[r.intn(len(letters))]
	}
	return string(b)
}

// tradeWord is the main word of a trade in a language ("Électricité", "Eisenwaren").
func tradeWord(l *language, trade string) string {
	for _, t := range l.templates[trade] {
		for _, p := range t.parts {
			if !strings.Contains(p, "{") {
				return p
			}
		}
	}
	return ""
}

// pickForm picks a legal form of the company's country and language (nil: none).
func pickForm(r *rng, f *firm) *legalForm {
	if r.chance(f.co.noForm) {
		return nil
	}
	var forms []*legalForm
	for _, lf := range f.co.forms {
		if lf.lang == "" || lf.lang == f.lang.code {
			forms = append(forms, lf)
		}
	}
	return weightedPick(r, forms, func(lf *legalForm) float64 { return lf.weight })
}

// withForm writes a name with a legal form before or after it.
func withForm(core, form string, before bool) string {
	if form == "" {
		return core
	}
	if before {
		return form + " " + core
	}
	return core + " " + form
}

// finish gives f a legal form (unless set), its printed name and an address, and
// registers it.
func (w *world) finish(r *rng, f *firm, inDB bool) {
	if f.form == nil && f.kind != kindDecoy {
		f.form = pickForm(r, f)
	}
	if f.name == "" {
		f.formPos = formHidden
		if f.form != nil && r.chance(0.8) {
			f.formPos = formAfter
			if f.form.prefix && r.chance(0.45) {
				f.formPos = formBefore
			}
		}
		f.name = f.core
		if f.formPos != formHidden {
			f.name = withForm(f.core, f.form.short, f.formPos == formBefore)
		}
	}
	if f.address == "" {
		w.addressFirm(r, f)
	}
	w.register(f, inDB)
}

// register records a company's name and address so that no other takes them.
func (w *world) register(f *firm, inDB bool) {
	w.town(f)[f.key]++
	w.addrs[addrKey(f.co, f.postcode, f.address)] = true
	if inDB {
		w.national[nationalKey{f.co.code, f.key}]++
		w.firms = append(w.firms, f)
	} else {
		w.shadows = append(w.shadows, f)
	}
}

// addrKey indexes an address at a postcode of a country.
func addrKey(co *country, postcode, address string) addressKey {
	return addressKey{co.code, postcode, address}
}

// pad writes n with at least width digits.
func pad(n, width int) string {
	s := itoa(n)
	return strings.Repeat("0", max(0, width-len(s))) + s
}
