package norm

import "strings"

// Name is a company name made comparable.
type Name struct {
	Full      string   // the normalised words joined by spaces, legal form removed
	Tokens    []string // the normalised words, in order
	LegalForm string   // ELF code of the legal form found, "" if none
	LegalKey  string   // what two legal forms compare on (LegalForm.Key): equal keys are the same form
	LegalAbbr string   // that legal form as written in the table ("SARL", "GmbH", "Ltd"), for display
}

// ParseName normalises a company name as written by a clerk or a channel database:
//
//  1. Fold: upper-case ASCII, accents and punctuation removed ("Sté Électricité
//     Dupont S.A.R.L." → "STE ELECTRICITE DUPONT S A R L");
//  2. a legal form at the end of the name, or failing that at its start, is recognised
//     in the ELF table for country (dotted or spaced spellings, multi-word forms such
//     as "GmbH & Co. KG" included), removed from the words and kept apart as
//     Name.LegalForm (its ELF code) and Name.LegalKey (what compares): "Dupont SA" and
//     "Dupont SARL" of one town are two companies; it stays in the words when nothing
//     else would remain;
//  3. abbreviations are expanded and word families brought to one spelling (ETS →
//     ETABLISSEMENTS, STE → SOCIETE, ELEC/ELECTRIQUE/ELECTRIC → ELECTRICITE, see
//     abbreviations);
//  4. "and" in any language (&, ET, AND, UND, EN, Y, E, I) is dropped, so that
//     "Dupont & Fils", "Dupont et Fils" and "Dupont Fils" are equal (Y, E and I only
//     between two other words, as they may be initials);
//  5. filler words (articles and "of": LE, LA, DE, THE, OF, DER, VON, VAN, DEL, DI...)
//     are dropped, unless nothing else remains.
func ParseName(raw, country string) Name {
	words := Tokens(raw)
	var n Name
	var form *LegalForm
	words, form, n.LegalAbbr = stripLegalForm(words, country)
	if form != nil {
		n.LegalForm, n.LegalKey = form.Code, form.Key
	}
	words = expandAbbreviations(words)
	words = dropConnectors(words)
	if kept := dropFillers(words); len(kept) > 0 {
		words = kept
	}
	n.Tokens = words
	n.Full = strings.Join(words, " ")
	return n
}

// stripLegalForm removes a legal form written at the end of words, or failing that at
// their start, preferring the longest spelling.
func stripLegalForm(words []string, country string) ([]string, *LegalForm, string) {
	// at the end
	for k := min(legal.maxWords, len(words)-1); k >= 1; k-- {
		if v, ok := legal.match(words[len(words)-k:], country); ok {
			return words[:len(words)-k], v.form, v.abbr
		}
	}
	// at the start
	for k := min(legal.maxWords, len(words)-1); k >= 1; k-- {
		if v, ok := legal.match(words[:k], country); ok {
			return words[k:], v.form, v.abbr
		}
	}
	return words, nil, ""
}

// abbreviations maps an abbreviation, or a word of a family written differently in
// several languages, to the one spelling used for comparison.
var abbreviations = map[string]string{}

