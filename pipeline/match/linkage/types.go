// Package linkage matches resellers, as distributors report them in their sales-out
// feeds, to the companies of the channel database. It is a Fellegi–Sunter record
// linkage engine in pure Go, declared the way Splink declares one: comparisons with
// ordered levels (compare.go), blocking rules (candidates.go), m and u probabilities
// learnt from the data itself and kept as rows an analyst can read (model.go), and an
// evidence string for every decision built from those same rows (score.go), so that
// the explanation can never drift from the computation.
//
// Each reseller goes down a cascade (resolve.go, steps.go) whose first conclusive step
// wins; an analyst's rejected partner ids are never proposed by any step:
//
//	override      an analyst's decision (NotAPartner: unmatched, no review)   score 1
//	registration  its registration number (SIREN, SIRET, HRB, KvK, ACN...)
//	              has the digits of a company's                               score 1
//	vat           its VAT number is a company's                               score 1
//	siren         the SIREN of its SIRET or French VAT number is a company's  score 0.95
//	              (for these three: the only company, or the only one in
//	              the reseller's postcode)
//	reseller_id   the distributor's account number is known to be that
//	              company: every other spelling of the account that a step
//	              above matched found it, or an earlier run did (Known)       score 0.90
//	exact_name    the normalised name is a company's, legal forms compatible,
//	              the only one in the postcode (or else in the town); or the
//	              only one in the country, in the same postcode area, the
//	              name distinctive (a company that moved)                     score 0.90
//	probabilistic the Fellegi–Sunter posterior clears Options.MinScore, the
//	              weight beats the runner-up by Options.MinMargin bits, and
//	              a chain's branch is told by its postcode or town            its posterior
//
// A deterministic step whose pair the comparisons contradict (by more than 5 bits) is
// kept but flagged for review. A reseller no step concludes is unmatched (Method ""),
// flagged for review with the reason (no candidate, below threshold, ambiguous, chain)
// and its best three candidates.
package linkage

import "runtime"

// Company is one company of the channel database.
type Company struct{ PartnerID, Name, Registration, VAT, Address, Postcode, City, Country string }

// Reseller is one distinct reseller as a distributor reports it.
type Reseller struct {
	Distributor, ResellerID, Name, Registration, VAT, Address, Postcode, City, Country string
	Override                                                                           *Override // an analyst's decision, applied first
	Known                                                                              string    // partner_id learned for (Distributor, ResellerID) by an earlier run, "" if none
}

// Override is an analyst's decision about a reseller.
type Override struct {
	PartnerID   string   // the company it is
	NotAPartner bool     // it is in no company of the channel database
	Rejected    []string // "none of these": partner ids never to propose for it
}

// Candidate is a company a reseller may be.
type Candidate struct {
	PartnerID string
	Score     float64 // posterior probability that the reseller is this company, 0-1
	Weight    float64 // log2 Bayes factor of the pair: the sum of the evidence's bits
	Evidence  string
}

// Result is the decision about one reseller.
type Result struct {
	PartnerID     string // "" = unmatched
	Method        string // the cascade step that decided, "" when unmatched
	Score         float64
	Weight        float64
	RunnerUpID    string
	RunnerUpScore float64
	Evidence      string
	Candidates    []Candidate // the best three, best first
	Review        bool
	ReviewReason  string
}

// Methods, in cascade order.
const (
	MethodOverride      = "override"
	MethodRegistration  = "registration"
	MethodVAT           = "vat"
	MethodSIREN         = "siren"
	MethodResellerID    = "reseller_id"
	MethodExactName     = "exact_name"
	MethodProbabilistic = "probabilistic"
)

// methodScore is the confidence reported for the deterministic steps (the
// probabilistic step reports its posterior).
var methodScore = map[string]float64{
	MethodOverride: 1, MethodRegistration: 1, MethodVAT: 1, MethodSIREN: 0.95,
	MethodResellerID: 0.9, MethodExactName: 0.9,
}

// Options tune Resolve. A zero field takes its default (DefaultOptions).
type Options struct {
	// MinScore is the posterior probability the best candidate must reach to be
	// accepted by the probabilistic step.
	MinScore float64
	// MinMargin is how many bits of weight (log2 of the likelihood ratio) the best
	// candidate must have over the runner-up: 3 bits = 8 times likelier.
	MinMargin float64
	// Workers is the number of goroutines resolving resellers.
	Workers int
	// MaxNameBlock is the largest block by name word or phonetic key that is searched:
	// words shared by more companies are too common to find candidates by.
	MaxNameBlock int
	// MaxPlaceBlock is the largest block by postcode or town that is searched.
	MaxPlaceBlock int
}

// DefaultOptions are the options Resolve uses for zero fields. MinScore 0.6 and
// MinMargin 3 bits (eight times likelier than the runner-up) were chosen on the truth
// corpus (testdata/matchtruth) and four other corpora generated by package truth: the
// posterior of this model is conservative (of the probabilistic matches scored between
// 0.6 and 0.9 on those five corpora, 62 of 63 were right, while below 0.5 a third were
// wrong), and these values keep precision above 0.99 and recall above 0.95 on all five;
// 0.9 would send right matches to review for no precision gained. Blocks above 400
// (names) and 3000 (places) companies are skipped: such a word or town finds too many
// candidates to be worth comparing, and the other blocks still find the right one.
func DefaultOptions() Options {
	return Options{MinScore: 0.6, MinMargin: 3, Workers: runtime.GOMAXPROCS(0), MaxNameBlock: 400, MaxPlaceBlock: 3000}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.MinScore == 0 {
		o.MinScore = d.MinScore
	}
	if o.MinMargin == 0 {
		o.MinMargin = d.MinMargin
	}
	if o.Workers <= 0 {
		o.Workers = d.Workers
	}
	if o.MaxNameBlock <= 0 {
		o.MaxNameBlock = d.MaxNameBlock
	}
	if o.MaxPlaceBlock <= 0 {
		o.MaxPlaceBlock = d.MaxPlaceBlock
	}
	return o
}
