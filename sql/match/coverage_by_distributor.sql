-- coverage_by_distributor: per distributor, the share of its lines and revenue that
-- matching recognised: the run's log of match_coverage.
-- Reads: match_coverage. Writes: nothing.
-- Parameters: none.
-- Columns: distributor, resellers (spellings), lines_matched_pct, revenue_matched_pct
-- (methods other than review, not_a_partner and unmatched), review (spellings in the
-- review queue).
SELECT distributor, sum(resellers)::BIGINT,
       coalesce(sum(lines_pct) FILTER (WHERE method NOT IN ('review', 'not_a_partner', 'unmatched')), 0),
       coalesce(sum(revenue_pct) FILTER (WHERE method NOT IN ('review', 'not_a_partner', 'unmatched')), 0),
       coalesce(sum(resellers) FILTER (WHERE method = 'review'), 0)::BIGINT
FROM match_coverage GROUP BY distributor ORDER BY distributor
