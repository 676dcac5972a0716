package truth

import (
	"hash/fnv"
	"math"
	"slices"
	"strings"
)

// This file places companies: towns and postcodes with their weights (dense business
// parks, French villages), addresses and the completion of postcodes.

// buildPlaces lists a country's towns and postcodes with their weights. Dense postcodes
// (business parks) each get about 50 companies in a corpus of 3,000 (about 1,800 in
// France), growing with the square root of the size; French villages get 30% between
// them.
func (w *world) buildPlaces(r *rng, co *country, count int) {
	var places []place
	var weights []float64
	total, villageMass := 0.0, 0.0
	for _, c := range co.cities {
		total += c.weight
	}
	if co.code == "FR" {
		villageMass = 0.43 * total
	}
	for _, c := range co.cities {
		for _, pc := range c.postcodes {
			places = append(places, place{c, pc})
			if c.dense[pc] {
				weights = append(weights, denseShare(count)*(total+villageMass))
			} else {
				weights = append(weights, c.weight/float64(len(c.postcodes)))
			}
		}
	}
	if co.code == "FR" {
		villages := w.villages(r, co, min(max(count/8, 15), 4000))
		for _, v := range villages {
			places = append(places, place{v, v.postcodes[0]})
			weights = append(weights, v.weight/2*villageMass/float64(len(villages)))
		}
	}
	w.places[co], w.cum[co] = places, newCumulative(weights)
}

// denseShare is the share of its country's companies a dense postcode gets.
func denseShare(count int) float64 {
	target := 50 * math.Sqrt(float64(max(count, 1))/1800)
	return min(0.04, target/float64(max(count, 1)))
}

// villages invents French villages in the départements of the listed cities, with
// postcodes ending in 0 as rural ones do; several villages may share a postcode.
func (w *world) villages(r *rng, co *country, n int) []*city {
	taken := map[string]bool{}
	var depts []string
	for _, c := range co.cities {
		for _, pc := range c.postcodes {
			taken[pc] = true
			if d := pc[:2]; !slices.Contains(depts, d) {
				depts = append(depts, d)
			}
		}
	}
	seen := map[string]bool{}
	var out []*city
	for len(out) < n {
		name := strings.ReplaceAll(pick(r, villageFirst), "_", " ")
		if r.chance(0.7) {
			name += pick(r, villageSecond)
		}
		pc := pick(r, depts) + itoa(r.between(1, 9)) + itoa(r.intn(10)) + "0"
		if taken[pc] || seen[name+pc] {
			continue
		}
		seen[name+pc] = true
		out = append(out, &city{id: co.code + "|" + name, name: name, postcodes: []string{pc}, weight: 1 + 2*r.float(), langs: []*language{langFR},
			country: co, village: true, dense: map[string]bool{}})
	}
	return out
}

// pickPlace draws a town and postcode of a country by weight.
func (w *world) pickPlace(r *rng, co *country) place { return w.places[co][w.cum[co].pick(r)] }

// addressFirm gives f an address no other company has at its postcode. British
// companies are sometimes on an industrial estate, whose units share one postcode.
func (w *world) addressFirm(r *rng, f *firm) {
	for try := 0; ; try++ {
		addr, pc := f.lang.street(r, f.city), f.postcode
		if f.co.code == "GB" && r.chance(0.2) {
			addr, pc = britishEstate(r, f.city)
		}
		if try > 50 {
			addr += " " + pick(r, []string{"A", "B", "C", "D"}) + itoa(try)
		}
		if !w.addrs[addrKey(f.co, pc, addr)] {
			f.address, f.postcode = addr, pc
			return
		}
	}
}

// britishEstate returns a unit on one of a town's two industrial estates and the
// estate's postcode.
func britishEstate(r *rng, c *city) (string, string) {
	i := r.intn(2)
	h := fnv.New32a()
	h.Write([]byte(c.name))
	seed := h.Sum32()
	er := newRNG(uint64(seed)*31 + uint64(i))
	name := britishEstates[(int(seed)+i)%len(britishEstates)] + pick(er, []string{" Industrial Estate", " Business Park"})
	pc := c.postcodes[(int(seed)+i)%len(c.postcodes)]
	return "Unit " + itoa(r.between(1, 60)) + ", " + name, completePostcode(er, c.country, pc)
}

// completePostcode adds what the city tables leave out: the inward code of British
// postcodes, the letters of Dutch ones, the local delivery unit of Canadian ones.
func completePostcode(r *rng, co *country, pc string) string {
	const gb, nl, ca = "ABDEFGHJLNPQRSTUWXYZ", "ABCDEGHJKLMNPRTVWXZ", "ABCEGHJKLMNPRSTVWXYZ"
	letter := func(set string) string { return string(set[r.intn(len(set))]) }
	switch co.code {
	case "GB":
		return pc + " " + itoa(r.between(1, 9)) + letter(gb) + letter(gb)
	case "NL":
		return pc + " " + letter(nl) + letter(nl)
	case "CA":
		return pc + " " + itoa(r.between(1, 9)) + letter(ca) + itoa(r.intn(10))
	}
	return pc
}
