-- 003_unknown_products: the products that distributors report and the products
-- reference does not know (no SKU, cross-reference or GTIN matches), per distributor,
-- with the revenue at stake: the list to complete products.csv with.
CREATE VIEW unknown_products AS
SELECT distributor,
       sku, distributor_sku, gtin,
       count(*) AS lines,
       sum(quantity) AS units,
       sum(amount_base) AS revenue_base,
       min(invoice_date) AS first_seen,
       max(invoice_date) AS last_seen
FROM sales_out
WHERE product_line IS NULL
GROUP BY ALL
ORDER BY revenue_base DESC NULLS LAST;
