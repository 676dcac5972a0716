-- rule_yoy_drop: the partners and territories whose revenue over the last months fell
-- against the same dates one year earlier (alerts.rules.yoy_drop).
-- Revenue: amount_base of the matched sales_out lines of the partner, or of the
-- territory's partners (partners.territory), invoiced in the `months` calendar months
-- up to as_of (as_of - months < invoice_date <= as_of), against the same dates a year
-- before. Only scopes whose last-year revenue reaches min_last_year (partners) or
-- min_territory_last_year (territories) are judged: a small account halving is noise;
-- and only loyal partners (partner_scores.loyalty at the latest as_of up to as_of): an
-- occasional buyer's empty quarter says nothing (silent_partner and the loyalty
-- movements cover the others).
-- Reads: sales_out, partners, partner_scores. Writes: nothing.
-- Parameters: 1 as_of (a date), 2 months, 3 warning_pct, 4 critical_pct, 5 min_last_year,
-- 6 min_territory_last_year.
-- Columns: scope (partner | territory), scope_id, name ('' for a territory), city,
-- actual, last_year, yoy_pct (negative: a drop), severity, from (first day of the
-- window).
-- Order: scope, scope_id.
WITH p AS (
    SELECT ?::DATE AS as_of, ?::INTEGER AS months, ?::DOUBLE AS warning_pct, ?::DOUBLE AS critical_pct,
           ?::DOUBLE AS min_partner, ?::DOUBLE AS min_territory
),
w AS (
    SELECT p.*, (as_of - to_months(months))::DATE AS cur_from, (as_of - INTERVAL 1 YEAR)::DATE AS ly_to,
           (as_of - to_months(months) - INTERVAL 1 YEAR)::DATE AS ly_from
    FROM p
),
lines AS (
    SELECT o.partner_id, pa.territory, o.amount_base::DOUBLE AS amount,
           o.invoice_date > w.cur_from AS cur, o.invoice_date <= w.ly_to AND o.invoice_date > w.ly_from AS ly
    FROM sales_out o
    JOIN (SELECT partner_id, min(territory) AS territory FROM partners GROUP BY partner_id) pa ON pa.partner_id = o.partner_id, w
    WHERE o.amount_base IS NOT NULL
      AND ((o.invoice_date > w.cur_from AND o.invoice_date <= w.as_of) OR (o.invoice_date > w.ly_from AND o.invoice_date <= w.ly_to))
),
agg AS (
    SELECT 'partner' AS scope, partner_id AS scope_id,
           coalesce(sum(amount) FILTER (WHERE cur), 0) AS actual, coalesce(sum(amount) FILTER (WHERE ly), 0) AS last_year
    FROM lines GROUP BY partner_id
    UNION ALL
    SELECT 'territory', territory,
           coalesce(sum(amount) FILTER (WHERE cur), 0), coalesce(sum(amount) FILTER (WHERE ly), 0)
    FROM lines WHERE territory IS NOT NULL GROUP BY territory
),
loyal AS (
    SELECT s.partner_id FROM partner_scores s, p
    WHERE s.loyalty = 'loyal' AND s.as_of = (SELECT max(ps.as_of) FROM partner_scores ps WHERE ps.as_of <= p.as_of)
),
judged AS (
    SELECT a.*, 100 * (a.actual - a.last_year) / a.last_year AS yoy_pct, w.warning_pct, w.critical_pct, w.cur_from
    FROM agg a, w
    WHERE a.last_year >= CASE a.scope WHEN 'partner' THEN w.min_partner ELSE w.min_territory END
      AND (a.scope <> 'partner' OR a.scope_id IN (SELECT partner_id FROM loyal))
)
SELECT j.scope, j.scope_id, coalesce(pa.name, ''), coalesce(pa.city, ''), round(j.actual, 2), round(j.last_year, 2),
       round(j.yoy_pct, 1), CASE WHEN j.yoy_pct <= -j.critical_pct THEN 'critical' ELSE 'warning' END,
       (j.cur_from + 1)::DATE
FROM judged j
LEFT JOIN (SELECT partner_id, min(name) AS name, min(city) AS city FROM partners GROUP BY partner_id) pa
       ON j.scope = 'partner' AND pa.partner_id = j.scope_id
WHERE j.yoy_pct <= -j.warning_pct
ORDER BY j.scope, j.scope_id
