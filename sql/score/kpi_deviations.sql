-- kpi_deviations: each target of the year of as_of against the sales-out of the year so
-- far: one row per (scope, scope_id, kpi) of targets, period 'ytd' (year to date).
-- Reads: targets, sales_out, partners. Writes: kpi_deviations (the rows of as_of are replaced).
-- Variables (set by pipeline/score): as_of, warning_pct, critical_pct.
--
--   actual         over the sales_out lines with Jan 1 of as_of's year <= invoice_date <= as_of:
--                  revenue = sum(amount_base) (lines without a base amount add nothing),
--                  units = sum(quantity); rounded to 2 decimals, 0 when no line is in scope.
--                  Lines in scope, by scope:
--                    total         every line (scope_id is only a label)
--                    territory     partners.territory = scope_id, through the line's partner_id
--                    sales_rep     partners.sales_rep = scope_id, through the line's partner_id
--                    partner       partner_id = scope_id
--                    product_line  product_line = scope_id
--                    distributor   distributor = scope_id
--   target         the part of the year's target due by as_of, rounded to 2 decimals:
--                  with monthly targets (month not NULL) for the year: the sum of the
--                  months before as_of's month + that month's target x day(as_of) / days in
--                  the month (a month without a row counts 0); else the annual target (month
--                  NULL; several rows add up) x day of year of as_of / days in the year.
--   annual_target  the annual target (month NULL) if there is one, else the sum of the months
--   deviation_pct  (actual - target) / target x 100, from the rounded actual and target,
--                  rounded to 2 decimals; NULL when target = 0
--   severity       critical when deviation_pct <= -critical_pct, warning when <= -warning_pct,
--                  else ok (a NULL deviation_pct is ok)

DELETE FROM kpi_deviations WHERE as_of = getvariable('as_of');

INSERT INTO kpi_deviations (as_of, scope, scope_id, kpi, period, actual, target, annual_target,
                            deviation_pct, severity)
WITH
year_targets AS (
    SELECT scope, scope_id, kpi,
           count(month) > 0 AS has_months,
           sum(target) FILTER (WHERE month IS NULL) AS annual,
           sum(target) FILTER (WHERE month IS NOT NULL) AS months_total,
           coalesce(sum(target) FILTER (WHERE month < month(getvariable('as_of'))), 0) AS months_before,
           coalesce(sum(target) FILTER (WHERE month = month(getvariable('as_of'))), 0) AS this_month
    FROM targets
    WHERE year = year(getvariable('as_of'))
    GROUP BY scope, scope_id, kpi
),
due AS (
    SELECT scope, scope_id, kpi,
           coalesce(annual, months_total) AS annual_target,
           round(CASE WHEN has_months
                      THEN months_before::DOUBLE + this_month::DOUBLE * day(getvariable('as_of'))
                                                   / day(last_day(getvariable('as_of')))
                      ELSE annual::DOUBLE * dayofyear(getvariable('as_of'))
                           / dayofyear(make_date(year(getvariable('as_of')), 12, 31))
                 END, 2)::DECIMAL(18,2) AS target
    FROM year_targets
),
ytd_lines AS (
    SELECT l.amount_base, l.quantity, l.partner_id, l.product_line, l.distributor,
           p.territory, p.sales_rep
    FROM sales_out l
    LEFT JOIN partners p ON p.partner_id = l.partner_id
    WHERE l.invoice_date BETWEEN make_date(year(getvariable('as_of')), 1, 1) AND getvariable('as_of')
),
-- one aggregation per scope in a single pass; in each grouping set the other keys are NULL
actuals AS (
    SELECT CASE WHEN grouping(territory) = 0 THEN 'territory'
                WHEN grouping(sales_rep) = 0 THEN 'sales_rep'
                WHEN grouping(partner_id) = 0 THEN 'partner'
                WHEN grouping(product_line) = 0 THEN 'product_line'
                WHEN grouping(distributor) = 0 THEN 'distributor'
                ELSE 'total' END AS scope,
           coalesce(territory, sales_rep, partner_id, product_line, distributor) AS scope_id,
           sum(amount_base) AS revenue, sum(quantity) AS units
    FROM ytd_lines
    GROUP BY GROUPING SETS ((), (territory), (sales_rep), (partner_id), (product_line), (distributor))
),
measured AS (
    SELECT d.scope, d.scope_id, d.kpi, d.target, d.annual_target,
           round(coalesce(CASE d.kpi WHEN 'revenue' THEN a.revenue WHEN 'units' THEN a.units END, 0), 2)::DECIMAL(18,2) AS actual
    FROM due d
    LEFT JOIN actuals a ON a.scope = d.scope AND (d.scope = 'total' OR a.scope_id = d.scope_id)
),
deviations AS (
    SELECT *,
           CASE WHEN target <> 0 THEN round((actual - target)::DOUBLE / target::DOUBLE * 100, 2) END AS deviation_pct
    FROM measured
)
SELECT getvariable('as_of'), scope, scope_id, kpi, 'ytd', actual, target, annual_target, deviation_pct,
       CASE WHEN deviation_pct <= -getvariable('critical_pct') THEN 'critical'
            WHEN deviation_pct <= -getvariable('warning_pct') THEN 'warning'
            ELSE 'ok' END
FROM deviations;
