package linkage

import (
	"slices"
	"strings"

	"github.com/salesout/salesout/pipeline/match/norm"
)

// record is a company or a reseller normalised once for comparison.
type record struct {
	country     string
	full        norm.Name // the name as written, normalised
	name        norm.Name // its core: without the words of its own town (see coreName)
	words       []word    // the distinct words of the core name
	fullWords   []word    // the distinct words of the full name, when it differs from the core
	city        string
	cityWords   []string // the words of the town, normalised as a name
	pc          string   // canonical postcode
	pcArea      string
	number      string // house number
	street      string // street, spelled out
	streetKey   string // street words without fillers, joined
	streetWords []string
	keys        identity
	logTFFloor  float64 // companies only: see Index.floorTF
	tf          placeTF // companies only
}

// placeTF holds the term frequencies of the values of a company: ln of the share of
// the companies of its country with its legal form, in its postcode, in its town, and
// ln of the share of all companies in its country.
type placeTF struct{ legal, postcode, city, country float64 }

// word is a word of a name with its dictionary id (-1 when no company has it), its
// phonetic key, and ln of its document frequency among company names (see docFreq)
// with the inverse document frequency that weighs it in the token-set similarity.
type word struct {
	s     string
	id    int32
	ph    string
	logDF float64
	idf   float64
}

// identity holds the identifiers of a record, each in its comparable form.
type identity struct {
	reg string // norm.RegistrationDigits, prefixed by country
	// regFromVAT: reg was read from the VAT number (a Belgian or Dutch VAT number holds
	// the registration number), so an equal VAT says it best.
	regFromVAT bool
	vat        string // VAT number with its country prefix
	siren      string // SIREN carried by a SIREN, a SIRET or a French VAT number
}

func (k identity) empty() bool { return k.reg == "" && k.vat == "" && k.siren == "" }

// agree says whether two identities share an identifier.
func (k identity) agree(o identity) bool {
	return k.reg != "" && k.reg == o.reg || k.vat != "" && k.vat == o.vat || k.siren != "" && k.siren == o.siren
}

// prepare normalises the fields of a company or a reseller. The country is read from
// the country field, else from the prefix of a VAT number.
func prepare(name, registration, vat, address, postcode, city, country string) record {
	cc := norm.Country(country)
	if cc == "" {
		if id := norm.ParseID(vat, ""); id.Kind == norm.KindVAT {
			cc = id.Country
		}
	}
	r := record{country: cc, full: norm.ParseName(name, cc)}
	r.setTown(norm.City(city))
	r.pc, _ = norm.Postcode(postcode, cc)
	r.pcArea = norm.PostcodeArea(r.pc, cc)
	a := norm.ParseAddress(address, cc)
	r.number, r.street, r.streetWords, r.streetKey = a.Number, a.Street, a.Tokens, strings.Join(a.Tokens, " ")
	r.keys = identify(registration, vat, cc)
	return r
}

// setTown sets the (normalised) town of a record and the core of its name.
func (r *record) setTown(city string) {
	r.city = city
	r.cityWords = norm.ParseName(city, r.country).Tokens
	r.name = coreName(r.full, r.cityWords)
}

// vatIsRegistration are the countries whose VAT number is the company's registration
// number behind the country prefix (partita IVA, numéro d'entreprise, CIF, UID, NIF,
// CVR): a registration column and a VAT column then name the same company.
var vatIsRegistration = map[string]bool{"IT": true, "BE": true, "ES": true, "CH": true, "PT": true, "DK": true}

// identify reads the registration and VAT columns, either of which may hold either
// kind of number.
func identify(registration, vat, country string) identity {
	var k identity
	for _, id := range []norm.ID{norm.ParseID(registration, country), norm.ParseVAT(vat, country)} {
		switch id.Kind {
		case norm.KindVAT:
			if k.vat == "" {
				k.vat = id.Value
			}
			body := id.Value[2:]
			if id.Country == "CH" {
				body = id.Value[3:] // CHE
			}
			if k.reg == "" && (vatIsRegistration[id.Country] || id.Country == "AU") {
				// an Australian ABN is the company's ACN behind two check digits
				if d := norm.RegistrationDigits(body, id.Country); d != "" {
					k.reg, k.regFromVAT = id.Country+":"+d, true
				}
			}
		case norm.KindSIREN, norm.KindSIRET, norm.KindNumber:
			if k.reg == "" {
				cc := country
				if id.Country != "" {
					cc = id.Country // a SIREN or SIRET is French
				}
				if d := norm.RegistrationDigits(id.Value, cc); d != "" {
					k.reg = cc + ":" + d // ":digits" when the country is unknown
				}
			}
		}
		if s := id.SIREN(); s != "" && k.siren == "" {
			k.siren = s
		}
	}
	return k
}

