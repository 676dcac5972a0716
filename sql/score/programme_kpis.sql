-- programme_kpis: the KPIs of the action plans as the compuBase method reports them (the
-- OKI case: every top-50 partner still a client after a year, 10 % of the occasional
-- partners became loyal, 30 % of the base renewed, +25 % volume on the top 10 of the
-- development segment), at as_of against previous_as_of, the end of the previous window.
-- Reads: partner_scores (of as_of). Writes: programme_kpis (rows of as_of replaced).
-- Variables: as_of, retention_top_n, development_top_n.
--
-- Each KPI compares the window (revenue_12m, loyalty) with the previous window
-- (revenue_prev_12m, loyalty_prev, plan_prev) of the same partner_scores rows; a
-- partner is active in a window when its revenue there is > 0. One row per KPI:
--   top_retained            plan retention. partners = base: the partners ranked <=
--                           retention_top_n by revenue_prev_12m (dense ranking, as the
--                           retention plan) among those active then; value: of them, the
--                           ones still active; pct = 100 x value / base.
--   occasional_to_loyal     plan prospecting. partners = base: the partners occasional at
--                           previous_as_of; value: of them, the ones loyal now; pct = 100 x
--                           value / base.
--   base_renewed            plan prospecting. partners = base: the partners active now;
--                           value: of them, the ones not active in the previous window;
--                           pct = 100 x value / base.
--   development_top_volume  plan development. partners: the development_top_n partners
--                           whose plan at previous_as_of was development, largest
--                           revenue_prev_12m first (ties: partner_id); base: their
--                           revenue_prev_12m; value: their revenue_12m; pct, the growth:
--                           100 x (value - base) / base.
-- pct is rounded to 1 decimal, NULL when base is 0. No rows when partner_scores has none
-- at as_of.
DELETE FROM programme_kpis WHERE as_of = getvariable('as_of');

INSERT INTO programme_kpis (as_of, previous_as_of, kpi, plan, partners, base, value, pct)
WITH
scores AS (
    SELECT * FROM partner_scores WHERE as_of = getvariable('as_of')
),
top_before AS (
    SELECT revenue_12m
    FROM (SELECT revenue_12m, dense_rank() OVER (ORDER BY revenue_prev_12m DESC) AS revenue_rank
          FROM scores WHERE revenue_prev_12m > 0)
    WHERE revenue_rank <= getvariable('retention_top_n')
),
development_before AS (
    SELECT revenue_prev_12m, revenue_12m
    FROM scores
    WHERE plan_prev = 'development'
    ORDER BY revenue_prev_12m DESC, partner_id
    LIMIT getvariable('development_top_n')
),
kpis AS (
    SELECT 'top_retained' AS kpi, 'retention' AS plan, count(*) AS partners,
           count(*) AS base, count(*) FILTER (WHERE revenue_12m > 0) AS value
    FROM top_before
    UNION ALL
    SELECT 'occasional_to_loyal', 'prospecting', count(*),
           count(*), count(*) FILTER (WHERE loyalty = 'loyal')
    FROM scores WHERE loyalty_prev = 'occasional'
    UNION ALL
    SELECT 'base_renewed', 'prospecting', count(*),
           count(*), count(*) FILTER (WHERE revenue_prev_12m <= 0)
    FROM scores WHERE revenue_12m > 0
    UNION ALL
    SELECT 'development_top_volume', 'development', count(*),
           coalesce(sum(revenue_prev_12m), 0), coalesce(sum(revenue_12m), 0)
    FROM development_before
)
SELECT getvariable('as_of'),
       (SELECT any_value(previous_as_of) FROM scores),
       kpi, plan, partners, base, value,
       round(100 * CASE WHEN kpi = 'development_top_volume' THEN (value - base) / nullif(base, 0)
                        ELSE value / nullif(base, 0) END, 1)
FROM kpis
WHERE EXISTS (SELECT 1 FROM scores);
