package linkage

import (
	"math"
	"strings"

	"github.com/salesout/salesout/pipeline/match/norm"
)

// comparison identifies a compared field.
type comparison uint8

// The comparisons, in the order evidence lists them.
const (
	cmpName comparison = iota
	cmpLegalForm
	cmpPostcode
	cmpCity
	cmpStreet
	cmpNumber
	cmpCountry
	cmpID
	numComparisons
)

// levelNull is level 0 of every comparison: one side is missing and the comparison
// adds nothing (0 bits).
const levelNull = 0

// Levels of the name comparison, in the order they are tried (see compareWords).
const (
	nameExact = 1 + iota
	nameSet85
	nameJW95
	nameConflict
	nameSet65
	nameJW88
	nameSet45
	nameJW80
	nameElse
)

// levelSpec is one level of a comparison: its label, the prior m probability used
// when too few labelled pairs exist to learn it (see Train), and whether the level
// means disagreement: such a level never adds bits, whatever rare counts say.
type levelSpec struct {
	label    string
	prior    float64
	disagree bool
}

// comparisonSpec declares a comparison as ordered levels, the first that holds
// winning (level 0, null, is not listed). learnM says whether m is learnt from the
// labelled pairs; it is not for the identifier comparison, since the labelled pairs
// are found by their identifiers.
type comparisonSpec struct {
	name   string
	levels []levelSpec
	learnM bool
}

// comparisons declares the comparisons and their levels:
//
//	name        exact / token-set ≥ 0.85 / Jaro–Winkler ≥ 0.95 / words in conflict /
//	            token-set ≥ 0.65 / Jaro–Winkler ≥ 0.88 / token-set ≥ 0.45 /
//	            Jaro–Winkler ≥ 0.80 / else (see compareWords)
//	legal form  agree / one missing / disagree (both missing: null)
//	postcode    exact / same area (département, outward code...) / else
//	city        exact / Jaro–Winkler ≥ 0.90 / else
//	street      exact / fuzzy (token-set ≥ 0.6 or Jaro–Winkler ≥ 0.88) / else
//	number      agree / disagree
//	country     agree / disagree
//	identifier  agree / disagree (registration, VAT or SIREN)
//
// A missing value makes a comparison null: it adds 0 bits. The token-set similarity of
// names weighs each word by its rarity (see tokenSet). The levels of the name where
// words agree, the legal form agreeing and the exact postcode, town and country get a
// term-frequency adjustment (see adjustTF): agreeing on a rare value says more than
// agreeing on a common one (SARL is common in France, SCOP is not).
//
// Fellegi–Sunter adds the weights of the comparisons as if they were independent, so
// some are made conditional, not to count one fact twice: the legal form, the
// postcode, the town, the street and the number are compared only within a country
// (or when one is unknown), since a Swiss reseller is already very unlikely to be a
// French company and its postcode and legal form would say it again; the town is
// compared only when the postcodes are not the same (the same postcode is the same
// town); the street and the house number only when the postcodes or the towns are the
// same (two companies of different towns have different streets: a company that moved
// differs on all of them at once). The term frequencies of the legal form, the
// postcode and the town are likewise taken within the country.
//
// The priors are those of a reseller list typed by clerks: most names equal or close
// once normalised, the postcode nearly always right, the street often abbreviated
// differently.
var comparisons = [numComparisons]comparisonSpec{
	cmpName: {"name", []levelSpec{
		nameExact: {"exact", 0.45, false}, nameSet85: {"token-set >= 0.85", 0.25, false}, nameJW95: {"jaro-winkler >= 0.95", 0.05, false},
		nameConflict: {"token-set >= 0.45, other words in conflict", 0.01, false},
		nameSet65:    {"token-set >= 0.65", 0.12, false}, nameJW88: {"jaro-winkler >= 0.88", 0.04, false},
		nameSet45: {"token-set >= 0.45", 0.05, false}, nameJW80: {"jaro-winkler >= 0.80", 0.02, false}, nameElse: {"else", 0.02, true},
	}, true},
	cmpLegalForm: {"legal form", []levelSpec{1: {"agree", 0.5, false}, 2: {"one missing", 0.45, false}, 3: {"disagree", 0.05, true}}, true},
	cmpPostcode:  {"postcode", []levelSpec{1: {"exact", 0.9, false}, 2: {"same area", 0.06, false}, 3: {"else", 0.04, true}}, true},
	cmpCity:      {"city", []levelSpec{1: {"exact", 0.75, false}, 2: {"jaro-winkler >= 0.90", 0.05, false}, 3: {"else", 0.2, true}}, true},
	cmpStreet:    {"street", []levelSpec{1: {"exact", 0.6, false}, 2: {"fuzzy", 0.3, false}, 3: {"else", 0.1, true}}, true},
	cmpNumber:    {"number", []levelSpec{1: {"agree", 0.85, false}, 2: {"disagree", 0.15, true}}, true},
	cmpCountry:   {"country", []levelSpec{1: {"agree", 0.995, false}, 2: {"disagree", 0.005, true}}, true},
	cmpID:        {"identifier", []levelSpec{1: {"agree", 0.97, false}, 2: {"disagree", 0.03, true}}, false},
}

