-- rule_silent_partner: the loyal partners that have not bought for much longer than they
-- usually wait between two purchases (alerts.rules.silent_partner).
-- Loyal: partner_scores.loyalty at the latest as_of up to $as_of. Usual interval: the
-- mean gap, in days, between its distinct purchase days (matched lines with a positive
-- quantity) in the 365 days up to as_of; it needs min_purchases of them. Silent: the
-- days since its last purchase reach factor x that interval (warning) or
-- critical_factor x (critical), and at least min_days.
-- Reads: partner_scores, sales_out, partners. Writes: nothing.
-- Parameters: 1 as_of (a date), 2 factor, 3 critical_factor, 4 min_days, 5 min_purchases.
-- Columns: partner_id, name, city, last_purchase, days_silent, usual_interval (days),
-- purchase_days, severity, revenue_12m.
-- Order: partner_id.
WITH p AS (
    SELECT ?::DATE AS as_of, ?::DOUBLE AS factor, ?::DOUBLE AS critical_factor, ?::INTEGER AS min_days,
           ?::INTEGER AS min_purchases
),
loyal AS (
    SELECT s.partner_id, s.revenue_12m::DOUBLE AS revenue_12m
    FROM partner_scores s, p
    WHERE s.loyalty = 'loyal'
      AND s.as_of = (SELECT max(ps.as_of) FROM partner_scores ps WHERE ps.as_of <= p.as_of)
),
days AS (
    SELECT DISTINCT o.partner_id, o.invoice_date
    FROM sales_out o JOIN loyal l ON l.partner_id = o.partner_id, p
    WHERE o.quantity > 0 AND o.invoice_date <= p.as_of AND o.invoice_date > p.as_of - INTERVAL 365 DAY
),
stats AS (
    SELECT partner_id, count(*) AS purchase_days, max(invoice_date) AS last_purchase,
           date_diff('day', min(invoice_date), max(invoice_date)) / (count(*) - 1) AS usual_interval
    FROM days
    GROUP BY partner_id
    HAVING count(*) >= (SELECT min_purchases FROM p)
),
silent AS (
    SELECT s.*, date_diff('day', s.last_purchase, p.as_of) AS days_silent, p.factor, p.critical_factor, p.min_days
    FROM stats s, p
)
SELECT s.partner_id, coalesce(pa.name, s.partner_id), coalesce(pa.city, ''), s.last_purchase, s.days_silent,
       round(s.usual_interval, 1), s.purchase_days,
       CASE WHEN s.days_silent >= greatest(s.min_days, s.critical_factor * s.usual_interval) THEN 'critical' ELSE 'warning' END,
       l.revenue_12m
FROM silent s
JOIN loyal l ON l.partner_id = s.partner_id
LEFT JOIN (SELECT partner_id, min(name) AS name, min(city) AS city FROM partners GROUP BY partner_id) pa
       ON pa.partner_id = s.partner_id
WHERE s.days_silent >= greatest(s.min_days, s.factor * s.usual_interval)
ORDER BY s.partner_id
