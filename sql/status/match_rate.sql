-- match_rate: per distributor, the share of its current lines and revenue matched to a
-- channel-database partner, and its distinct resellers matched.
-- Reads: sales_out, partner_matches. Writes: nothing.
-- Parameters: none.
-- Columns: distributor, lines, lines matched, revenue (base currency), revenue matched,
-- resellers, resellers matched.
WITH l AS (
    SELECT distributor,
           count(*) AS lines,
           count(*) FILTER (WHERE partner_id IS NOT NULL) AS matched,
           coalesce(sum(amount_base), 0) AS revenue,
           coalesce(sum(amount_base) FILTER (WHERE partner_id IS NOT NULL), 0) AS revenue_matched
    FROM sales_out
    GROUP BY distributor
), r AS (
    SELECT distributor, count(*) AS resellers, count(partner_id) AS resellers_matched
    FROM partner_matches
    GROUP BY distributor
)
SELECT l.distributor, l.lines, l.matched, l.revenue::DOUBLE, l.revenue_matched::DOUBLE,
       coalesce(r.resellers, 0), coalesce(r.resellers_matched, 0)
FROM l LEFT JOIN r USING (distributor)
ORDER BY l.distributor
