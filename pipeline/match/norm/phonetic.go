package norm

import "strings"

// phoneticRules rewrite groups of letters that sound alike in French, German and
// English, longest first at each position.
var phoneticRules = []struct{ from, to string }{
	{"SCH", "S"}, {"EAU", "O"}, {"TCH", "S"}, {"DGE", "J"},
	{"CH", "S"}, {"SH", "S"}, {"PH", "F"}, {"TH", "T"}, {"CK", "K"}, {"QU", "K"}, {"GN", "N"},
	{"KN", "N"}, {"WR", "R"}, {"DT", "T"}, {"GH", "G"}, {"AU", "O"}, {"OU", "U"}, {"OO", "U"},
	{"CE", "SE"}, {"CI", "SI"}, {"CY", "SI"}, {"GE", "JE"}, {"GI", "JI"},
	{"C", "K"}, {"Q", "K"}, {"X", "KS"}, {"Z", "S"}, {"W", "V"}, {"Y", "I"},
}

// Phonetic returns a phonetic key of one word, the same for spellings that sound alike
// in French, German or English ("DUPONT", "DUPOND" and "DUPOND" → "DPN"; "SCHMIDT",
// "SCHMITT" and "SMITH" → "SM"; "VERGNAUD" and "VERGNEAU" → "VRN"). It is meant for
// blocking (which candidates to compare), never for scoring. The algorithm, a
// simplified Phonex/Soundex:
//
//  1. keep the letters of the folded word;
//  2. rewrite letter groups left to right (SCH, CH, SH → S; PH → F; TH → T; CK, QU, Q,
//     C before A/O/U/consonant → K; C before E/I/Y → S; G before E/I → J; GN, KN → N;
//     EAU, AU → O; OU, OO → U; X → KS; Z → S; W → V; Y → I);
//  3. keep the first letter, then the consonants, dropping H and doubled letters;
//  4. drop a final S or X, then a final T or D (silent in French: DUPONT, DUPONDS);
//  5. cut to six letters.
func Phonetic(word string) string {
	w := strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r
		}
		return -1
	}, Fold(word))
	if w == "" {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(w); {
		matched := false
		for _, r := range phoneticRules {
			if strings.HasPrefix(w[i:], r.from) {
				b.WriteString(r.to)
				i += len(r.from)
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte(w[i])
			i++
		}
	}
	sounds := b.String()
	key := []byte{sounds[0]}
	if isVowel(key[0]) {
		key[0] = 'A'
	}
	for i := 1; i < len(sounds); i++ {
		c := sounds[i]
		if isVowel(c) || c == 'H' || c == key[len(key)-1] {
			continue
		}
		key = append(key, c)
	}
	if n := len(key); n > 1 && (key[n-1] == 'S' || key[n-1] == 'X') {
		key = key[:n-1]
	}
	if n := len(key); n > 1 && (key[n-1] == 'T' || key[n-1] == 'D') {
		key = key[:n-1]
	}
	if len(key) > 6 {
		key = key[:6]
	}
	return string(key)
}

func isVowel(c byte) bool { return strings.IndexByte("AEIOUY", c) >= 0 }