// pair is the comparison vector of a reseller and a company.
type pair struct {
	level   [numComparisons]uint8
	nameSim float64 // the similarity that decided the name level
	// logTF is, for the comparisons whose level gets a term-frequency adjustment
	// (adjust), ln of the chance that a random company agrees on this value: the words
	// of the name agreed on, the postcode, the town, the country (see adjustTF)
	logTF  [numComparisons]float64
	adjust [numComparisons]bool
}

// compare computes the comparison vector of reseller r and company c. When matched is
// not nil, the company words the names agree on are appended to it.
func (ix *Index) compare(r, c *record, matched *[]word) pair {
	var p pair
	p.level[cmpName], p.nameSim, p.logTF[cmpName], p.adjust[cmpName] = ix.compareNames(r, c, matched)
	p.level[cmpCountry] = twoWay(r.country, c.country)
	if p.level[cmpCountry] == 1 {
		p.logTF[cmpCountry], p.adjust[cmpCountry] = c.tf.country, true
	}
	switch {
	case r.keys.empty() || c.keys.empty():
	case r.keys.agree(c.keys):
		p.level[cmpID] = 1
	default:
		p.level[cmpID] = 2
	}
	if p.level[cmpCountry] == 2 {
		return p // legal forms and places of two countries are not comparable
	}
	switch {
	case r.name.LegalKey == "" && c.name.LegalKey == "":
	case r.name.LegalKey == "" || c.name.LegalKey == "":
		p.level[cmpLegalForm] = 2
	case r.name.LegalKey == c.name.LegalKey:
		p.level[cmpLegalForm] = 1
		p.logTF[cmpLegalForm], p.adjust[cmpLegalForm] = c.tf.legal, true
	default:
		p.level[cmpLegalForm] = 3
	}
	p.level[cmpPostcode] = threeWay(r.pc, c.pc, func() bool { return r.pcArea == c.pcArea })
	if p.level[cmpPostcode] == 1 {
		p.logTF[cmpPostcode], p.adjust[cmpPostcode] = c.tf.postcode, true
	} else {
		p.level[cmpCity] = threeWay(r.city, c.city, func() bool { return norm.JaroWinklerMin(r.city, c.city, 0.9) >= 0.9 })
		if p.level[cmpCity] == 1 {
			p.logTF[cmpCity], p.adjust[cmpCity] = c.tf.city, true
		}
	}
	if p.level[cmpPostcode] == 1 || p.level[cmpCity] == 1 {
		p.level[cmpStreet] = threeWay(r.streetKey, c.streetKey, func() bool {
			return norm.TokenSet(r.streetWords, c.streetWords) >= 0.6 || norm.JaroWinklerMin(r.streetKey, c.streetKey, 0.88) >= 0.88
		})
		p.level[cmpNumber] = twoWay(r.number, c.number)
	}
	return p
}

// threeWay is null / exact / close / else; close is asked only for two different
// values.
func threeWay(a, b string, close func() bool) uint8 {
	switch {
	case a == "" || b == "":
		return levelNull
	case a == b:
		return 1
	case close():
		return 2
	}
	return 3
}

// twoWay is null / agree / disagree.
func twoWay(a, b string) uint8 {
	switch {
	case a == "" || b == "":
		return levelNull
	case a == b:
		return 1
	}
	return 2
}

// compareNames returns the name level, the similarity that decided it and, when words
// agree, ln of the term frequency of those words (see adjustTF). Names are compared
// by their cores (without their towns, see coreName) and, when a core differs from the
// full name, as written too: the better comparison counts.
func (ix *Index) compareNames(r, c *record, matched *[]word) (level uint8, sim, logTF float64, agreed bool) {
	if r.name.Full == "" || c.name.Full == "" {
		return levelNull, 0, 0, false
	}
	var mine []word
	var buf *[]word
	if matched != nil {
		buf = &mine
	}
	level, sim, logTF, agreed = ix.compareWords(r.name.Full, r.words, c.name.Full, c.words, c, buf)
	if level != nameExact && (r.fullWords != nil || c.fullWords != nil) {
		rw, cw := r.words, c.words
		if r.fullWords != nil {
			rw = r.fullWords
		}
		if c.fullWords != nil {
			cw = c.fullWords
		}
		var other []word
		if matched != nil {
			buf = &other
		}
		l, s, tf, a := ix.compareWords(r.full.Full, rw, c.full.Full, cw, c, buf)
		if l < level || l == level && s > sim {
			level, sim, logTF, agreed, mine = l, s, tf, a, other
		}
	}
	if matched != nil {
		*matched = append(*matched, mine...)
	}
	return level, sim, logTF, agreed
}

