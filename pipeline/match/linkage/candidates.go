package linkage

import (
	"sort"
)

// unfilteredPostcode is the size up to which a postcode block is compared whole: a
// name misspelled beyond its phonetic key is still found in its postcode.
const unfilteredPostcode = 200

// scratch is the reusable memory of one worker.
type scratch struct {
	seen   []uint32 // seen[c] == gen: company c is already a candidate
	gen    uint32
	ids    []int32
	ranked []ranked
}

func (ix *Index) newScratch() *scratch { return &scratch{seen: make([]uint32, ix.n)} }

// candidates returns the companies to compare reseller r with, by these blocking rules
// (never all pairs), each within the reseller's country (every country when it is
// unknown):
//   - the companies with the same normalised name (up to MaxPlaceBlock of them);
//   - the companies of the same postcode when it has at most unfilteredPostcode of
//     them;
//   - the companies of a larger postcode, and of the same town when the reseller has
//     no postcode the channel database knows, for blocks of at most MaxPlaceBlock
//     companies, kept only when their name shares with the reseller's a word, a
//     phonetic key, the letters of a word in another order or a three-letter word
//     start, none of them common (the candidate filter, see filterKeys);
//   - the companies whose name has one of the reseller's two rarest words (for a word
//     no company has, a typo, those whose name has a word of the same phonetic key),
//     for blocks of at most MaxNameBlock companies (a common word such as ELECTRICITE
//     finds too many to be worth it).
func (ix *Index) candidates(r *record, o Options, s *scratch) []int32 {
	s.gen++
	if s.gen == 0 { // wrapped around: forget every mark
		clear(s.seen)
		s.gen = 1
	}
	s.ids = s.ids[:0]
	add := func(ids []int32) {
		for _, c := range ids {
			if s.seen[c] != s.gen {
				s.seen[c] = s.gen
				s.ids = append(s.ids, c)
			}
		}
	}
	filter := ix.filter(r)
	addFiltered := func(ids []int32) {
		if len(ids) > o.MaxPlaceBlock {
			return
		}
		for _, c := range ids {
			if s.seen[c] != s.gen && shareKey(filter, ix.filters[c]) {
				s.seen[c] = s.gen
				s.ids = append(s.ids, c)
			}
		}
	}
	countries := []string{r.country}
	if r.country == "" {
		countries = ix.countries
	}
	for _, cc := range countries {
		if r.name.Full != "" {
			if ids := ix.byName[placeKey(cc, r.name.Full)]; len(ids) <= o.MaxPlaceBlock {
				add(ids)
			}
		}
		inPostcode := ix.byPostcode[placeKey(cc, r.pc)]
		if len(inPostcode) <= unfilteredPostcode {
			add(inPostcode)
		} else {
			addFiltered(inPostcode)
		}
		if r.city != "" && len(inPostcode) == 0 {
			addFiltered(ix.byCity[placeKey(cc, r.city)])
		}
		for _, ids := range ix.rarestBlocks(cc, r, o.MaxNameBlock) {
			add(ids)
		}
	}
	return s.ids
}

// rarestBlocks returns the two smallest name blocks of a reseller's words that hold
// between 1 and limit companies: the block of a word companies have, the block of its
// phonetic key for a word no company has (a typo).
func (ix *Index) rarestBlocks(country string, r *record, limit int) [][]int32 {
	var blocks [][]int32
	for _, w := range r.words {
		ids := ix.byWord[placeKey(country, w.s)]
		if len(ids) == 0 && len(w.ph) >= 2 {
			ids = ix.byPhonetic[placeKey(country, w.ph)]
		}
		if len(ids) > 0 && len(ids) <= limit {
			blocks = append(blocks, ids)
		}
	}
	sort.SliceStable(blocks, func(i, j int) bool { return len(blocks[i]) < len(blocks[j]) })
	return blocks[:min(2, len(blocks))]
}

// ranked is a candidate with its comparison vector and weight.
type ranked struct {
	c int32
	w float64
	p pair
}

// rank compares the reseller with its candidates and sorts them by weight, best first
// (ties by channel-database order, for determinism). The slice is the worker's, valid
// until its next call.
func (ix *Index) rank(m *Model, r *record, rejected map[string]bool, o Options, s *scratch) []ranked {
	ids := ix.candidates(r, o, s)
	out := s.ranked[:0]
	for _, c := range ids {
		if rejected[ix.companies[c].PartnerID] {
			continue
		}
		p := ix.compare(r, &ix.recs[c], nil)
		out = append(out, ranked{c: c, w: m.weight(&p), p: p})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].w != out[j].w {
			return out[i].w > out[j].w
		}
		return out[i].c < out[j].c
	})
	s.ranked = out
	return out
}
