-- match_counts: the run's summary of matching, for the log and the run's result, from
-- the spellings' figures (resellers: current lines, revenue and unknown products per
-- spelling) rather than from every line: each line has its spelling's partner.
-- Reads: resellers (temp table, see resellers.sql), partner_matches, match_review.
-- Writes: nothing.
-- Parameters: none.
-- Columns: resellers (spellings), matched (spellings with a partner), review (spellings
-- in the review queue); lines_matched, lines_unmatched (current lines with and without a
-- partner), unknown_products (current lines without a product line), revenue_matched
-- (share 0-1 of current revenue, base currency, with a partner; 0 without revenue).
SELECT count(*),
       (SELECT count(*) FROM partner_matches WHERE partner_id IS NOT NULL),
       (SELECT count(*) FROM match_review),
       coalesce(sum(r.lines) FILTER (WHERE m.partner_id IS NOT NULL), 0)::BIGINT,
       coalesce(sum(r.lines) FILTER (WHERE m.partner_id IS NULL), 0)::BIGINT,
       coalesce(sum(r.unknown_products), 0)::BIGINT,
       coalesce(sum(r.revenue) FILTER (WHERE m.partner_id IS NOT NULL) / nullif(sum(r.revenue), 0), 0)::DOUBLE
FROM resellers r
LEFT JOIN partner_matches m
  ON m.distributor = r.distributor
 AND m.reseller_id IS NOT DISTINCT FROM r.reseller_id
 AND m.reseller_name IS NOT DISTINCT FROM r.reseller_name
 AND m.reseller_postcode IS NOT DISTINCT FROM r.reseller_postcode