func init() {
	families := map[string][]string{
		"ETABLISSEMENTS": {"ETS", "ETAB", "ETABL", "ETABLISSEMENT", "ETBS"},
		"SOCIETE":        {"STE", "SOC", "STES", "SOCIETA", "SOCIEDAD", "SOCIEDADE"},
		"COMPAGNIE":      {"CIE", "COMPANY", "COMPANIA", "COMPAGNIA", "CO"},
		"BROTHERS":       {"BROS", "BRO", "FRERES", "FRERE", "FRS", "GEBRUDER", "GEBR", "HERMANOS", "HNOS", "FRATELLI", "FLLI", "GEBROEDERS"},
		"INTERNATIONAL":  {"INTL", "INTERNAT", "INTERNATIONALE", "INTERNAZIONALE", "INTERNACIONAL"},
		"ELECTRICITE": {"ELEC", "ELECT", "ELECTR", "ELECTRIQUE", "ELECTRIQUES", "ELECTRIC", "ELECTRICAL",
			"ELECTRICS", "ELEKTRO", "ELEKTRIK", "ELEKTRISCH", "ELETTRICA", "ELETTRICITA", "ELECTRICIDAD", "ELEKTRICITEIT"},
		"ELECTRICIEN":   {"ELECTRICIENS", "ELECTRICIAN", "ELECTRICIANS", "ELEKTRIKER"},
		"DISTRIBUTION":  {"DISTRIB", "DISTRI", "DIST", "DISTRIBUTIONS", "DISTRIBUTEUR", "DISTRIBUTEURS", "DISTRIBUTOR", "DISTRIBUTORS", "DISTRIBUZIONE", "DISTRIBUCION", "VERTRIEB"},
		"QUINCAILLERIE": {"QUINC", "QUINCAIL", "QUINCAILL", "QUINCAILLERIES"},
		"MATERIAUX":     {"MAT", "MATX", "MATERIAU", "MATERIALS", "MATERIAL", "MATERIALES", "MATERIALI"},
		"BATIMENT":      {"BAT", "BATIMENTS", "BTP"},
		"CONSTRUCTION":  {"CONST", "CONSTR", "CONSTRUCTIONS", "CONSTRUCCIONES", "COSTRUZIONI"},
		"SERVICE":       {"SERV", "SERVICES", "SCE", "SCES", "SVC", "SVCS", "SERVIZI", "SERVICIOS"},
		"COMPTOIR":      {"CPTR", "CPT", "COMPT", "COMPTOIRS"},
		"GENERALE":      {"GLE", "GALE", "GENERAL", "GENERALES"},
		"BRICOLAGE":     {"BRICO"},
		"SYSTEME":       {"SYST", "SYSTEMES", "SYSTEMS", "SYSTEM"},
		"SOLUTION":      {"SOL", "SOLS", "SOLUTIONS"},
		"NUMERIQUE":     {"NUM", "NUMERIQUES"},
		"CLIMATISATION": {"CLIM"},
		"THERMIQUE":     {"THERM", "THERMIQUES"},
		"NEGOCE":        {"NEG", "NEGOC"},
		"BUREAUTIQUE":   {"BUREAUT", "BUREAUTIQ"},
		"ENERGIE":       {"ENERG", "ENERGIES", "ENERGY"},
		"RESEAU":        {"RES", "RESEAUX"},
		"SANITAIRE":     {"SANIT", "SANITAIRES"},
		"ENTREPRISE":    {"ENT", "ENTR", "ENTREP", "ENTREPRISES", "ENTERPRISE", "ENTERPRISES"},
		"INFORMATIQUE":  {"INFO", "INFORMAT", "INFORMATICA", "INFORMATIK"},
		"TECHNOLOGIE":   {"TECHNO", "TECHNOLOGY", "TECHNOLOGIES", "TECHNOLOGIA", "TECNOLOGIA"},
		"MENUISERIE":    {"MENUIS", "MENUISERIES"},
		"PLOMBERIE":     {"PLOMB"},
		"CHAUFFAGE":     {"CHAUF", "CHAUFF"},
		"GROUPE":        {"GRP", "GROUP", "GRUPPE", "GRUPO", "GRUPPO"},
		"ASSOCIES":      {"ASSOC", "ASSOCIATES", "ASSOCIE"},
		"MANUFACTURING": {"MFG"},
		"MANAGEMENT":    {"MGMT", "MGT"},
		"SAINT":         {"ST", "SANKT"},
		"HANDEL":        {"HDL", "HANDELS"},
		"NOUVELLE":      {"NLLE", "NVLLE"},
	}
	for canonical, variants := range families {
		for _, v := range variants {
			abbreviations[v] = canonical
		}
	}
}

func expandAbbreviations(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		if c, ok := abbreviations[w]; ok {
			w = c
		}
		out[i] = w
	}
	return out
}

// connectors are the words for "and"; the single letters only count between words.
var connectors = map[string]bool{"&": true, "ET": true, "AND": true, "UND": true, "EN": true, "ED": true}
var shortConnectors = map[string]bool{"Y": true, "E": true, "I": true, "U": true}

func dropConnectors(words []string) []string {
	out := words[:0:0]
	for i, w := range words {
		if connectors[w] || shortConnectors[w] && i > 0 && i < len(words)-1 {
			continue
		}
		out = append(out, w)
	}
	return out
}

// fillers are articles and prepositions of French, English, German, Dutch, Spanish,
// Italian and Portuguese, including the elided L' and D'.
var fillers = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`LE LA LES L DE DU DES D AU AUX
		THE OF AN
		DER DIE DAS DEN DEM DES VON VOM ZUR ZUM
		VAN HET T VOOR
		EL LOS LAS DEL DE
		IL LO GLI DI DA DELLA DELLO DEI DEGLI
		DO DOS DAS`) {
		fillers[w] = true
	}
}

func dropFillers(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if !fillers[w] {
			out = append(out, w)
		}
	}
	return out
}
