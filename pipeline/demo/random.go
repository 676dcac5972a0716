package demo

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
)

// stream returns the random source of one named part of the data set (a partner's
// history, a feed's account numbers...). Each part draws from its own stream, so that
// changing one part (more partners, another month) does not reshuffle all the others.
func stream(seed uint64, name string, i int) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(seed, h.Sum64()+uint64(i)*0x9e3779b97f4a7c15))
}

// uniform is a float drawn uniformly in [lo, hi).
func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// chance is true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// between is an int drawn uniformly in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// pick is one element of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// weighted is an index of w drawn with probability proportional to its weight.
func weighted(r *rand.Rand, w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	u := r.Float64() * total
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

// logNormal is exp(N(ln median, sigma)), clamped to [lo, hi].
func logNormal(r *rand.Rand, median, sigma, lo, hi float64) float64 {
	return math.Min(hi, math.Max(lo, median*math.Exp(sigma*r.NormFloat64())))
}
