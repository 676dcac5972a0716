package norm

// countries maps folded country names (English, French, German and local) and ISO
// 3166 alpha-3 codes to alpha-2 codes.
var countries = map[string]string{}

func init() {
	for code, names := range map[string][]string{
		"FR": {"FRA", "FRANCE", "FRANKREICH", "FRANCIA", "FRANKRIJK", "FRANCA"},
		"DE": {"DEU", "GERMANY", "ALLEMAGNE", "DEUTSCHLAND", "GERMANIA", "ALEMANIA", "DUITSLAND", "ALEMANHA"},
		"BE": {"BEL", "BELGIUM", "BELGIQUE", "BELGIEN", "BELGIE", "BELGIO", "BELGICA"},
		"NL": {"NLD", "NETHERLANDS", "THE NETHERLANDS", "PAYS BAS", "NIEDERLANDE", "NEDERLAND", "HOLLAND", "PAISES BAJOS", "PAESI BASSI"},
		"LU": {"LUX", "LUXEMBOURG", "LUXEMBURG", "LUSSEMBURGO", "LUXEMBURGO"},
		"CH": {"CHE", "SWITZERLAND", "SUISSE", "SCHWEIZ", "SVIZZERA", "SUIZA", "SUICA"},
		"AT": {"AUT", "AUSTRIA", "AUTRICHE", "OSTERREICH", "OESTERREICH"},
		"ES": {"ESP", "SPAIN", "ESPAGNE", "SPANIEN", "ESPANA", "SPAGNA", "SPANJE", "ESPANHA"},
		"IT": {"ITA", "ITALY", "ITALIE", "ITALIEN", "ITALIA"},
		"PT": {"PRT", "PORTUGAL", "PORTOGALLO"},
		"GB": {"GBR", "UK", "UNITED KINGDOM", "GREAT BRITAIN", "ROYAUME UNI", "ENGLAND", "SCOTLAND", "WALES", "NORTHERN IRELAND", "GROSSBRITANNIEN", "VEREINIGTES KONIGREICH", "REINO UNIDO", "REGNO UNITO"},
		"IE": {"IRL", "IRELAND", "IRLANDE", "IRLAND", "EIRE", "IRLANDA"},
		"US": {"USA", "UNITED STATES", "UNITED STATES OF AMERICA", "ETATS UNIS", "VEREINIGTE STAATEN", "ESTADOS UNIDOS", "STATI UNITI"},
		"CA": {"CAN", "CANADA", "KANADA"},
		"AU": {"AUS", "AUSTRALIA", "AUSTRALIE", "AUSTRALIEN"},
		"DK": {"DNK", "DENMARK", "DANEMARK", "DANMARK", "DINAMARCA", "DANIMARCA"},
		"MC": {"MCO", "MONACO"},
	} {
		countries[code] = code
		for _, n := range names {
			countries[n] = code
		}
	}
}

// Country returns the ISO 3166-1 alpha-2 code of a country written as a code (FR,
// FRA) or a name in English, French, German or the local language ("Deutschland",
// "Royaume-Uni"). An unknown two-letter code is returned upper-cased; anything else
// unknown gives "".
func Country(raw string) string {
	s := Fold(raw)
	if c, ok := countries[s]; ok {
		return c
	}
	if len(s) == 2 && isLetter(s[0]) && isLetter(s[1]) {
		return s
	}
	return ""
}
