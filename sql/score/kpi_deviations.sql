-- kpi_deviations: each target of the year of as_of against the sales-out of the year, the
-- quarter and the month so far: one row per (scope, scope_id, kpi) of targets and period,
-- with last year's figure for the same dates, the pace projected to the year end and, for
-- territories, what unmatched resellers of the territory's area bought.
-- Reads: targets, sales_out, partners, postcode_territories. Writes: kpi_deviations (the
-- rows of as_of are replaced).
-- Variables (set by pipeline/score): as_of, phasing (even or last_year), warning_pct,
-- critical_pct.
--
--   period         ytd (year to date): from 1 January of as_of's year; qtd: from the first
--                  day of as_of's quarter; mtd: from the first day of as_of's month; each to
--                  as_of included; period_start is that first day (on 1 January the three
--                  periods are that one day)
--   actual         over the sales_out lines of the period: revenue = sum(amount_base) (lines
--                  without a base amount add nothing), units = sum(quantity) (returns are
--                  negative, so a period can be negative); rounded to 2 decimals, 0 when no
--                  line is in scope. Lines in scope, by scope:
--                    total         every line (scope_id is only a label, empty when not given)
--                    territory     partners.territory = scope_id, through the line's partner_id
--                    sales_rep     partners.sales_rep = scope_id, through the line's partner_id
--                    partner       partner_id = scope_id
--                    product_line  product_line = scope_id
--                    distributor   distributor = scope_id
--   month target   what is due in each month m of the year, by phasing (the column says
--                  which rule was used):
--                    monthly    the target has monthly rows (month not NULL) for the year:
--                               the rows of month m (a month without a row is 0)
--                  otherwise A = the annual target (month NULL; several rows add up) and
--                    even       A x days in m / days in the year (366 in a leap year)
--                    last_year  with phasing last_year: A x LY(m) / (LY(1) + ... + LY(12)),
--                               LY(m) being the same scope's actual (revenue or units, as
--                               the kpi) in month m of last year, 0 for a month whose returns
--                               outweigh its sales; even when that sum is 0 (the scope sold
--                               nothing last year)
--   target         the part of the month targets due in the period by as_of: the months of
--                  the period before as_of's month, plus as_of's month's target x day(as_of)
--                  / days in that month; rounded to 2 decimals. With even phasing that is
--                  A x days from period_start to as_of / days in the year.
--   annual_target  the annual target (month NULL) if there is one, else the sum of the months
--   deviation_pct  (actual - target) / target x 100, from the rounded actual and target,
--                  rounded to 2 decimals; NULL when target = 0
--   severity       critical when deviation_pct <= -critical_pct, warning when <= -warning_pct,
--                  else ok (a NULL deviation_pct is ok)
--   last_year_actual  actual over the same dates one year earlier: period_start - 1 year to
--                  as_of - 1 year (the last day of that month when as_of is a month end, so
--                  28 February 2027 compares with 29 February 2028 and back), through
--                  today's channel database
--   yoy_pct        (actual - last_year_actual) / last_year_actual x 100, rounded to 2
--                  decimals; NULL when last_year_actual <= 0
--   projected_year_end  the year's actual if the rest of the year kept the period's pace:
--                  ytd actual + (annual_target - ytd target) x actual / target; for ytd
--                  that is actual / (target / annual_target): the actual divided by the share
--                  of the year's target due by as_of. Rounded to 2 decimals; NULL when
--                  target = 0
--   unmatched_revenue, unmatched_units  territory rows (NULL for the other scopes): the
--                  revenue and units of the period's lines without a partner (partner_id
--                  NULL) whose reseller's postcode postcode_territories places in the
--                  territory; 0 when none. They count in no territory's actual: up to that
--                  much of the territory's sales was not recognised.

DELETE FROM kpi_deviations WHERE as_of = getvariable('as_of');

INSERT INTO kpi_deviations (as_of, scope, scope_id, kpi, period, actual, target, annual_target, deviation_pct, severity,
                            period_start, phasing, last_year_actual, yoy_pct, projected_year_end,
                            unmatched_revenue, unmatched_units)
