-- resolve_products: gives each line the manufacturer's SKU and its product line.
-- Reads: products (master rows: distributor empty; cross-reference rows: distributor and
-- distributor_sku set). Writes: lines.sku, lines.product_line, lines.changed_run.
-- Order: a known sku as sent; else the distributor's own SKU through the cross-reference;
-- else the GTIN; else the line keeps what it had (an unknown product: kept, not dropped).
-- Variables: all_lines (true when products changed: every line; else only the lines
-- without a product line changed after since, the last match's run: the others were
-- resolved against the same products then), run_id, since.
UPDATE lines AS l
SET sku = r.sku, product_line = r.product_line, changed_run = getvariable('run_id')
FROM (
    SELECT x.line_id,
           coalesce(ms.sku, xr.sku, bg.sku, x.sku) AS sku,
           coalesce(ms.product_line, mx.product_line, mg.product_line) AS product_line
    FROM lines x
    LEFT JOIN (SELECT sku, any_value(product_line) AS product_line FROM products
               WHERE distributor IS NULL GROUP BY sku) ms ON ms.sku = x.sku
    LEFT JOIN (SELECT distributor, distributor_sku, min(sku) AS sku FROM products
               WHERE distributor IS NOT NULL GROUP BY ALL) xr
           ON ms.sku IS NULL AND xr.distributor = x.distributor AND xr.distributor_sku = x.distributor_sku
    LEFT JOIN (SELECT gtin, min(sku) AS sku FROM products WHERE gtin IS NOT NULL GROUP BY gtin) bg
           ON ms.sku IS NULL AND xr.sku IS NULL AND bg.gtin = x.gtin
    LEFT JOIN (SELECT sku, any_value(product_line) AS product_line FROM products
               WHERE distributor IS NULL GROUP BY sku) mx ON mx.sku = xr.sku
    LEFT JOIN (SELECT sku, any_value(product_line) AS product_line FROM products
               WHERE distributor IS NULL GROUP BY sku) mg ON mg.sku = bg.sku
    WHERE getvariable('all_lines')
       OR (x.product_line IS NULL AND (x.changed_run > getvariable('since') OR x.changed_run IS NULL))
) r
WHERE l.line_id = r.line_id
  AND (l.sku IS DISTINCT FROM r.sku OR l.product_line IS DISTINCT FROM r.product_line);