// coreName removes from a name the words of its town, where they follow each other in
// it ("Point.P - Épinal" in Épinal, "Bricomarché Vaux-le-Château") or end it cut short
// by a legacy field ("Garage de Saint-Germain-la-Gar" in Saint-Germain-la-Garenne),
// unless nothing else would remain: the town is compared by the postcode and city
// comparisons, and counting it again in the name would make every company named after
// its town look like every reseller of that town.
func coreName(n norm.Name, town []string) norm.Name {
	if len(town) == 0 || len(n.Tokens) < 2 {
		return n
	}
	cut := func(from, to int) norm.Name {
		core := n
		core.Tokens = append(append([]string{}, n.Tokens[:from]...), n.Tokens[to:]...)
		core.Full = strings.Join(core.Tokens, " ")
		return core
	}
	if len(town) < len(n.Tokens) {
		for i := 0; i+len(town) <= len(n.Tokens); i++ {
			if slices.Equal(n.Tokens[i:i+len(town)], town) {
				return cut(i, i+len(town))
			}
		}
	}
	whole := strings.Join(town, " ")
	for k := 1; k < len(n.Tokens); k++ {
		tail := strings.Join(n.Tokens[len(n.Tokens)-k:], " ")
		if len(tail) >= 5 && len(tail) < len(whole) && strings.HasPrefix(whole, tail) {
			return cut(len(n.Tokens)-k, len(n.Tokens))
		}
	}
	return n
}

// prepareResellers normalises the resellers. A reseller whose country is not written
// (nor told by a VAT prefix) takes the one country of the channel database where its
// postcode and town are found, so that its legal form, postcode and address are read
// the way of that country; one without a town takes the town of its postcode when
// every company of the postcode is in the same town.
func (ix *Index) prepareResellers(resellers []Reseller, workers int) []record {
	recs := make([]record, len(resellers))
	parallelFor(len(resellers), workers, func(_, i int) {
		r := resellers[i]
		recs[i] = prepare(r.Name, r.Registration, r.VAT, r.Address, r.Postcode, r.City, r.Country)
		if recs[i].country == "" {
			if cc := ix.placeCountry(r.Postcode, recs[i].city); cc != "" {
				recs[i] = prepare(r.Name, r.Registration, r.VAT, r.Address, r.Postcode, r.City, cc)
			}
		}
		if recs[i].city == "" && recs[i].pc != "" {
			if town := ix.postcodeTown(recs[i].country, recs[i].pc); town != "" {
				recs[i].setTown(town)
			}
		}
		ix.lookupWords(&recs[i])
	})
	return recs
}

// postcodeTown returns the town of every company of a postcode, "" when they are in
// several towns or there is none.
func (ix *Index) postcodeTown(country, pc string) string {
	town := ""
	for _, c := range ix.byPostcode[placeKey(country, pc)] {
		switch t := ix.recs[c].city; {
		case t == "" || t == town:
		case town == "":
			town = t
		default:
			return ""
		}
	}
	return town
}

// placeCountry returns the one country of the index having companies in that postcode
// and town (or, when that finds none or several, in that postcode, or in that town);
// "" when the place does not tell.
func (ix *Index) placeCountry(postcode, city string) string {
	var both, byPC, byCity []string
	for _, cc := range ix.countries {
		pc, ok := norm.Postcode(postcode, cc)
		inPC := ok && len(ix.byPostcode[placeKey(cc, pc)]) > 0
		inCity := city != "" && len(ix.byCity[placeKey(cc, city)]) > 0
		if inPC && inCity {
			both = append(both, cc)
		}
		if inPC {
			byPC = append(byPC, cc)
		}
		if inCity {
			byCity = append(byCity, cc)
		}
	}
	for _, found := range [][]string{both, byPC, byCity} {
		if len(found) == 1 {
			return found[0]
		}
	}
	return ""
}

// placeKey keys the blocks and the exact-name lookups by country.
func placeKey(country, value string) string { return country + "|" + value }