WITH
today AS (
    SELECT getvariable('as_of') AS as_of,
           year(getvariable('as_of')) AS this_year,
           CASE WHEN getvariable('as_of') = last_day(getvariable('as_of'))
                THEN last_day(getvariable('as_of') - INTERVAL 1 YEAR)
                ELSE (getvariable('as_of') - INTERVAL 1 YEAR)::DATE
           END AS as_of_last_year,
           dayofyear(make_date(year(getvariable('as_of')), 12, 31)) AS days_in_year
),
periods AS (
    SELECT 'ytd' AS period, make_date(this_year, 1, 1) AS period_start FROM today
    UNION ALL
    SELECT 'qtd', date_trunc('quarter', as_of)::DATE FROM today
    UNION ALL
    SELECT 'mtd', date_trunc('month', as_of)::DATE FROM today
),
months AS (
    SELECT m, day(last_day(make_date(this_year, m, 1))) AS days
    FROM today, range(1, 13) AS r(m)
),
-- the targets of the year; scope_key is how a target finds its lines (total: all of them)
year_targets AS (
    SELECT t.scope, t.scope_id, t.kpi,
           CASE WHEN t.scope = 'total' THEN '' ELSE t.scope_id END AS scope_key,
           count(t.month) > 0 AS has_months,
           sum(t.target) FILTER (WHERE t.month IS NULL) AS annual,
           coalesce(sum(t.target) FILTER (WHERE t.month IS NULL), sum(t.target) FILTER (WHERE t.month IS NOT NULL)) AS annual_target
    FROM targets t, today
    WHERE t.year = today.this_year
    GROUP BY t.scope, t.scope_id, t.kpi
),
month_rows AS (
    SELECT t.scope, t.scope_id, t.kpi, t.month AS m, sum(t.target) AS target
    FROM targets t, today
    WHERE t.year = today.this_year AND t.month IS NOT NULL
    GROUP BY ALL
),
-- each scope's revenue and units per day, from 1 January of last year to as_of; in each
-- grouping set the keys of the other scopes are NULL
scope_days AS (
    SELECT CASE WHEN grouping(p.territory) = 0 THEN 'territory'
                WHEN grouping(p.sales_rep) = 0 THEN 'sales_rep'
                WHEN grouping(l.partner_id) = 0 THEN 'partner'
                WHEN grouping(l.product_line) = 0 THEN 'product_line'
                WHEN grouping(l.distributor) = 0 THEN 'distributor'
                ELSE 'total' END AS scope,
           CASE WHEN grouping(p.territory, p.sales_rep, l.partner_id, l.product_line, l.distributor) = 31 THEN ''
                ELSE coalesce(p.territory, p.sales_rep, l.partner_id, l.product_line, l.distributor) END AS scope_key,
           l.invoice_date AS day,
           sum(l.amount_base) AS revenue, sum(l.quantity) AS units
    FROM sales_out l
    LEFT JOIN partners p ON p.partner_id = l.partner_id
    JOIN today ON l.invoice_date BETWEEN make_date(today.this_year - 1, 1, 1) AND today.as_of
    GROUP BY GROUPING SETS ((l.invoice_date), (l.invoice_date, p.territory), (l.invoice_date, p.sales_rep),
                            (l.invoice_date, l.partner_id), (l.invoice_date, l.product_line), (l.invoice_date, l.distributor))
),
-- each target's kpi per day
target_days AS (
    SELECT t.scope, t.scope_id, t.kpi, d.day,
           CASE t.kpi WHEN 'revenue' THEN d.revenue WHEN 'units' THEN d.units END AS value
    FROM year_targets t
    JOIN scope_days d ON d.scope = t.scope AND d.scope_key = t.scope_key
),
last_year_months AS (
    SELECT t.scope, t.scope_id, t.kpi, month(t.day) AS m, greatest(coalesce(sum(t.value), 0), 0) AS value
    FROM target_days t, today
    WHERE year(t.day) = today.this_year - 1
    GROUP BY ALL
),
last_year_totals AS (
    SELECT scope, scope_id, kpi, sum(value) AS value
    FROM last_year_months
    GROUP BY ALL
),
-- each target's phasing rule
phasings AS (
    SELECT t.*,
           CASE WHEN t.has_months THEN 'monthly'
                WHEN getvariable('phasing') = 'last_year' AND ly.value > 0 THEN 'last_year'
                ELSE 'even' END AS phasing,
           ly.value AS last_year_total
    FROM year_targets t
    LEFT JOIN last_year_totals ly USING (scope, scope_id, kpi)
),
-- what is due in each month of the year
phased AS (
    SELECT t.scope, t.scope_id, t.kpi, t.phasing, mo.m, mo.days,
           CASE t.phasing
                WHEN 'monthly' THEN coalesce(mr.target, 0)::DOUBLE
                WHEN 'last_year' THEN t.annual::DOUBLE * coalesce(ly.value, 0) / t.last_year_total
                ELSE t.annual::DOUBLE * mo.days / today.days_in_year
           END AS month_target
    FROM phasings t
    CROSS JOIN months mo
    CROSS JOIN today
    LEFT JOIN month_rows mr ON mr.scope = t.scope AND mr.scope_id = t.scope_id AND mr.kpi = t.kpi AND mr.m = mo.m
    LEFT JOIN last_year_months ly ON ly.scope = t.scope AND ly.scope_id = t.scope_id AND ly.kpi = t.kpi AND ly.m = mo.m
),
due AS (
    SELECT ph.scope, ph.scope_id, ph.kpi, p.period, p.period_start, any_value(ph.phasing) AS phasing,
           round(sum(ph.month_target * CASE WHEN ph.m < month(p.period_start) OR ph.m > month(today.as_of) THEN 0
                                            WHEN ph.m < month(today.as_of) THEN 1
                                            ELSE day(today.as_of) / ph.days END), 2)::DECIMAL(18,2) AS target
    FROM phased ph
    CROSS JOIN periods p
    CROSS JOIN today
    GROUP BY ph.scope, ph.scope_id, ph.kpi, p.period, p.period_start
),
actuals AS (
    SELECT d.scope, d.scope_id, d.kpi, d.period,
           round(coalesce(sum(t.value) FILTER (WHERE t.day BETWEEN d.period_start AND today.as_of), 0), 2)::DECIMAL(18,2) AS actual,
           round(coalesce(sum(t.value) FILTER (WHERE t.day BETWEEN (d.period_start - INTERVAL 1 YEAR)::DATE
                                                               AND today.as_of_last_year), 0), 2)::DECIMAL(18,2) AS last_year_actual
    FROM due d
    CROSS JOIN today
    LEFT JOIN target_days t ON t.scope = d.scope AND t.scope_id = d.scope_id AND t.kpi = d.kpi
    GROUP BY d.scope, d.scope_id, d.kpi, d.period
),
-- the lines without a partner, placed in a territory by their postcode
unmatched AS (
    SELECT pt.territory, l.invoice_date AS day, sum(l.amount_base) AS revenue, sum(l.quantity) AS units
    FROM sales_out l
    JOIN postcode_territories pt ON pt.country IS NOT DISTINCT FROM l.reseller_country AND pt.postcode = l.reseller_postcode
    JOIN today ON l.invoice_date BETWEEN make_date(today.this_year, 1, 1) AND today.as_of
    WHERE l.partner_id IS NULL AND pt.territory IS NOT NULL
    GROUP BY ALL
),
unmatched_by_period AS (
    SELECT d.scope_id AS territory, d.period,
           round(coalesce(sum(u.revenue), 0), 2)::DECIMAL(18,2) AS revenue,
           coalesce(sum(u.units), 0)::DECIMAL(18,3) AS units
    FROM (SELECT DISTINCT scope_id, period, period_start FROM due WHERE scope = 'territory') d
    CROSS JOIN today
    LEFT JOIN unmatched u ON u.territory = d.scope_id AND u.day BETWEEN d.period_start AND today.as_of
    GROUP BY ALL
),
measured AS (
    SELECT d.*, t.annual_target, a.actual, a.last_year_actual,
           CASE WHEN d.target <> 0 THEN round((a.actual - d.target)::DOUBLE / d.target::DOUBLE * 100, 2) END AS deviation_pct
    FROM due d
    JOIN year_targets t USING (scope, scope_id, kpi)
    JOIN actuals a USING (scope, scope_id, kpi, period)
),
ytd AS (
    SELECT scope, scope_id, kpi, actual AS ytd_actual, target AS ytd_target
    FROM measured
    WHERE period = 'ytd'
)
SELECT getvariable('as_of'), m.scope, m.scope_id, m.kpi, m.period, m.actual, m.target, m.annual_target, m.deviation_pct,
       CASE WHEN m.deviation_pct <= -getvariable('critical_pct') THEN 'critical'
            WHEN m.deviation_pct <= -getvariable('warning_pct') THEN 'warning'
            ELSE 'ok' END,
       m.period_start, m.phasing, m.last_year_actual,
       CASE WHEN m.last_year_actual > 0
            THEN round((m.actual - m.last_year_actual)::DOUBLE / m.last_year_actual::DOUBLE * 100, 2) END,
       CASE WHEN m.target <> 0
            THEN round(y.ytd_actual::DOUBLE + (m.annual_target - y.ytd_target)::DOUBLE * m.actual::DOUBLE / m.target::DOUBLE, 2) END,
       u.revenue, u.units
FROM measured m
JOIN ytd y USING (scope, scope_id, kpi)
LEFT JOIN unmatched_by_period u ON m.scope = 'territory' AND u.territory = m.scope_id AND u.period = m.period;
