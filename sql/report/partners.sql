-- report/partners: the partners of one territory or sales rep at as_of, with their score,
-- class and plan (partner_scores), before and after: the business review's loyalty
-- movements, coverage, white spaces and development and prospecting targets are drawn
-- from these rows.
-- Reads: partners, partner_scores, partner_movements. Writes: nothing.
-- Parameters: 1 as_of (a date), 2 scope (territory or sales_rep), 3 scope_id.
-- Columns: partner_id, name, city, trade, channel_potential (partners.potential, NULL
-- when unknown), potential (partner_scores: the channel database's or estimated),
-- potential_estimated, high_potential, revenue_12m, revenue_prev_12m, loyalty,
-- loyalty_prev (at partner_scores.previous_as_of, one window earlier), plan, plan_prev,
-- share_of_wallet, score, rank, run_from_as_of, run_from_loyalty, run_from_plan (from
-- partner_movements: the run before; NULL when the snapshot holds one as_of or the
-- partner was not scored then). Order: score descending, partner_id.
WITH params AS (
    SELECT ?::DATE AS as_of, ?::VARCHAR AS scope, ?::VARCHAR AS scope_id
)
SELECT p.partner_id, p.name, p.city, p.trade,
       p.potential::DOUBLE AS channel_potential,
       s.potential::DOUBLE AS potential,
       coalesce(s.potential_estimated, false) AS potential_estimated,
       coalesce(s.high_potential, false) AS high_potential,
       s.revenue_12m::DOUBLE AS revenue_12m,
       coalesce(s.revenue_prev_12m, 0)::DOUBLE AS revenue_prev_12m,
       s.loyalty, coalesce(s.loyalty_prev, '') AS loyalty_prev,
       s.plan, coalesce(s.plan_prev, '') AS plan_prev,
       s.share_of_wallet, s.score, s.rank,
       m.from_as_of AS run_from_as_of, m.from_loyalty AS run_from_loyalty, m.from_plan AS run_from_plan
FROM partners p
CROSS JOIN params
JOIN partner_scores s ON s.partner_id = p.partner_id AND s.as_of = params.as_of
LEFT JOIN partner_movements m ON m.partner_id = p.partner_id AND m.to_as_of = params.as_of AND m.from_as_of IS NOT NULL
WHERE CASE params.scope WHEN 'territory' THEN p.territory WHEN 'sales_rep' THEN p.sales_rep END = params.scope_id
ORDER BY s.score DESC, p.partner_id
