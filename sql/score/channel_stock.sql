-- channel_stock: the stock each distributor holds of each product line, month by month,
-- estimated from sales-in (what the manufacturer invoiced it) and sales-out (what it
-- resold), at as_of.
-- Reads: sales_in, products, sales_out. Writes: channel_stock (the rows of as_of are
-- replaced). Variables (set by pipeline/score): as_of, stock_window_months.
--
-- An estimate: the stock a distributor held before its first month of sales-in is
-- unknown, so it is counted as 0 there. A negative estimated_stock means the distributor
-- resold more than it was invoiced since then: its opening stock was at least that much.
-- Without sales_in rows (reference.sales_in not given) the table gets no rows.
--
--   sales-in        the sales_in rows of months up to as_of's month (a later month is left
--                   for a later as_of); a row's product line is its SKU's in products (the
--                   master rows, without distributor), else the product_line the row gives;
--                   a row with neither is left out (the reference load warned about it).
--                   Rows of the same distributor, product line and month add up; negative
--                   quantities (credit notes, returns to the manufacturer) subtract.
--   rows            one per distributor and product line with sales-in, and month from
--                   stock_since, its first month with sales-in, to as_of's month: a month
--                   without sales-in or sales-out has a row (0 and 0).
--   sales_in_units  the month's sales-in quantity; sales_in_amount the sum of its amounts
--                   (NULL when no row of the month gives one)
--   sales_out_units the quantity of the sales_out lines of the distributor and product line
--                   (the product line the match step resolved; matched or unmatched
--                   resellers alike) invoiced in the month and not after as_of; returns
--                   (negative) included. sales_out_revenue: their amount_base (a line
--                   without an exchange rate adds nothing).
--   stock_movement  sales_in_units - sales_out_units
--   estimated_stock the sum of stock_movement from stock_since to the month
--   avg_weekly_sales_out
--                   the sales-out units over the stock window / its days x 7, 3 decimals.
--                   The stock window of a month is the stock_window_months (W, default 3)
--                   calendar months ending with it: from the first day of the month W - 1
--                   months before to the month's last day, or to as_of in as_of's month.
--                   Months before stock_since count in it (the sales-out are real).
--   weeks_of_stock  estimated_stock / avg_weekly_sales_out, 1 decimal; NULL when the
--                   window's sales-out units are not > 0 (nothing resold, or returns only)
DELETE FROM channel_stock WHERE as_of = getvariable('as_of');

CREATE OR REPLACE TEMP TABLE stock_in AS
SELECT s.distributor,
       coalesce(p.product_line, s.product_line) AS product_line,
       s.month,
       sum(s.quantity) AS units,
       sum(s.amount) AS amount
FROM sales_in s
LEFT JOIN (SELECT sku, any_value(product_line) AS product_line FROM products
           WHERE distributor IS NULL GROUP BY sku) p ON p.sku = s.sku
WHERE s.month <= date_trunc('month', getvariable('as_of'))
  AND coalesce(p.product_line, s.product_line) IS NOT NULL
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE stock_out AS
SELECT o.distributor, o.product_line,
       date_trunc('month', o.invoice_date)::DATE AS month,
       sum(o.quantity) AS units,
       coalesce(sum(o.amount_base), 0) AS revenue
FROM sales_out o
SEMI JOIN (SELECT DISTINCT distributor, product_line FROM stock_in) k USING (distributor, product_line)
WHERE o.invoice_date <= getvariable('as_of')
GROUP BY ALL;

INSERT INTO channel_stock BY NAME
WITH months AS (
    SELECT distributor, product_line, stock_since,
           unnest(generate_series(stock_since, date_trunc('month', getvariable('as_of'))::DATE, INTERVAL 1 MONTH))::DATE AS month
    FROM (SELECT distributor, product_line, min(month) AS stock_since FROM stock_in GROUP BY ALL)
),
windows AS (
    SELECT m.distributor, m.product_line, m.month,
           sum(o.units) AS units,
           least(last_day(m.month), getvariable('as_of'))
               - (m.month - to_months(getvariable('stock_window_months') - 1))::DATE + 1 AS days
    FROM months m
    LEFT JOIN stock_out o
           ON o.distributor = m.distributor AND o.product_line = m.product_line
          AND o.month BETWEEN m.month - to_months(getvariable('stock_window_months') - 1) AND m.month
    GROUP BY ALL
),
flows AS (
    SELECT m.distributor, m.product_line, m.month, m.stock_since,
           coalesce(i.units, 0) AS sales_in_units,
           i.amount AS sales_in_amount,
           coalesce(o.units, 0) AS sales_out_units,
           coalesce(o.revenue, 0) AS sales_out_revenue,
           coalesce(i.units, 0) - coalesce(o.units, 0) AS stock_movement,
           CASE WHEN w.units > 0 THEN w.units / (w.days / 7.0) END AS weekly
    FROM months m
    JOIN windows w USING (distributor, product_line, month)
    LEFT JOIN stock_in i USING (distributor, product_line, month)
    LEFT JOIN stock_out o USING (distributor, product_line, month)
)
SELECT getvariable('as_of') AS as_of,
       distributor, product_line, month, stock_since,
       sales_in_units, sales_in_amount, sales_out_units, sales_out_revenue, stock_movement,
       sum(stock_movement) OVER (PARTITION BY distributor, product_line ORDER BY month) AS estimated_stock,
       round(weekly, 3) AS avg_weekly_sales_out,
       round(sum(stock_movement) OVER (PARTITION BY distributor, product_line ORDER BY month) / weekly, 1) AS weeks_of_stock
FROM flows;

DROP TABLE stock_in;
DROP TABLE stock_out;
