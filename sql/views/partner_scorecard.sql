-- partner_scorecard: one row per partner at the latest as_of of partner_scores, with what
-- a sales manager looks at first: who and where the partner is, its rep, its class and
-- plan, its score and rank, revenue and growth, share of wallet and potential, its last
-- purchase and its class one window earlier.
-- Reads: partner_scores, partners, reps. Writes: the view partner_scorecard (replaced) and
-- its comments; the analysts' snapshot gets it too.
--
--   as_of .. loyalty_prev  partner_scores of the latest as_of, as they are there
--   name, city, territory, sales_rep
--                          the channel database of today (partners); NULL for a partner
--                          no longer in it
--   rep_name               the name reps gives the partner's sales_rep (a rep has a row per
--                          territory, with the same name); NULL when reps does not know it
--
-- Ordered by rank, then partner_id. Empty while partner_scores is.
CREATE OR REPLACE VIEW partner_scorecard AS
SELECT s.as_of, s.rank, s.partner_id,
       p.name, p.city, p.territory, p.sales_rep, r.rep_name,
       s.loyalty, s.plan, s.score, s.revenue_12m, s.growth, s.share_of_wallet,
       s.potential, s.potential_estimated, s.last_purchase,
       s.previous_as_of, s.loyalty_prev
FROM partner_scores s
LEFT JOIN partners p ON p.partner_id = s.partner_id
LEFT JOIN (SELECT sales_rep, min(name) AS rep_name FROM reps GROUP BY sales_rep) r ON r.sales_rep = p.sales_rep
WHERE s.as_of = (SELECT max(as_of) FROM partner_scores)
ORDER BY s.rank, s.partner_id;

COMMENT ON VIEW partner_scorecard IS 'One row per partner at the latest as_of of partner_scores: who and where it is, its rep, loyalty class and plan, score and rank, revenue and growth, share of wallet and potential, last purchase, and its class one window earlier. Ordered by rank.';
COMMENT ON COLUMN partner_scorecard.as_of IS 'The latest as_of of partner_scores.';
COMMENT ON COLUMN partner_scorecard.rank IS 'Rank by score, 1 = highest; ties share a rank.';
COMMENT ON COLUMN partner_scorecard.partner_id IS 'The partner (partners.partner_id).';
COMMENT ON COLUMN partner_scorecard.name IS 'Its name in the channel database; NULL when it is no longer there.';
COMMENT ON COLUMN partner_scorecard.city IS 'Its town.';
COMMENT ON COLUMN partner_scorecard.territory IS 'Its territory.';
COMMENT ON COLUMN partner_scorecard.sales_rep IS 'Its sales rep''s id.';
COMMENT ON COLUMN partner_scorecard.rep_name IS 'Its sales rep''s name (reps); NULL when reps does not know the rep.';
COMMENT ON COLUMN partner_scorecard.loyalty IS 'Loyalty class: loyal, occasional, opportunistic, new, lost or none.';
COMMENT ON COLUMN partner_scorecard.plan IS 'Action plan: retention, development, prospecting or support.';
COMMENT ON COLUMN partner_scorecard.score IS 'Score 0-100.';
COMMENT ON COLUMN partner_scorecard.revenue_12m IS 'Net revenue in the window (default the 12 months to as_of), base currency.';
COMMENT ON COLUMN partner_scorecard.growth IS 'Revenue against the previous window: 0.25 = +25 %; NULL when the previous window''s revenue is not positive.';
COMMENT ON COLUMN partner_scorecard.share_of_wallet IS 'revenue_12m / potential; NULL when the potential is unknown or not positive.';
COMMENT ON COLUMN partner_scorecard.potential IS 'Annual purchases in our category, base currency: the channel database''s, else an estimate.';
COMMENT ON COLUMN partner_scorecard.potential_estimated IS 'true: potential is an estimate (median of similar partners), the channel database giving none.';
COMMENT ON COLUMN partner_scorecard.last_purchase IS 'Last invoice_date of a purchase up to as_of; NULL: never bought.';
COMMENT ON COLUMN partner_scorecard.previous_as_of IS 'One window before as_of: the date of loyalty_prev.';
COMMENT ON COLUMN partner_scorecard.loyalty_prev IS 'Loyalty class at previous_as_of, one window earlier (same rules).';
