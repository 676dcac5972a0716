package linkage

import (
	"context"
	"fmt"
)

// account is a distributor's account number.
type account struct{ distributor, id string }

// conflicting marks an account whose spellings found different companies.
const conflicting = -2

// Resolve matches every reseller against the index with model m, on o.Workers
// goroutines; results are in the order of resellers and do not depend on the number of
// workers. It stops early with ctx's error when ctx is done.
func (ix *Index) Resolve(ctx context.Context, m *Model, resellers []Reseller, o Options) ([]Result, error) {
	o = o.withDefaults()
	recs := ix.prepareResellers(resellers, o.Workers)
	// pass 1: the identifier steps, whose findings the reseller_id step shares out
	keyed := make([]int32, len(resellers))
	methods := make([]string, len(resellers))
	err := parallelForContext(ctx, len(resellers), o.Workers, func(_, i int) {
		keyed[i], methods[i] = ix.keyMatch(&recs[i], rejectedSet(resellers[i].Override))
	})
	if err != nil {
		return nil, err
	}
	accounts := ix.accounts(resellers, keyed)
	// pass 2: everything else
	scratches := make([]*scratch, o.Workers)
	for w := range scratches {
		scratches[w] = ix.newScratch()
	}
	results := make([]Result, len(resellers))
	err = parallelForContext(ctx, len(resellers), o.Workers, func(w, i int) {
		results[i] = ix.decide(m, &resellers[i], &recs[i], keyed[i], methods[i], accounts, o, scratches[w])
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// accounts maps each distributor account to the one company its spellings found by an
// identifier or an analyst's override, or to conflicting.
func (ix *Index) accounts(resellers []Reseller, keyed []int32) map[account]int32 {
	found := map[account]int32{}
	for i, r := range resellers {
		if r.ResellerID == "" {
			continue
		}
		c := keyed[i]
		if ov := r.Override; ov != nil {
			c = -1
			if id, ok := ix.byPartner[ov.PartnerID]; ok && ov.PartnerID != "" {
				c = id
			}
		}
		if c < 0 {
			continue
		}
		a := account{r.Distributor, r.ResellerID}
		if prev, ok := found[a]; ok && prev != c {
			found[a] = conflicting
		} else if !ok {
			found[a] = c
		}
	}
	return found
}

func rejectedSet(ov *Override) map[string]bool {
	if ov == nil || len(ov.Rejected) == 0 {
		return nil
	}
	s := make(map[string]bool, len(ov.Rejected))
	for _, id := range ov.Rejected {
		s[id] = true
	}
	return s
}

// decide runs the cascade for one reseller.
func (ix *Index) decide(m *Model, rs *Reseller, r *record, keyed int32, method string, accounts map[account]int32, o Options, s *scratch) Result {
	ov := rs.Override
	if ov != nil && ov.NotAPartner {
		return Result{Method: MethodOverride, Score: 1, Evidence: "override: not a partner"}
	}
	rejected := rejectedSet(ov)
	candidates := ix.rank(m, r, rejected, o, s)
	if ov != nil && ov.PartnerID != "" {
		res := Result{PartnerID: ov.PartnerID, Method: MethodOverride, Score: 1, Evidence: "override by an analyst"}
		if c, ok := ix.byPartner[ov.PartnerID]; ok {
			res = ix.settle(m, r, c, MethodOverride, "override by an analyst", candidates)
			res.Review, res.ReviewReason = false, ""
		}
		return res
	}
	if keyed >= 0 {
		return ix.settle(m, r, keyed, method, keyWhy(r, method), candidates)
	}
	if rs.ResellerID != "" {
		if c, ok := accounts[account{rs.Distributor, rs.ResellerID}]; ok && c >= 0 && !rejected[ix.companies[c].PartnerID] {
			return ix.settle(m, r, c, MethodResellerID, "account "+rs.ResellerID+" of "+rs.Distributor+" found this company for another spelling", candidates)
		}
	}
	if c, ok := ix.byPartner[rs.Known]; ok && rs.Known != "" && !rejected[rs.Known] {
		return ix.settle(m, r, c, MethodResellerID, "account "+rs.ResellerID+" of "+rs.Distributor+" matched this company in an earlier run", candidates)
	}
	if c, why := ix.exactName(r, rejected); c >= 0 {
		return ix.settle(m, r, c, MethodExactName, why, candidates)
	}
	return ix.probabilistic(m, r, candidates, o)
}

// contradiction is how many bits the comparison of a pair found by a deterministic step
// must weigh against it for the match to be flagged for review: 5 bits, the name and
// the address 32 times likelier for another company.
const contradiction = 5

// settle is the result of a deterministic step that found company c: its evidence is
// why, then the comparison of the pair; the other candidates follow it. A pair whose
// name and address weigh against it (by more than contradiction bits) is matched but
// flagged for review.
func (ix *Index) settle(m *Model, r *record, c int32, method, why string, candidates []ranked) Result {
	ev, w := ix.explain(m, r, &ix.recs[c])
	score := methodScore[method]
	res := Result{PartnerID: ix.companies[c].PartnerID, Method: method, Score: score, Weight: w, Evidence: why + "; " + ev}
	res.Candidates = append(res.Candidates, Candidate{PartnerID: res.PartnerID, Score: score, Weight: w, Evidence: ev})
	others := make([]ranked, 0, len(candidates))
	for _, k := range candidates {
		if k.c != c {
			others = append(others, k)
		}
	}
	if len(others) > 0 {
		// the others' probabilities, the found company among them
		post := m.posterior(append([]float64{w}, weights(others)...))[1:]
		res.RunnerUpID, res.RunnerUpScore = ix.companies[others[0].c].PartnerID, post[0]
		for i := 0; i < len(others) && len(res.Candidates) < 3; i++ {
			res.Candidates = append(res.Candidates, ix.candidate(m, r, others[i], post[i]))
		}
	}
	if w < -contradiction && method != MethodOverride {
		res.Review, res.ReviewReason = true, fmt.Sprintf("%s agrees but name and address weigh against it (%s bits)", method, signed(w))
	}
	return res
}

// probabilistic is the last step: the best candidate is accepted when its posterior
// clears MinScore, it beats the runner-up by MinMargin bits and, when its name is a
// chain's, the postcode or the town says which branch.
func (ix *Index) probabilistic(m *Model, r *record, candidates []ranked, o Options) Result {
	if len(candidates) == 0 {
		return Result{Review: true, ReviewReason: "no candidate"}
	}
	post := m.posterior(weights(candidates))
	var res Result
	for i := 0; i < len(candidates) && i < 3; i++ {
		res.Candidates = append(res.Candidates, ix.candidate(m, r, candidates[i], post[i]))
	}
	best := candidates[0]
	res.Score, res.Weight, res.Evidence = post[0], best.w, res.Candidates[0].Evidence
	margin := best.w
	if len(candidates) > 1 {
		res.RunnerUpID, res.RunnerUpScore = ix.companies[candidates[1].c].PartnerID, post[1]
		margin = best.w - candidates[1].w
	}
	bestRec := &ix.recs[best.c]
	branches := len(ix.byName[placeKey(bestRec.country, bestRec.name.Full)])
	switch {
	case post[0] < o.MinScore:
		res.Review, res.ReviewReason = true, fmt.Sprintf("below threshold: best score %.2f < %.2f", post[0], o.MinScore)
	case margin < o.MinMargin:
		res.Review, res.ReviewReason = true, fmt.Sprintf("ambiguous: margin %.1f bits over %s < %.1f", margin, res.RunnerUpID, o.MinMargin)
	case branches > 1 && best.p.level[cmpPostcode] != 1 && best.p.level[cmpCity] != 1 && best.p.level[cmpCity] != 2:
		res.Review, res.ReviewReason = true, fmt.Sprintf("chain: %d companies named %s, neither postcode nor town says which", branches, bestRec.name.Full)
	default:
		res.PartnerID, res.Method = ix.companies[best.c].PartnerID, MethodProbabilistic
	}
	return res
}

func (ix *Index) candidate(m *Model, r *record, k ranked, score float64) Candidate {
	ev, _ := ix.explain(m, r, &ix.recs[k.c])
	return Candidate{PartnerID: ix.companies[k.c].PartnerID, Score: score, Weight: k.w, Evidence: ev}
}

func weights(rs []ranked) []float64 {
	w := make([]float64, len(rs))
	for i, k := range rs {
		w[i] = k.w
	}
	return w
}
