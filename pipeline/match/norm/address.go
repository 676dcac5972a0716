package norm

import (
	"strings"
)

// Address is a street address made comparable.
type Address struct {
	Number string   // house number with its suffix: "12", "12BIS", "7A"; "" if none
	Street string   // the street, street type spelled out: "RUE DE LA GARE", "HAUPT STRASSE"
	Tokens []string // the words of Street without filler words: [RUE GARE]
}

// ParseAddress normalises a street address line of country:
//   - the house number is the first number of the line (at the start as in France or
//     Britain, or after the street as in Germany, Spain or Italy), with its suffix
//     (bis, ter, quater, a, b...); a range "12-14" keeps 12; numbers of post-office
//     boxes (BP, CS, Postfach, PO Box...) are not house numbers and are dropped with
//     their box word;
//   - street types are spelled out (AV → AVENUE, BD → BOULEVARD, R → RUE, STR → STRASSE,
//     RD → ROAD, C → CALLE...), with the meaning of the country where an abbreviation
//     is ambiguous (AV is AVENIDA in Spain, ST is STREET at the end of a British or
//     American street and SAINT elsewhere);
//   - German and Dutch compounds are split before their street type (HAUPTSTRASSE and
//     HAUPTSTR. → HAUPT STRASSE, KERKSTRAAT → KERK STRAAT).
func ParseAddress(raw, country string) Address {
	words := Tokens(raw)
	var a Address
	var street []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if boxWords[w] {
			// the box word and the number after it
			if i+1 < len(words) && words[i+1] == "BOX" {
				i++
			}
			if i+1 < len(words) && isDigits(words[i+1]) {
				i++
			}
			continue
		}
		if a.Number == "" {
			if n, used := houseNumber(words[i:], country); used > 0 {
				a.Number = n
				i += used - 1
				continue
			}
		}
		street = append(street, w)
	}
	street = spellStreet(street, country)
	a.Street = strings.Join(street, " ")
	for _, w := range street {
		if !fillers[w] {
			a.Tokens = append(a.Tokens, w)
		}
	}
	return a
}

// boxWords introduce a post-office box or a sorting code, not a house number.
var boxWords = map[string]bool{"BP": true, "CS": true, "TSA": true, "CEDEX": true, "POSTFACH": true,
	"PO": true, "POB": true, "APARTADO": true, "CP": true, "CASELLA": true, "POSTBUS": true}

// numberSuffixes follow a house number as a separate word.
var numberSuffixes = map[string]string{"BIS": "BIS", "B": "B", "TER": "TER", "T": "TER", "QUATER": "QUATER",
	"Q": "QUATER", "A": "A", "C": "C", "D": "D"}

// houseNumber reads a house number at the start of words: a word of 1 to 5 digits, an
// optional letter glued to it ("12B") or a suffix word ("12 BIS"), and an optional
// second number of a range ("12 14", from "12-14"), which is skipped. It returns the
// number and how many words it used.
func houseNumber(words []string, country string) (string, int) {
	w := words[0]
	digits := leadingDigits(w)
	if digits == 0 || digits > 5 {
		return "", 0
	}
	num, rest := w[:digits], w[digits:]
	num = strings.TrimLeft(num, "0")
	if num == "" {
		return "", 0
	}
	switch rest {
	case "":
	case "BIS", "TER", "QUATER":
		num += rest
	default:
		if len(rest) != 1 {
			return "", 0
		}
		num += rest
	}
	used := 1
	if rest == "" && len(words) > 1 {
		if sfx, ok := numberSuffixes[words[1]]; ok && !isLocalStreetType(words[1], country) {
			num += sfx
			used++
		}
	}
	if len(words) > used && isDigits(words[used]) && len(words[used]) <= digits+1 {
		used++ // "12 14" written 12-14: the range end
	}
	return num, used
}

// isLocalStreetType says whether a one-letter word is a street type in country (R for
// rue, C for calle, V for via) rather than a house number suffix.
func isLocalStreetType(w, country string) bool { return streetTypesByCountry[country][w] != "" }

func leadingDigits(w string) int {
	n := 0
	for n < len(w) && w[n] >= '0' && w[n] <= '9' {
		n++
	}
	return n
}

func isDigits(w string) bool { return w != "" && leadingDigits(w) == len(w) }

// streetTypes are the spellings of street types understood in every country.
var streetTypes = map[string]string{}

