package demo

// PartnerBehaviour is the buying behaviour the generator gave a partner of the channel
// database: the answer key of the partner model, as matching has truth/resellers.csv.
type PartnerBehaviour struct {
	PartnerID string
	// Loyalty is the class partner_scores should find at Options.AsOf: none, loyal,
	// occasional, opportunistic, new or lost.
	Loyalty string
	// Silent marks the three large loyal partners that stopped buying two months before
	// AsOf (still loyal over the year; the partner targets show them behind).
	Silent bool
}

// Behaviours is the behaviour of every partner of the demo Generate writes with the same
// Options, in partner_id order. It draws the channel database again (the draws are
// deterministic) rather than reading any file, and is not an input of the pipeline.
func Behaviours(o Options) ([]PartnerBehaviour, error) {
	if err := o.normalise(); err != nil {
		return nil, err
	}
	w := newWorld(o)
	out := make([]PartnerBehaviour, len(w.partners))
	for i, p := range w.partners {
		out[i] = PartnerBehaviour{PartnerID: p.id, Loyalty: p.behaviour.String(), Silent: p.silent}
	}
	return out, nil
}
