package norm

import "strings"

// City normalises a town name: folded, hyphens and apostrophes as spaces, SAINT and
// SAINTE spelled out (ST, STE, SANKT, ST.), and what French and other postal
// addresses add to a town dropped: CEDEX and its number, an arrondissement or district
// number ("PARIS 11", "LYON 3EME", "MARSEILLE 08", "PARIS 1ER").
func City(raw string) string {
	words := Tokens(raw)
	out := words[:0:0]
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "CEDEX":
			if i+1 < len(words) && isDigits(words[i+1]) {
				i++
			}
			continue
		case i > 0 && isDistrict(w):
			continue
		case w == "ST" || w == "SANKT":
			w = "SAINT"
		case w == "STE":
			w = "SAINTE"
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// isDistrict recognises an arrondissement or district number written after a town:
// 1 to 2 digits, optionally followed by E, EME, ER or RE.
func isDistrict(w string) bool {
	d := leadingDigits(w)
	if d == 0 || d > 2 {
		return false
	}
	switch w[d:] {
	case "", "E", "EME", "ER", "RE":
		return true
	}
	return false
}
