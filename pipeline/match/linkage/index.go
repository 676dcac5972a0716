package linkage

import (
	"math"
	"slices"
	"sort"

	"github.com/salesout/salesout/pipeline/match/norm"
)

// Index is the channel database normalised once, with its blocks (which companies to
// compare a reseller with), its identifier lookups and the frequencies of the words of
// company names. It is read-only after NewIndex and safe for concurrent use.
type Index struct {
	companies []Company
	recs      []record
	byPartner map[string]int32

	dict map[string]int32 // name word → id
	df   []int32          // per word id: companies whose name has it
	n    int              // companies

	// identifier lookups
	byReg, byVAT, bySIREN map[string][]int32

	// blocks, keyed by placeKey(country, value)
	byName     map[string][]int32 // normalised core name (see coreName)
	byPostcode map[string][]int32
	byCity     map[string][]int32
	byWord     map[string][]int32 // each word of the name
	byPhonetic map[string][]int32 // phonetic key of each word of the name

	// candidate filter: the sorted ids of the filter keys of each company's name (see
	// filterKeys); a company found in a large place block is compared only if it
	// shares one with the reseller
	filterDict map[string]uint32
	filters    [][]uint32

	countries []string
}

// NewIndex normalises the companies of the channel database and builds the blocks,
// the identifier lookups and the word frequencies.
func NewIndex(companies []Company) *Index {
	ix := &Index{
		companies: companies,
		recs:      make([]record, len(companies)),
		byPartner: make(map[string]int32, len(companies)),
		dict:      map[string]int32{},
		n:         len(companies),
		byReg:     map[string][]int32{}, byVAT: map[string][]int32{}, bySIREN: map[string][]int32{},
		byName: map[string][]int32{}, byPostcode: map[string][]int32{}, byCity: map[string][]int32{},
		byWord: map[string][]int32{}, byPhonetic: map[string][]int32{},
		filterDict: map[string]uint32{},
		filters:    make([][]uint32, len(companies)),
	}
	parallelFor(len(companies), 0, func(_, i int) {
		c := companies[i]
		ix.recs[i] = prepare(c.Name, c.Registration, c.VAT, c.Address, c.Postcode, c.City, c.Country)
	})
	perCountry, perLegal := map[string]int{}, map[string]int{}
	keyCount := map[string]int32{}
	for i := range ix.recs {
		r := &ix.recs[i]
		id := int32(i)
		ix.byPartner[companies[i].PartnerID] = id
		perCountry[r.country]++
		perLegal[placeKey(r.country, r.name.LegalKey)]++
		for _, w := range distinct(r.name.Tokens) {
			wid, ok := ix.dict[w]
			if !ok {
				wid = int32(len(ix.df))
				ix.dict[w] = wid
				ix.df = append(ix.df, 0)
			}
			ix.df[wid]++
			r.words = append(r.words, word{s: w, id: wid, ph: norm.Phonetic(w)})
			ix.byWord[placeKey(r.country, w)] = append(ix.byWord[placeKey(r.country, w)], id)
		}
		for _, w := range r.words {
			if len(w.ph) >= 2 {
				ix.byPhonetic[placeKey(r.country, w.ph)] = appendOnce(ix.byPhonetic[placeKey(r.country, w.ph)], id)
			}
		}
		if r.name.Full != "" {
			ix.byName[placeKey(r.country, r.name.Full)] = append(ix.byName[placeKey(r.country, r.name.Full)], id)
		}
		if r.pc != "" {
			ix.byPostcode[placeKey(r.country, r.pc)] = append(ix.byPostcode[placeKey(r.country, r.pc)], id)
		}
		if r.city != "" {
			ix.byCity[placeKey(r.country, r.city)] = append(ix.byCity[placeKey(r.country, r.city)], id)
		}
		if r.keys.reg != "" {
			ix.byReg[r.keys.reg] = append(ix.byReg[r.keys.reg], id)
		}
		if r.keys.vat != "" {
			ix.byVAT[r.keys.vat] = append(ix.byVAT[r.keys.vat], id)
		}
		if r.keys.siren != "" {
			ix.bySIREN[r.keys.siren] = append(ix.bySIREN[r.keys.siren], id)
		}
		for _, k := range distinct(filterKeys(r.words)) {
			keyCount[k]++
		}
	}
	// the filter keeps the keys of at most maxFilterShare of the companies: sharing a
	// word as common as ELECTRICITE says nothing
	limit := int32(max(50, int(maxFilterShare*float64(ix.n))))
	for k, n := range keyCount {
		if n <= limit {
			ix.filterDict[k] = uint32(len(ix.filterDict))
		}
	}
	parallelFor(len(ix.recs), 0, func(_, i int) {
		r := &ix.recs[i]
		for j := range r.words {
			ix.weigh(&r.words[j])
		}
		if r.full.Full != r.name.Full {
			r.fullWords = ix.lookup(r.full.Tokens)
		}
		n := math.Max(1, float64(ix.n))
		inCountry := float64(perCountry[r.country])
		share := func(count int, of float64) float64 { return math.Log(math.Max(float64(count), 1) / of) }
		r.logTFFloor = share(len(ix.byName[placeKey(r.country, r.name.Full)]), n)
		r.tf = placeTF{
			legal:    share(perLegal[placeKey(r.country, r.name.LegalKey)], inCountry),
			postcode: share(len(ix.byPostcode[placeKey(r.country, r.pc)]), inCountry),
			city:     share(len(ix.byCity[placeKey(r.country, r.city)]), inCountry),
			country:  share(perCountry[r.country], n),
		}
		ix.filters[i] = ix.filter(r)
	})
	for c := range perCountry {
		ix.countries = append(ix.countries, c)
	}
	sort.Strings(ix.countries)
	return ix
}

