-- open_deviations: the warning and critical year-to-date KPI deviations at as_of, each
-- with the name of its scope (the rep's, or the partner's and its town) and what
-- sql/score/kpi_deviations.sql computed beside the deviation: last year, the pace to the
-- year end and, for territories, the revenue of unrecognised resellers.
-- Only the ytd period raises alerts: qtd and mtd rows are for analysts (a month's
-- shortfall alone is noise for a manager's inbox).
-- Reads: kpi_deviations, reps, partners. Writes: nothing.
-- Parameters: 1 as_of (a date, yyyy-mm-dd).
-- Columns: scope, scope_id, kpi, period, actual, target, annual_target, deviation_pct,
-- severity, scope_name ('' for a territory or an unknown id), city ('' unless a
-- partner's), last_year_actual, yoy_pct, projected_year_end, unmatched_revenue (NULL
-- when unknown).
-- Order: scope, scope_id, kpi.
SELECT d.scope, d.scope_id, d.kpi, d.period, d.actual::DOUBLE, d.target::DOUBLE, d.annual_target::DOUBLE,
       d.deviation_pct, d.severity,
       coalesce(rp.name, p.name, ''), coalesce(p.city, ''),
       d.last_year_actual::DOUBLE, d.yoy_pct, d.projected_year_end::DOUBLE, d.unmatched_revenue::DOUBLE
FROM kpi_deviations d
LEFT JOIN (SELECT sales_rep, min(name) AS name FROM reps GROUP BY sales_rep) rp   -- a rep has a row per territory
       ON d.scope = 'sales_rep' AND rp.sales_rep = d.scope_id
LEFT JOIN (SELECT partner_id, min(name) AS name, min(city) AS city FROM partners GROUP BY partner_id) p
       ON d.scope = 'partner' AND p.partner_id = d.scope_id
WHERE d.as_of = ? AND d.period = 'ytd' AND d.severity IN ('warning', 'critical')
ORDER BY d.scope, d.scope_id, d.kpi
