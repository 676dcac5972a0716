-- product_adoption: how fast partners adopt each product: from its first sale, how many
-- partners sold it within 4, 8, 12, 26 and 52 weeks, at as_of.
-- Reads: sales_out. Writes: product_adoption (the rows of as_of are replaced).
-- Variables (set by pipeline/score): as_of.
--
-- A sale is a sales_out line invoiced up to as_of with a quantity > 0 and a sku (the
-- manufacturer's SKU when products resolved it, else the one the distributor sent); a
-- return (quantity <= 0) is no sale and does not undo one. One row per sku with a sale:
--   first_sale              the invoice_date of its first sale, any distributor, matched
--                           reseller or not: the first sale in the data, which for a
--                           product sold before the first file loaded is not its launch
--   product_line            of its sales (the one products gives), NULL when unknown
--   weeks_since_first_sale  whole weeks from first_sale to as_of: (as_of - first_sale) / 7
--                           rounded down
--   partners_Nw             for N in 4, 8, 12, 26, 52: the partners (sales_out.partner_id,
--                           matched resellers only) whose first sale of the sku falls in
--                           its first N weeks, first_sale <= invoice_date < first_sale +
--                           7 x N days; NULL while those weeks have not all elapsed, i.e.
--                           when first_sale + 7 x N - 1 > as_of (a product first sold 3
--                           weeks ago has partners_4w NULL)
--   partners_to_date        the partners with a sale of it up to as_of
--   distributors_to_date    the distributors with a sale of it up to as_of
DELETE FROM product_adoption WHERE as_of = getvariable('as_of');

INSERT INTO product_adoption BY NAME
WITH sales AS (
    SELECT sku, distributor, partner_id, invoice_date, product_line
    FROM sales_out
    WHERE sku IS NOT NULL AND quantity > 0 AND invoice_date <= getvariable('as_of')
),
products_sold AS (
    SELECT sku, min(invoice_date) AS first_sale, max(product_line) AS product_line,
           count(DISTINCT distributor) AS distributors_to_date
    FROM sales
    GROUP BY sku
),
partner_first AS (
    SELECT sku, partner_id, min(invoice_date) AS first_sold
    FROM sales
    WHERE partner_id IS NOT NULL
    GROUP BY ALL
),
adopters AS (
    SELECT p.sku, p.product_line, p.first_sale, p.distributors_to_date,
           count(f.partner_id) FILTER (WHERE f.first_sold < p.first_sale + 7 * 4) AS within_4w,
           count(f.partner_id) FILTER (WHERE f.first_sold < p.first_sale + 7 * 8) AS within_8w,
           count(f.partner_id) FILTER (WHERE f.first_sold < p.first_sale + 7 * 12) AS within_12w,
           count(f.partner_id) FILTER (WHERE f.first_sold < p.first_sale + 7 * 26) AS within_26w,
           count(f.partner_id) FILTER (WHERE f.first_sold < p.first_sale + 7 * 52) AS within_52w,
           count(f.partner_id) AS partners_to_date
    FROM products_sold p
    LEFT JOIN partner_first f USING (sku)
    GROUP BY ALL
)
SELECT getvariable('as_of') AS as_of,
       sku, product_line, first_sale,
       (getvariable('as_of') - first_sale) // 7 AS weeks_since_first_sale,
       CASE WHEN first_sale + 7 * 4 - 1 <= getvariable('as_of') THEN within_4w END AS partners_4w,
       CASE WHEN first_sale + 7 * 8 - 1 <= getvariable('as_of') THEN within_8w END AS partners_8w,
       CASE WHEN first_sale + 7 * 12 - 1 <= getvariable('as_of') THEN within_12w END AS partners_12w,
       CASE WHEN first_sale + 7 * 26 - 1 <= getvariable('as_of') THEN within_26w END AS partners_26w,
       CASE WHEN first_sale + 7 * 52 - 1 <= getvariable('as_of') THEN within_52w END AS partners_52w,
       partners_to_date, distributors_to_date
FROM adopters;