// maxFilterShare is the largest share of companies a filter key may be found in.
const maxFilterShare = 0.01

// Len is the number of companies.
func (ix *Index) Len() int { return ix.n }

// distinct returns the words without repetitions, in order of first appearance.
func distinct(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

func appendOnce(ids []int32, id int32) []int32 {
	if n := len(ids); n > 0 && ids[n-1] == id {
		return ids
	}
	return append(ids, id)
}

// filterKeys are the keys of the candidate filter for the words of a name: each word,
// its phonetic key, for words of four letters or more its first three letters, and for
// words of five or more its letters in alphabetical order (the same for a
// transposition typo: WICDOR, WCIDOR). Keys found in more than maxFilterShare of the
// companies are left out of the filter by NewIndex.
func filterKeys(words []word) []string {
	keys := make([]string, 0, 4*len(words))
	for _, w := range words {
		keys = append(keys, "W"+w.s)
		if len(w.ph) >= 2 {
			keys = append(keys, "P"+w.ph)
		}
		if len(w.s) >= 4 {
			keys = append(keys, "3"+w.s[:3])
		}
		if len(w.s) >= 5 {
			letters := []byte(w.s)
			slices.Sort(letters)
			keys = append(keys, "A"+string(letters))
		}
	}
	return keys
}

// lookupWords gives the words of a reseller's name their dictionary ids, phonetic
// keys and frequencies.
func (ix *Index) lookupWords(r *record) {
	r.words = ix.lookup(r.name.Tokens)
	r.fullWords = nil
	if r.full.Full != r.name.Full {
		r.fullWords = ix.lookup(r.full.Tokens)
	}
}

// lookup returns the distinct words of tokens with their ids, keys and frequencies.
func (ix *Index) lookup(tokens []string) []word {
	var words []word
	for _, w := range distinct(tokens) {
		id, ok := ix.dict[w]
		if !ok {
			id = -1
		}
		words = append(words, word{s: w, id: id, ph: norm.Phonetic(w)})
		ix.weigh(&words[len(words)-1])
	}
	return words
}

// weigh sets the frequencies of a word.
func (ix *Index) weigh(w *word) {
	w.logDF = math.Log(ix.docFreq(*w))
	w.idf = -w.logDF
}

// filter returns the sorted ids of the filter keys of a record's name.
func (ix *Index) filter(r *record) []uint32 {
	var f []uint32
	for _, k := range filterKeys(r.words) {
		if id, ok := ix.filterDict[k]; ok {
			f = append(f, id)
		}
	}
	slices.Sort(f)
	return slices.Compact(f)
}

// shareKey says whether two sorted id lists have an id in common.
func shareKey(a, b []uint32) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			return true
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return false
}

// docFreq is the share of company names having the word, never below one company.
func (ix *Index) docFreq(w word) float64 {
	if w.id < 0 || ix.n == 0 {
		return 1 / math.Max(1, float64(ix.n))
	}
	return float64(ix.df[w.id]) / float64(ix.n)
}
