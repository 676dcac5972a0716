-- explain/scope: one scope's names and its year-to-date row of kpi_deviations, if it has
-- one (a scope without a target of the year has none: found is false).
-- Reads: partners, reps, kpi_deviations. Writes: nothing.
-- Parameters: 1 as_of (a date), 2 scope, 3 scope_id, 4 kpi (revenue or units).
-- Columns: name, detail, found, actual, target, annual_target, deviation_pct, severity,
-- phasing, last_year_actual, projected_year_end, unattributed.
--
--   name          total: 'All sales'; sales_rep: the rep's name in reps; partner: its name
--                 in partners; otherwise (or when unknown) the scope_id itself
--   detail        partner: 'town (postcode), territory T, rep NAME'; sales_rep:
--                 'territories A, B; manager EMAIL'; territory: 'reps NAME, NAME'; else ''
--   unattributed  territory rows: unmatched_revenue (kpi revenue) or unmatched_units (kpi
--                 units) of kpi_deviations; 0 otherwise
WITH params AS (
    SELECT ?::DATE AS as_of, ?::VARCHAR AS scope, ?::VARCHAR AS scope_id, ?::VARCHAR AS kpi
),
partner AS (
    SELECT p.name,
           concat_ws(', ',
                     nullif(concat_ws(' ', p.city, CASE WHEN p.postcode IS NOT NULL THEN '(' || p.postcode || ')' END), ''),
                     'territory ' || p.territory,
                     'rep ' || coalesce(r.name, p.sales_rep)) AS detail
    FROM partners p
    JOIN params ON params.scope = 'partner' AND p.partner_id = params.scope_id
    LEFT JOIN (SELECT sales_rep, min(name) AS name FROM reps GROUP BY sales_rep) r ON r.sales_rep = p.sales_rep
    LIMIT 1
),
rep AS (
    SELECT min(r.name) AS name,
           concat_ws('; ',
                     'territories ' || string_agg(DISTINCT r.territory, ', ' ORDER BY r.territory),
                     'manager ' || min(r.manager_email)) AS detail
    FROM reps r
    JOIN params ON params.scope = 'sales_rep' AND r.sales_rep = params.scope_id
    HAVING count(*) > 0
),
territory AS (
    SELECT 'reps ' || string_agg(DISTINCT coalesce(r.name, r.sales_rep), ', ' ORDER BY coalesce(r.name, r.sales_rep)) AS detail
    FROM reps r
    JOIN params ON params.scope = 'territory' AND r.territory = params.scope_id
    HAVING count(*) > 0
)
SELECT CASE params.scope
            WHEN 'total' THEN 'All sales'
            WHEN 'partner' THEN coalesce((SELECT name FROM partner), params.scope_id)
            WHEN 'sales_rep' THEN coalesce((SELECT name FROM rep), params.scope_id)
            ELSE params.scope_id
       END AS name,
       coalesce(CASE params.scope
                     WHEN 'partner' THEN (SELECT detail FROM partner)
                     WHEN 'sales_rep' THEN (SELECT detail FROM rep)
                     WHEN 'territory' THEN (SELECT detail FROM territory)
                END, '') AS detail,
       d.scope IS NOT NULL AS found,
       coalesce(d.actual, 0)::DOUBLE AS actual,
       coalesce(d.target, 0)::DOUBLE AS target,
       coalesce(d.annual_target, 0)::DOUBLE AS annual_target,
       d.deviation_pct,
       coalesce(d.severity, '') AS severity,
       coalesce(d.phasing, '') AS phasing,
       coalesce(d.last_year_actual, 0)::DOUBLE AS last_year_actual,
       d.projected_year_end::DOUBLE AS projected_year_end,
       coalesce(CASE params.kpi WHEN 'units' THEN d.unmatched_units ELSE d.unmatched_revenue END, 0)::DOUBLE AS unattributed
FROM params
LEFT JOIN kpi_deviations d ON d.as_of = params.as_of AND d.scope = params.scope AND d.scope_id = params.scope_id
                          AND d.kpi = params.kpi AND d.period = 'ytd'
