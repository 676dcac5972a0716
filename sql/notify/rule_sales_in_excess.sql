-- rule_sales_in_excess: the distributors that bought (sales-in) far more than they sold
-- (sales-out) over the last months: stock piles up in the channel, and sales-in will
-- fall (alerts.rules.sales_in_excess). Empty without reference.sales_in.
-- Over the `months` calendar months ending with as_of's, from channel_stock at as_of:
-- sales-in units against sales-out units, all product lines together; judged when the
-- sales-in reach min_units. A ratio of warning_ratio is a warning, of critical_ratio (or
-- sales-in with no sales-out at all) critical.
-- Reads: channel_stock. Writes: nothing.
-- Parameters: 1 as_of (a date), 2 months, 3 warning_ratio, 4 critical_ratio, 5 min_units.
-- Columns: distributor, sales_in_units, sales_out_units, ratio (NULL when no sales-out),
-- estimated_stock (units at as_of's month, all lines), severity, from (first month).
-- Order: distributor.
WITH p AS (
    SELECT ?::DATE AS as_of, ?::INTEGER AS months, ?::DOUBLE AS warning_ratio, ?::DOUBLE AS critical_ratio,
           ?::DOUBLE AS min_units
),
d AS (
    SELECT c.distributor, sum(c.sales_in_units)::DOUBLE AS sales_in, sum(c.sales_out_units)::DOUBLE AS sales_out,
           sum(c.estimated_stock) FILTER (WHERE c.month = date_trunc('month', p.as_of))::DOUBLE AS stock,
           min(c.month) AS first_month
    FROM channel_stock c, p
    WHERE c.as_of = p.as_of AND c.month > date_trunc('month', p.as_of) - to_months(p.months)
    GROUP BY c.distributor
),
r AS (
    SELECT d.*, CASE WHEN d.sales_out > 0 THEN d.sales_in / d.sales_out END AS ratio, p.*
    FROM d, p
    WHERE d.sales_in >= p.min_units
)
SELECT distributor, sales_in, sales_out, round(ratio, 2), coalesce(stock, 0),
       CASE WHEN ratio IS NULL OR ratio >= critical_ratio THEN 'critical' ELSE 'warning' END, first_month::DATE
FROM r
WHERE ratio IS NULL OR ratio >= warning_ratio
ORDER BY distributor
