-- explain/figures: a scope's sales this year to as_of and last year, per month of the year
-- and per partner, distributor and product line within the scope, in one pass over
-- sales_out.
-- Reads: sales_out, partners, kpi_deviations. Writes: nothing.
-- Parameters: 1 as_of (a date), 2 scope, 3 scope_id, 4 kpi (revenue or units).
-- Columns: kind (month | partner | distributor | product_line), id (the month number
-- 1-12 as text, the partner_id, the distributor code or the product line; NULL for the
-- lines without one: unmatched resellers, unknown products), name and town (partners'
-- name and city, for kind partner), actual, last_year, last_year_full, target.
-- Order: kind, actual - last_year, id.
--
-- The lines of a scope are those kpi_deviations counts (sql/score/kpi_deviations.sql):
--   total every line; territory and sales_rep: partners.territory / partners.sales_rep of
--   the line's partner; partner: partner_id; product_line; distributor.
-- The value is amount_base (kpi revenue; a line without a base amount adds nothing) or
-- quantity (kpi units; returns are negative).
--   actual          1 January of as_of's year to as_of
--   last_year       the same dates one year earlier: 1 January to as_of - 1 year (the last
--                   day of that month when as_of is a month end), as kpi_deviations
--   last_year_full  the whole of last year (for a month: the whole month last year)
--   target          the contributor's own ytd target at as_of (kpi_deviations, the
--                   contributor's kind as scope); NULL when it has none, and for months
-- Figures are rounded to 2 decimals, as kpi_deviations rounds them.
WITH params AS (
    SELECT ?::DATE AS as_of, ?::VARCHAR AS scope, ?::VARCHAR AS scope_id, ?::VARCHAR AS kpi
),
today AS (
    SELECT *, year(as_of) AS this_year,
           CASE WHEN as_of = last_day(as_of) THEN last_day(as_of - INTERVAL 1 YEAR)
                ELSE (as_of - INTERVAL 1 YEAR)::DATE END AS as_of_last_year
    FROM params
),
scoped AS (
    SELECT month(l.invoice_date) AS m, l.partner_id, l.distributor, l.product_line,
           CASE t.kpi WHEN 'revenue' THEN l.amount_base WHEN 'units' THEN l.quantity END AS value,
           year(l.invoice_date) = t.this_year AS this_year,
           l.invoice_date <= t.as_of_last_year AND year(l.invoice_date) = t.this_year - 1 AS last_year_to_date
    FROM sales_out l
    LEFT JOIN partners p ON p.partner_id = l.partner_id
    JOIN today t ON l.invoice_date BETWEEN make_date(t.this_year - 1, 1, 1) AND t.as_of
    WHERE CASE t.scope
               WHEN 'total' THEN true
               WHEN 'territory' THEN p.territory = t.scope_id
               WHEN 'sales_rep' THEN p.sales_rep = t.scope_id
               WHEN 'partner' THEN l.partner_id = t.scope_id
               WHEN 'product_line' THEN l.product_line = t.scope_id
               WHEN 'distributor' THEN l.distributor = t.scope_id
          END
),
grouped AS (
    SELECT CASE WHEN grouping(m) = 0 THEN 'month'
                WHEN grouping(partner_id) = 0 THEN 'partner'
                WHEN grouping(distributor) = 0 THEN 'distributor'
                ELSE 'product_line' END AS kind,
           CASE WHEN grouping(m) = 0 THEN m::VARCHAR
                WHEN grouping(partner_id) = 0 THEN partner_id
                WHEN grouping(distributor) = 0 THEN distributor
                ELSE product_line END AS id,
           round(coalesce(sum(value) FILTER (WHERE this_year), 0), 2)::DOUBLE AS actual,
           round(coalesce(sum(value) FILTER (WHERE last_year_to_date), 0), 2)::DOUBLE AS last_year,
           round(coalesce(sum(value) FILTER (WHERE NOT this_year), 0), 2)::DOUBLE AS last_year_full
    FROM scoped
    GROUP BY GROUPING SETS ((m), (partner_id), (distributor), (product_line))
)
SELECT g.kind, g.id, p.name, p.city AS town, g.actual, g.last_year, g.last_year_full, d.target::DOUBLE AS target
FROM grouped g
CROSS JOIN params
LEFT JOIN partners p ON g.kind = 'partner' AND p.partner_id = g.id
LEFT JOIN kpi_deviations d ON g.kind <> 'month' AND d.as_of = params.as_of AND d.scope = g.kind AND d.scope_id = g.id
                          AND d.kpi = params.kpi AND d.period = 'ytd'
ORDER BY g.kind, g.actual - g.last_year, g.id
