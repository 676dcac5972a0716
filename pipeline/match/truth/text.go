package truth

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the text operations clerks (and legacy systems) apply to names and
// addresses: accents dropped, upper case, typos, swapped words, truncation,
// abbreviations.

var asciiFold = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'á': "a", 'ã': "a", 'å': "a", 'ç': "c", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'î': "i", 'ï': "i", 'í': "i", 'ì': "i", 'ô': "o", 'ö': "o", 'ó': "o", 'ò': "o", 'õ': "o", 'ù': "u", 'û': "u",
	'ü': "u", 'ú': "u", 'ñ': "n", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'º': "o",
	'À': "A", 'Â': "A", 'Ä': "A", 'Á': "A", 'Ç': "C", 'É': "E", 'È': "E", 'Ê': "E", 'Ë': "E", 'Î': "I", 'Ï': "I",
	'Í': "I", 'Ô': "O", 'Ö': "O", 'Ó': "O", 'Ù': "U", 'Û': "U", 'Ü': "U", 'Ú': "U", 'Ñ': "N", 'Æ': "AE", 'Œ': "OE",
	'Ø': "O",
}

// fold drops accents, keeping the case: "Électricité" → "Electricite".
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if f, ok := asciiFold[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldGerman writes umlauts the German way: "Müller" → "Mueller".
func foldGerman(s string) string {
	return strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss").Replace(s)
}

// upperASCII is how legacy systems print names: "Électricité Dupont" → "ELECTRICITE DUPONT".
func upperASCII(s string) string { return strings.ToUpper(fold(s)) }

// keyboard neighbours on AZERTY/QWERTY/QWERTZ keyboards, for substitution typos.
var neighbours = map[rune]string{
	'a': "zqs", 'b': "vn", 'c': "xv", 'd': "sf", 'e': "rz", 'f': "dg", 'g': "fh", 'h': "gj", 'i': "uo", 'j': "hk",
	'k': "jl", 'l': "km", 'm': "ln", 'n': "bm", 'o': "ip", 'p': "o", 'q': "as", 'r': "et", 's': "ad", 't': "ry",
	'u': "yi", 'v': "cb", 'w': "xq", 'x': "cw", 'y': "tu", 'z': "ea",
}

// typo makes n small edits (substitution by a neighbouring key, deletion, doubled
// letter, swapped letters) inside words of four letters or more, never on a word's first
// letter. It returns s unchanged when no word is long enough.
func typo(r *rng, s string, n int) string {
	for try := 0; try < 5; try++ {
		if t := typoOnce(r, s, n); t != s {
			return t
		}
	}
	return s
}

// typoOnce makes n edits, which may happen to cancel out.
func typoOnce(r *rng, s string, n int) string {
	rs := []rune(s)
	for e := 0; e < n; e++ {
		var spots []int // positions inside long words, not first letters
		start := -1
		for i := 0; i <= len(rs); i++ {
			if i < len(rs) && unicode.IsLetter(rs[i]) {
				if start < 0 {
					start = i
				}
				continue
			}
			if start >= 0 && i-start >= 4 {
				for j := start + 1; j < i; j++ {
					spots = append(spots, j)
				}
			}
			start = -1
		}
		if len(spots) == 0 {
			return string(rs)
		}
		i := pick(r, spots)
		switch r.intn(4) {
		case 0: // substitution
			lower := unicode.ToLower(rs[i])
			if nb, ok := neighbours[[]rune(fold(string(lower)))[0]]; ok {
				c := rune(nb[r.intn(len(nb))])
				if unicode.IsUpper(rs[i]) {
					c = unicode.ToUpper(c)
				}
				rs[i] = c
				continue
			}
			fallthrough
		case 1: // deletion
			rs = append(rs[:i:i], rs[i+1:]...)
		case 2: // doubled letter
			rs = append(rs[:i+1:i+1], rs[i:]...)
		default: // transposition with the next letter
			if i+1 < len(rs) && unicode.IsLetter(rs[i+1]) && rs[i] != rs[i+1] {
				rs[i], rs[i+1] = rs[i+1], rs[i]
			} else {
				rs = append(rs[:i:i], rs[i+1:]...)
			}
		}
	}
	return string(rs)
}

// truncate cuts s to n runes, as fixed-width legacy fields do.
func truncate(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return strings.TrimRight(string(rs[:n]), " ")
}

// respell applies a spelling variant that keeps the name readable: hyphens and
// apostrophes written as spaces or dropped, accents dropped, umlauts spelt out.
func respell(r *rng, s string) string {
	switch {
	case strings.ContainsAny(s, "äöüßÄÖÜ") && r.chance(0.6):
		return foldGerman(s)
	case strings.Contains(s, "-") && r.chance(0.6):
		return strings.ReplaceAll(s, "-", pick(r, []string{" ", ""}))
	case strings.ContainsAny(s, "'’") && r.chance(0.7):
		return strings.NewReplacer("'", pick(r, []string{" ", ""}), "’", " ").Replace(s)
	case strings.Contains(s, " & "):
		return strings.ReplaceAll(s, " & ", "&")
	}
	return fold(s)
}

// findWord finds the first case-insensitive occurrence of word in rs at or after from,
// bounded by non-letters (only on the right when suffix is set). It returns -1 if none.
func findWord(rs []rune, word []rune, from int, suffix bool) int {
	for i := from; i+len(word) <= len(rs); i++ {
		if !suffix && i > 0 && isWordRune(rs[i-1]) {
			continue
		}
		if suffix && (i == 0 || !isWordRune(rs[i-1])) {
			continue // a suffix needs a stem before it
		}
		if j := i + len(word); j < len(rs) && isWordRune(rs[j]) {
			continue
		}
		if strings.EqualFold(string(rs[i:i+len(word)]), string(word)) {
			return i
		}
	}
	return -1
}

// isWordRune reports whether r belongs to a word.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// matchCase writes repl in the case of the text it replaces (all upper, capitalised or
// as is).
func matchCase(repl string, orig []rune) string {
	upper, letters := true, 0
	for _, r := range orig {
		if unicode.IsLetter(r) {
			letters++
			if !unicode.IsUpper(r) {
				upper = false
			}
		}
	}
	if upper && letters > 1 {
		return strings.ToUpper(repl)
	}
	rs := []rune(repl)
	if len(rs) > 0 && len(orig) > 0 && unicode.IsUpper(orig[0]) {
		rs[0] = unicode.ToUpper(rs[0])
	} else if len(rs) > 0 && len(orig) > 0 && unicode.IsLower(orig[0]) {
		rs[0] = unicode.ToLower(rs[0])
	}
	return string(rs)
}

// abbreviate replaces the words of list found in s by their abbreviation (expand: the
// reverse), each with probability p (at least one if any is found). It reports whether
// s changed.
func abbreviate(r *rng, s string, list []abbr, expand bool, p float64) (string, bool) {
	type hit struct {
		at, n int
		repl  string
	}
	rs := []rune(s)
	var hits []hit
	taken := make([]bool, len(rs))
	for _, a := range list {
		from, to := a.full, a.short
		if expand {
			from, to = a.short, a.full
		}
		word := []rune(from)
		suffix := a.suffix && !expand
		if a.suffix && expand {
			continue // "Hauptstr." is not expanded back: clerks do not
		}
		for i := findWord(rs, word, 0, suffix); i >= 0; i = findWord(rs, word, i+len(word), suffix) {
			if strings.HasSuffix(from, ".") || i+len(word) == len(rs) || !strings.HasSuffix(to, ".") || rs[i+len(word)] != '.' {
				if !anyTaken(taken, i, len(word)) {
					hits = append(hits, hit{i, len(word), matchCase(to, rs[i:i+len(word)])})
					markTaken(taken, i, len(word))
				}
			}
		}
	}
	if len(hits) == 0 {
		return s, false
	}
	keep := make([]bool, len(hits))
	keep[r.intn(len(hits))] = true
	for i := range hits {
		keep[i] = keep[i] || r.chance(p)
	}
	// apply from the right so positions stay valid
	for i := len(hits) - 1; i >= 0; i-- {
		best := -1
		for j := range hits {
			if keep[j] && (best < 0 || hits[j].at > hits[best].at) {
				best = j
			}
		}
		if best < 0 {
			break
		}
		h := hits[best]
		keep[best] = false
		rs = append(append(append([]rune{}, rs[:h.at]...), []rune(h.repl)...), rs[h.at+h.n:]...)
	}
	return string(rs), true
}

// anyTaken reports whether a rune of [at, at+n) is already replaced.
func anyTaken(t []bool, at, n int) bool {
	for i := at; i < at+n; i++ {
		if t[i] {
			return true
		}
	}
	return false
}

// markTaken marks the runes of [at, at+n) as replaced.
func markTaken(t []bool, at, n int) {
	for i := at; i < at+n; i++ {
		t[i] = true
	}
}

// hasAbbreviable reports whether abbreviate would change s in either direction.
func hasAbbreviable(s string, list []abbr) bool {
	rs := []rune(s)
	for _, a := range list {
		if findWord(rs, []rune(a.full), 0, a.suffix) >= 0 || (!a.suffix && findWord(rs, []rune(a.short), 0, false) >= 0) {
			return true
		}
	}
	return false
}
