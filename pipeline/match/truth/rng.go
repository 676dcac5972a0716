package truth

import "sort"

// rng is a small deterministic generator (SplitMix64). The corpus is committed and
// compared byte for byte, so it must not depend on math/rand's algorithms, which Go
// may change between releases.
type rng struct{ s uint64 }

// newRNG starts a generator from a seed.
func newRNG(seed uint64) *rng { return &rng{s: seed} }

// fork returns an independent stream derived from this one and a label, so that one
// part of the generation can change without shifting the others.
func (r *rng) fork(label uint64) *rng {
	return &rng{s: r.next() ^ (label * 0xd1b54a32d192ed03)}
}

// next returns 64 random bits.
func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n); n must be positive.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// chance is true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// digits returns n random decimal digits.
func (r *rng) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.intn(10))
	}
	return string(b)
}

// pick returns a random element of xs (which must not be empty).
func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }

// shuffle permutes xs in place (Fisher-Yates).
func shuffle[T any](r *rng, xs []T) {
	for i := len(xs) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		xs[i], xs[j] = xs[j], xs[i]
	}
}

// cumulative holds cumulative weights for weighted picks.
type cumulative []float64

// newCumulative prepares weighted picks over weights.
func newCumulative(weights []float64) cumulative {
	c := make(cumulative, len(weights))
	total := 0.0
	for i, w := range weights {
		total += w
		c[i] = total
	}
	return c
}

// pick returns an index with probability proportional to its weight.
func (c cumulative) pick(r *rng) int {
	x := r.float() * c[len(c)-1]
	return min(sort.SearchFloat64s(c, x+1e-12), len(c)-1)
}

// weightedPick picks an element of xs whose weight is given by w.
func weightedPick[T any](r *rng, xs []T, w func(T) float64) T {
	total := 0.0
	for _, x := range xs {
		total += w(x)
	}
	t := r.float() * total
	for _, x := range xs {
		t -= w(x)
		if t < 0 {
			return x
		}
	}
	return xs[len(xs)-1]
}
