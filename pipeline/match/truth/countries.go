package truth

import (
	"strconv"
	"strings"
	"sync"
)

// country is one country of the generated world.
type country struct {
	code, iso3 string
	names      []string // how distributors spell it besides the ISO code: "France", "FRANCE"
	weight     float64  // share of the channel database
	cities     []*city
	surnames   []string
	near       [][2]string // near-identical surnames, for decoys
	forms      []*legalForm
	noForm     float64 // share of companies without a legal form (sole traders)
	chains     []chain
	regionLen  int // postcode prefix length that makes a region (département, province...)
}

// chain is a retail or trade chain whose branches are distinct companies of the channel
// database with the same name.
type chain struct {
	brand  string
	trade  string
	weight float64
}

// chains parses "Brand:trade:weight" specs.
func chains(specs ...string) []chain {
	out := make([]chain, len(specs))
	for i, s := range specs {
		f := strings.Split(s, ":")
		w, _ := strconv.ParseFloat(f[2], 64)
		out[i] = chain{brand: f[0], trade: f[1], weight: w}
	}
	return out
}

// region is the part of a postcode that names a region: two companies of one region are
// near enough for a move; an absent look-alike sits in another region.
func (c *country) region(postcode string) string {
	pc := strings.ReplaceAll(postcode, " ", "")
	if c.regionLen <= 0 {
		return leadingLetters(pc)
	}
	return pc[:min(c.regionLen, len(pc))]
}

// leadingLetters returns the letters a British postcode area starts with.
func leadingLetters(s string) string {
	for i, r := range s {
		if r >= '0' && r <= '9' {
			return s[:i]
		}
	}
	return s
}

var (
	worldOnce    sync.Once
	allCountries []*country
)

// countries returns the static part of the world: countries, cities and vocabulary.
func countries() []*country {
	worldOnce.Do(func() {
		langs := map[string]*language{"fr": langFR, "de": langDE, "en": langEN, "us": langUS, "nl": langNL,
			"es": langES, "it": langIT}
		def := func(code, iso3, names string, weight float64, langCode, cities string, surnames []string,
			near [][2]string, forms []*legalForm, noForm float64, regionLen int, ch []chain) *country {
			co := &country{code: code, iso3: iso3, names: strings.Split(names, ","), weight: weight, surnames: surnames,
				near: near, forms: forms, noForm: noForm, regionLen: regionLen, chains: ch}
			co.cities = parseCities(co, cities, langCode, langs)
			return co
		}
		allCountries = []*country{
			def("FR", "FRA", "France,FRANCE", 60, "fr", citiesFR, surnamesFR, nearFR, formsFR, 0.22, 2, chains(
				"Bricomarché:diy:3", "Mr.Bricolage:diy:2", "Weldom:diy:2", "Point S:garage:2", "Gamm vert:garden:2",
				"Cedeo:plumbing:2", "Point.P:building:2", "Yesss Électrique:elec:2", "Culture Vélo:bike:1",
				"Bureau Vallée:it:1")),
			def("DE", "DEU", "Deutschland,Germany,ALLEMAGNE", 8, "de", citiesDE, surnamesDE, nearDE, formsDE, 0.12, 2, chains(
				"hagebaumarkt:diy:2", "toom Baumarkt:diy:2", "Zweirad-Center Stadler:bike:1", "Dehner Garten-Center:garden:1",
				"Euronics:it:1")),
			def("GB", "GBR", "United Kingdom,UK,Royaume-Uni", 7, "en", citiesGB, surnamesGB, nearEN, formsGB, 0.2, 0, chains(
				"Screwfix:hardware:2", "Toolstation:hardware:2", "Halfords:bike:1", "City Electrical Factors:elec:2",
				"Travis Perkins:building:1", "Wickes:diy:1")),
			def("US", "USA", "United States,USA,Etats-Unis", 4, "us", citiesUS, surnamesUS, nearEN, formsUS, 0.18, 3, chains(
				"Ace Hardware:hardware:2", "True Value:hardware:1", "Graybar:elec:1")),
			def("NL", "NLD", "Nederland,Netherlands,PAYS-BAS", 4, "nl", citiesNL, surnamesNL, nearNL, formsNL, 0.2, 2, chains(
				"Gamma:diy:2", "Karwei:diy:1", "Praxis:diy:1")),
			def("BE", "BEL", "Belgique,België,Belgium,BELGIQUE", 5, "fr", citiesBE, surnamesBE, nearBE, formsBE, 0.15, 1, chains(
				"Brico:diy:2", "Hubo:diy:2", "Mr.Bricolage:diy:1")),
			def("ES", "ESP", "España,Spain,ESPAGNE", 4, "es", citiesES, surnamesES, nearES, formsES, 0.15, 2, chains(
				"Bricomart:diy:1", "BricoKing:diy:1", "Cadena 88:hardware:2")),
			def("IT", "ITA", "Italia,Italy,ITALIE", 4, "it", citiesIT, surnamesIT, nearIT, formsIT, 0.15, 2, chains(
				"Brico io:diy:2", "Bricocenter:diy:1")),
			def("CH", "CHE", "Schweiz,Suisse,Switzerland,SUISSE", 2, "de", citiesCH, surnamesCH, nearCH, formsCH, 0.15, 1, chains(
				"Jumbo:diy:1", "Landi:garden:2")),
			def("CA", "CAN", "Canada,CANADA", 1.5, "us", citiesCA, surnamesCA, nearCA, formsCA, 0.2, 1, chains(
				"Home Hardware:hardware:2", "RONA:diy:1", "Canac:diy:1")),
			def("AU", "AUS", "Australia,AUSTRALIE", 1.5, "en", citiesAU, surnamesAU, nearEN, formsAU, 0.15, 1, chains(
				"Bunnings Warehouse:hardware:2", "Mitre 10:hardware:1", "Total Tools:hardware:1")),
		}
	})
	return allCountries
}
