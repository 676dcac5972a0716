package linkage

import (
	"math"
	"math/rand/v2"
	"runtime"
)

// WeightRow is one level of one comparison of a model, as an analyst reads it: how
// often the level holds among pairs that are the same company (M) and among pairs that
// are not (U), and the weight it adds to a pair, log2(M/U) bits.
type WeightRow struct {
	Comparison string
	Level      string
	M, U       float64
	Weight     float64 // bits
	Matches    int     // labelled pairs at this level (the learnt part of M)
	NonMatches int     // random pairs at this level (U)
}

// Model is a trained Fellegi–Sunter model: the weight rows, and the prior odds that a
// reseller and a company picked from a block are the same company.
type Model struct {
	rows []WeightRow
	at   [numComparisons][]int // row index of each level; -1 for the null level

	// Labelled is the number of labelled pairs M was learnt from: resellers whose
	// registration, VAT number or SIREN found exactly one company.
	Labelled int
	// Random is the number of random reseller × company pairs U was learnt from.
	Random int
	// FromPriors is true when fewer than MinLabelled labelled pairs existed and M is
	// the declared priors.
	FromPriors bool
	// MatchShare is the share of resellers expected to be in the channel database:
	// the share of resellers with an identifier that found their company, or
	// defaultMatchShare when fewer than MinLabelled resellers carry one.
	MatchShare float64
	// PriorBits is log2 of the prior odds that a reseller is one given company,
	// MatchShare / companies: the weight a candidate starts from (see posterior).
	PriorBits float64
}

// Training constants.
const (
	// MinLabelled is the number of labelled pairs below which M falls back to the
	// declared priors.
	MinLabelled = 30
	// priorStrength is how many pseudo-pairs the priors weigh when blended with the
	// labelled pairs: M = (count + priorStrength × prior) / (labelled + priorStrength),
	// a Laplace-style smoothing that keeps every level possible.
	priorStrength = 10
	// randomPairs is the number of random reseller × company pairs U is counted on; U is
	// Laplace-smoothed (one pseudo-pair per level).
	randomPairs = 300_000
	// trainSeed seeds the choice of random pairs, for deterministic models.
	trainSeed         = 20_260_131
	defaultMatchShare = 0.8
)

// Train learns the weights from the data itself. Resellers whose registration, VAT
// number or SIREN finds one company (the registration, vat and siren steps of the
// cascade) are labelled matches: their comparison levels give M, blended with the
// priors declared with the comparisons (priorStrength pseudo-pairs, so that a level
// no labelled pair reached keeps a small chance). Random reseller × company pairs,
// drawn with a fixed seed, are almost all non-matches: their levels give U, Laplace-
// smoothed. Each comparison counts the pairs where it is not null, so conditional
// comparisons (see comparisons) get conditional probabilities. With fewer than
// MinLabelled labelled pairs (a reseller list without identifiers) M is the priors,
// which are sensible for distributor feeds; the identifier comparison always uses its
// priors for M, as the labelled pairs agree on identifiers by construction. The share
// of resellers with an identifier that found their company estimates MatchShare.
func (ix *Index) Train(resellers []Reseller) *Model {
	recs := ix.prepareResellers(resellers, 0)
	var mCount, uCount [numComparisons][]int
	for c := range comparisons {
		mCount[c] = make([]int, len(comparisons[c].levels))
		uCount[c] = make([]int, len(comparisons[c].levels))
	}
	m := &Model{}
	keyed, found := 0, 0
	for i := range recs {
		if recs[i].keys.empty() {
			continue
		}
		keyed++
		if c, _ := ix.keyMatch(&recs[i], nil); c >= 0 {
			found++
			p := ix.compare(&recs[i], &ix.recs[c], nil)
			for k := range p.level {
				mCount[k][p.level[k]]++
			}
		}
	}
	m.Labelled = found
	m.Random = ix.countRandomPairs(recs, &uCount)
	m.FromPriors = found < MinLabelled
	m.MatchShare = defaultMatchShare
	if keyed >= MinLabelled {
		m.MatchShare = math.Min(0.99, math.Max(0.2, float64(found)/float64(keyed)))
	}
	lambda := m.MatchShare / math.Max(1, float64(ix.n))
	m.PriorBits = math.Log2(lambda / (1 - lambda))
	m.fill(&mCount, &uCount)
	return m
}

// countRandomPairs counts the levels of random reseller × company pairs into uCount
// and returns how many pairs were drawn.
func (ix *Index) countRandomPairs(recs []record, uCount *[numComparisons][]int) int {
	if len(recs) == 0 || ix.n == 0 {
		return 0
	}
	n := min(randomPairs, len(recs)*ix.n)
	rng := rand.New(rand.NewPCG(trainSeed, uint64(ix.n)))
	pairs := make([][2]int32, n)
	for k := range pairs {
		pairs[k] = [2]int32{int32(rng.IntN(len(recs))), int32(rng.IntN(ix.n))}
	}
	workers := runtime.GOMAXPROCS(0)
	counts := make([][numComparisons][]int, workers)
	for w := range counts {
		for c := range comparisons {
			counts[w][c] = make([]int, len(comparisons[c].levels))
		}
	}
	parallelFor(n, workers, func(w, k int) {
		p := ix.compare(&recs[pairs[k][0]], &ix.recs[pairs[k][1]], nil)
		for c := range p.level {
			counts[w][c][p.level[c]]++
		}
	})
	for w := range counts {
		for c := range comparisons {
			for l, v := range counts[w][c] {
				uCount[c][l] += v
			}
		}
	}
	return n
}

// fill computes the rows from the counts.
func (m *Model) fill(mCount, uCount *[numComparisons][]int) {
	for c, spec := range comparisons {
		levels := len(spec.levels) - 1 // without null
		mTotal, uTotal := 0, 0
		for l := 1; l <= levels; l++ {
			mTotal += mCount[c][l]
			uTotal += uCount[c][l]
		}
		m.at[c] = make([]int, len(spec.levels))
		m.at[c][levelNull] = -1
		for l := 1; l <= levels; l++ {
			prior := spec.levels[l].prior
			mp := prior
			if spec.learnM && !m.FromPriors {
				mp = (float64(mCount[c][l]) + priorStrength*prior) / (float64(mTotal) + priorStrength)
			}
			up := (float64(uCount[c][l]) + 1) / (float64(uTotal) + float64(levels))
			w := math.Log2(mp / up)
			if spec.levels[l].disagree {
				w = math.Min(w, 0)
			}
			m.at[c][l] = len(m.rows)
			m.rows = append(m.rows, WeightRow{
				Comparison: spec.name, Level: spec.levels[l].label, M: mp, U: up,
				Weight: w, Matches: mCount[c][l], NonMatches: uCount[c][l],
			})
		}
	}
}

// Rows returns the weight rows of the model, comparison by comparison, levels in
// order, the null levels (which weigh 0) left out.
func (m *Model) Rows() []WeightRow { return append([]WeightRow(nil), m.rows...) }

// row returns the row of a level; ok is false for the null level.
func (m *Model) row(c comparison, level uint8) (WeightRow, bool) {
	i := m.at[c][level]
	if i < 0 {
		return WeightRow{}, false
	}
	return m.rows[i], true
}