// streetTypesByCountry are the spellings whose meaning depends on the country; they
// take precedence over streetTypes.
var streetTypesByCountry = map[string]map[string]string{
	"FR": {"R": "RUE", "AV": "AVENUE", "CH": "CHEMIN", "PL": "PLACE", "ST": "SAINT", "STE": "SAINTE", "CRS": "COURS"},
	"BE": {"R": "RUE", "AV": "AVENUE", "CH": "CHEMIN", "PL": "PLACE", "ST": "SAINT", "STE": "SAINTE"},
	"LU": {"R": "RUE", "AV": "AVENUE", "PL": "PLACE", "ST": "SAINT"},
	"CH": {"R": "RUE", "AV": "AVENUE", "CH": "CHEMIN", "PL": "PLATZ", "ST": "SANKT", "STR": "STRASSE"},
	"ES": {"C": "CALLE", "CL": "CALLE", "CLL": "CALLE", "AV": "AVENIDA", "AVDA": "AVENIDA", "PL": "PLAZA", "PZA": "PLAZA", "PS": "PASEO", "CTRA": "CARRETERA", "CR": "CARRETERA", "CAMI": "CAMINO"},
	"IT": {"V": "VIA", "VLE": "VIALE", "P": "PIAZZA", "PZA": "PIAZZA", "PIAZ": "PIAZZA", "C": "CORSO", "CSO": "CORSO", "AV": "AVENUE", "STR": "STRADA", "LOC": "LOCALITA"},
	"PT": {"R": "RUA", "AV": "AVENIDA", "PC": "PRACA", "TV": "TRAVESSA", "EST": "ESTRADA"},
	"DE": {"PL": "PLATZ", "STR": "STRASSE"},
	"AT": {"PL": "PLATZ", "STR": "STRASSE"},
	"NL": {"STR": "STRAAT", "PL": "PLEIN"},
}

func init() {
	for canonical, spellings := range map[string][]string{
		"AVENUE":     {"AVE", "AVEN", "AVN"},
		"BOULEVARD":  {"BD", "BLD", "BLVD", "BOUL", "BVD"},
		"RUE":        {},
		"ROUTE":      {"RTE"},
		"CHEMIN":     {"CHEM", "CHE", "CHMN"},
		"PLACE":      {"PLC"},
		"IMPASSE":    {"IMP"},
		"ALLEE":      {"ALL", "ALLEES"},
		"FAUBOURG":   {"FG", "FBG"},
		"QUAI":       {"QU"},
		"SQUARE":     {"SQ"},
		"RESIDENCE":  {"RES", "RESID"},
		"LIEU DIT":   {"LD", "LIEUDIT"},
		"PROMENADE":  {"PROM"},
		"ROAD":       {"RD"},
		"STREET":     {},
		"LANE":       {"LN"},
		"DRIVE":      {"DR", "DRV"},
		"COURT":      {"CT"},
		"CRESCENT":   {"CRES", "CRESC"},
		"HIGHWAY":    {"HWY"},
		"PARKWAY":    {"PKWY"},
		"TERRACE":    {"TERR"},
		"STRASSE":    {"STR"},
		"GASSE":      {},
		"CALLE":      {},
		"AVENIDA":    {"AVDA"},
		"VIA":        {},
		"PIAZZA":     {"PZA"},
		"STRAAT":     {"STRT"},
		"LAAN":       {},
		"WEG":        {},
		"INDUSTRIAL": {"IND", "INDUS"},
	} {
		streetTypes[canonical] = canonical
		for _, s := range spellings {
			streetTypes[s] = canonical
		}
	}
	// French business parks
	streetTypes["ZI"], streetTypes["ZA"], streetTypes["ZAE"] = "ZONE INDUSTRIELLE", "ZONE ACTIVITE", "ZONE ACTIVITE"
	streetTypes["ZAC"] = "ZONE AMENAGEMENT CONCERTE"
}

// englishStreet are the countries where ST at the end of a street is STREET.
var englishStreet = map[string]bool{"GB": true, "US": true, "IE": true, "CA": true, "AU": true, "NZ": true}

// compoundSuffixes are the street types glued to the name in German and Dutch.
var compoundSuffixes = []struct{ glued, spelled string }{
	{"STRASSE", "STRASSE"}, {"STR", "STRASSE"}, {"GASSE", "GASSE"}, {"PLATZ", "PLATZ"}, {"ALLEE", "ALLEE"},
	{"WEG", "WEG"}, {"RING", "RING"}, {"DAMM", "DAMM"}, {"UFER", "UFER"},
	{"STRAAT", "STRAAT"}, {"LAAN", "LAAN"}, {"PLEIN", "PLEIN"}, {"GRACHT", "GRACHT"}, {"KADE", "KADE"}, {"SINGEL", "SINGEL"},
}

func spellStreet(words []string, country string) []string {
	out := make([]string, 0, len(words)+1)
	local := streetTypesByCountry[country]
	for i, w := range words {
		switch {
		case w == "ST" && englishStreet[country]:
			if i == len(words)-1 {
				out = append(out, "STREET")
			} else {
				out = append(out, "SAINT")
			}
			continue
		case local[w] != "":
			out = append(out, strings.Fields(local[w])...)
			continue
		case streetTypes[w] != "":
			out = append(out, strings.Fields(streetTypes[w])...)
			continue
		}
		if country == "DE" || country == "AT" || country == "CH" || country == "NL" || country == "BE" || country == "LU" {
			if stem, suffix, ok := splitCompound(w); ok {
				out = append(out, stem, suffix)
				continue
			}
		}
		out = append(out, w)
	}
	return out
}

// splitCompound splits HAUPTSTRASSE into HAUPT STRASSE (and HAUPTSTR into HAUPT
// STRASSE), keeping a stem of at least three letters.
func splitCompound(w string) (stem, suffix string, ok bool) {
	for _, c := range compoundSuffixes {
		if len(w) >= len(c.glued)+3 && strings.HasSuffix(w, c.glued) {
			return w[:len(w)-len(c.glued)], c.spelled, true
		}
	}
	return "", "", false
}