// compareWords compares two names given as their normalised text and their words. The
// levels are tried in order, the first that holds wins: exact; token-set ≥ 0.85 without
// conflict; Jaro–Winkler ≥ 0.95; words in conflict (see tokenSet) with token-set ≥
// 0.45, and when in conflict no lower level but else; token-set ≥ 0.65; Jaro–Winkler ≥
// 0.88; token-set ≥ 0.45; Jaro–Winkler ≥ 0.80; else. The Jaro–Winkler similarity is of
// the normalised texts, the token-set similarity of the words weighed by rarity.
func (ix *Index) compareWords(rFull string, rWords []word, cFull string, cWords []word, c *record, matched *[]word) (uint8, float64, float64, bool) {
	if rFull == cFull {
		logTF := 0.0
		for _, w := range cWords {
			logTF += w.logDF
		}
		if matched != nil {
			*matched = append(*matched, cWords...)
		}
		return nameExact, 1, ix.floorTF(logTF, c), true
	}
	set, logTF, agreed, conflict := ix.tokenSet(rWords, cWords, matched)
	if agreed {
		logTF = ix.floorTF(logTF, c)
	}
	if set >= 0.85 && !conflict {
		return nameSet85, set, logTF, agreed
	}
	jw := norm.JaroWinklerMin(rFull, cFull, 0.80)
	switch {
	case jw >= 0.95:
		return nameJW95, jw, logTF, agreed
	case conflict && set >= 0.45:
		return nameConflict, set, logTF, agreed
	case conflict:
	case set >= 0.65:
		return nameSet65, set, logTF, agreed
	case jw >= 0.88:
		return nameJW88, jw, logTF, agreed
	case set >= 0.45:
		return nameSet45, set, logTF, agreed
	case jw >= 0.80:
		return nameJW80, jw, logTF, agreed
	}
	return nameElse, math.Max(set, jw), 0, false
}

// floorTF bounds ln(term frequency) from below: words cannot be rarer than one
// company, nor rarer together than the company's own name is (a chain's name is
// shared by all its branches, whose words are not independent).
func (ix *Index) floorTF(logTF float64, c *record) float64 { return math.Max(logTF, c.logTFFloor) }

// tokenSet is a token-set similarity of two names weighted by rarity: every word of
// either name earns the credit of its best counterpart in the other name (1 for the
// same word, its Jaro–Winkler similarity when ≥ 0.9 for words of four letters or
// more, 0.8 when one word begins the other and has three letters or more) times its
// inverse document frequency among company names, over the sum of those frequencies.
// A rare word agreeing counts for more than a common one ("VERGNAUD" over
// "ELECTRICITE"). It also returns the sum of ln(document frequency) of the company
// words that found a counterpart, whether there was one, and whether the names are in
// conflict: each has a distinctive word (in at most one company name in ten) the other
// lacks, as "CYCLES DUMONT" and "BRICOLAGE DUMONT" — two trades, two companies —
// where "DUPONT ELECTRICITE" and "DUPONT ELECTRICITE GENERALE" only add a word.
func (ix *Index) tokenSet(a, b []word, matched *[]word) (sim, logTF float64, agreed, conflict bool) {
	if len(a) > maxWords || len(b) > maxWords {
		a, b = a[:min(len(a), maxWords)], b[:min(len(b), maxWords)]
	}
	var bestA, bestB [maxWords]float64
	for i, x := range a {
		for j, y := range b {
			if cr := credit(x, y); cr > 0 {
				bestA[i] = math.Max(bestA[i], cr)
				bestB[j] = math.Max(bestB[j], cr)
			}
		}
	}
	num, den := 0.0, 0.0
	extraA, extraB := false, false
	for i, x := range a {
		num += x.idf * bestA[i]
		den += x.idf
		extraA = extraA || bestA[i] == 0 && x.idf >= distinctiveIDF
	}
	for j, y := range b {
		num += y.idf * bestB[j]
		den += y.idf
		extraB = extraB || bestB[j] == 0 && y.idf >= distinctiveIDF
		if bestB[j] > 0 {
			logTF += y.logDF
			agreed = true
			if matched != nil {
				*matched = append(*matched, y)
			}
		}
	}
	if den == 0 {
		return 0, 0, false, false
	}
	return num / den, logTF, agreed, extraA && extraB
}

// distinctiveIDF is the inverse document frequency from which a word is distinctive:
// in at most one company name in ten.
var distinctiveIDF = math.Log(10)

// maxWords is the number of words of a name the token-set similarity looks at.
const maxWords = 12

// credit is what word x earns against word y. Words of company names always have an
// id, so two words are the same exactly when their ids are. A fuzzy match is only
// looked for between words that begin with the same letter or have the same length:
// a typo rarely changes both.
func credit(x, y word) float64 {
	if x.id >= 0 && x.id == y.id || x.id < 0 && y.id < 0 && x.s == y.s {
		return 1
	}
	short, long := x.s, y.s
	if len(short) > len(long) {
		short, long = long, short
	}
	if len(short) < 3 || short[0] != long[0] && len(short) != len(long) {
		return 0
	}
	best := 0.0
	if len(short) >= 4 {
		if jw := norm.JaroWinklerMin(x.s, y.s, 0.9); jw >= 0.9 {
			best = jw
		}
	}
	if best < 0.8 && strings.HasPrefix(long, short) {
		best = 0.8
	}
	return best
}
