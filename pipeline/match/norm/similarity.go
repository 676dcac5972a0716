package norm

// JaroWinkler returns the Jaro–Winkler similarity of a and b, compared rune by rune:
// 1 for equal strings, 0 for nothing in common, the Jaro similarity raised for a
// common prefix of up to four runes (scaling factor 0.1).
func JaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	if isASCII(a) && isASCII(b) {
		return jaroWinkler([]byte(a), []byte(b))
	}
	return jaroWinkler([]rune(a), []rune(b))
}

// JaroWinklerMin is JaroWinkler for callers that only care whether the similarity
// reaches least: it returns the similarity when it is at least that, and may return 0
// otherwise. For strings of upper-case letters, digits and spaces (what Fold returns)
// it first bounds the similarity from their lengths, then from the characters they
// have in common, which skips most of the work for dissimilar strings.
func JaroWinklerMin(a, b string, least float64) float64 {
	if a == b {
		return 1
	}
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	short, long := float64(min(len(a), len(b))), float64(max(len(a), len(b)))
	if bound(short, short/long+1, 4) < least {
		return 0
	}
	if shared, ok := sharedFolded(a, b); ok {
		prefix := 0
		for prefix < 4 && prefix < len(a) && prefix < len(b) && a[prefix] == b[prefix] {
			prefix++
		}
		if shared == 0 || bound(float64(shared), float64(shared)/float64(len(a))+float64(shared)/float64(len(b)), prefix) < least {
			return 0
		}
		return jaroWinkler([]byte(a), []byte(b))
	}
	return JaroWinkler(a, b)
}

// bound is the Jaro–Winkler similarity with m matching characters, no transposition,
// sum = m/|a| + m/|b| and a common prefix of prefix characters.
func bound(m, sum float64, prefix int) float64 {
	if m == 0 {
		return 0
	}
	jaro := (sum + 1) / 3
	return jaro + float64(prefix)*0.1*(1-jaro)
}

// sharedFolded counts the characters two strings of upper-case letters, digits and
// spaces have in common (as multisets); ok is false for other characters.
func sharedFolded(a, b string) (shared int, ok bool) {
	var count [37]int8
	for i := 0; i < len(a); i++ {
		k := foldedSlot[a[i]]
		if k < 0 || count[k] == 127 {
			return 0, false
		}
		count[k]++
	}
	for i := 0; i < len(b); i++ {
		k := foldedSlot[b[i]]
		if k < 0 {
			return 0, false
		}
		if count[k] > 0 {
			count[k]--
			shared++
		}
	}
	return shared, true
}

// foldedSlot numbers the characters of folded text: A-Z 0-25, 0-9 26-35, space 36,
// anything else -1.
var foldedSlot = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = int8(c - 'A')
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = int8(26 + c - '0')
	}
	t[' '] = 36
	return t
}()

func jaroWinkler[E byte | rune](a, b []E) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	window := max(len(b)/2-1, 0)
	var bufA, bufB [64]bool
	var ma, mb []bool
	if len(b) <= 64 {
		ma, mb = bufA[:len(a)], bufB[:len(b)]
	} else {
		ma, mb = make([]bool, len(a)), make([]bool, len(b))
	}
	matches := 0
	for i, c := range a {
		lo, hi := max(0, i-window), min(len(b), i+window+1)
		for j := lo; j < hi; j++ {
			if !mb[j] && b[j] == c {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	transpositions, j := 0, 0
	for i := range a {
		if !ma[i] {
			continue
		}
		for !mb[j] {
			j++
		}
		if a[i] != b[j] {
			transpositions++
		}
		j++
	}
	m := float64(matches)
	jaro := (m/float64(len(a)) + m/float64(len(b)) + (m-float64(transpositions/2))/m) / 3
	prefix := 0
	for prefix < min(4, len(a)) && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}

// TokenSet returns the Dice similarity of two sets of words: twice the number of
// distinct words in both over the number of distinct words of each added up; word
// order and repetitions do not count. Two empty sets are not similar (0). It is meant
// for the few words of a name or a street (quadratic, no allocation).
func TokenSet(a, b []string) float64 {
	na, nb := distinctCount(a), distinctCount(b)
	if na+nb == 0 {
		return 0
	}
	common := 0
	for i, w := range a {
		if !contains(a[:i], w) && contains(b, w) {
			common++
		}
	}
	return 2 * float64(common) / float64(na+nb)
}

func distinctCount(words []string) int {
	n := 0
	for i, w := range words {
		if !contains(words[:i], w) {
			n++
		}
	}
	return n
}

func contains(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}
