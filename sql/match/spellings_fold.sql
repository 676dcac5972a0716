-- spellings_fold: folds the tuples of spellings_all.sql or spellings_changed.sql into
-- match_spellings and match_spelling_values: a restated spelling's rows are replaced by
-- its tuples, another touched spelling's rows get its tuples added (counts and revenue
-- summed, the first line the least).
-- Reads: match_tuples, match_touched (temp tables). Writes: match_spellings,
-- match_spelling_values (the touched spellings' rows).
CREATE OR REPLACE TEMP TABLE match_folded AS
SELECT distributor, reseller_id, reseller_name, reseller_postcode,
       sum(lines_all)::BIGINT AS lines_all, sum(lines)::BIGINT AS lines, sum(revenue)::DECIMAL(38,4) AS revenue,
       sum(unknown_products)::BIGINT AS unknown_products
FROM (
    SELECT distributor, reseller_id, reseller_name, reseller_postcode, lines_all, lines, revenue, unknown_products
    FROM match_tuples
    UNION ALL
    SELECT s.distributor, s.reseller_id, s.reseller_name, s.reseller_postcode, s.lines_all, s.lines, s.revenue, s.unknown_products
    FROM match_spellings s
    JOIN match_touched t
      ON t.distributor = s.distributor
     AND t.reseller_id IS NOT DISTINCT FROM s.reseller_id
     AND t.reseller_name IS NOT DISTINCT FROM s.reseller_name
     AND t.reseller_postcode IS NOT DISTINCT FROM s.reseller_postcode
    WHERE NOT t.restated
)
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE match_folded_values AS
SELECT distributor, reseller_id, reseller_name, reseller_postcode, field, value,
       sum(n)::BIGINT AS n, min(first_line) AS first_line
FROM (
    SELECT distributor, reseller_id, reseller_name, reseller_postcode, field, value, lines_all AS n, first_line
    FROM (UNPIVOT match_tuples
          ON reseller_address, reseller_city, reseller_country, reseller_registration, reseller_vat
          INTO NAME field VALUE value)
    UNION ALL
    SELECT v.distributor, v.reseller_id, v.reseller_name, v.reseller_postcode, v.field, v.value, v.n, v.first_line
    FROM match_spelling_values v
    JOIN match_touched t
      ON t.distributor = v.distributor
     AND t.reseller_id IS NOT DISTINCT FROM v.reseller_id
     AND t.reseller_name IS NOT DISTINCT FROM v.reseller_name
     AND t.reseller_postcode IS NOT DISTINCT FROM v.reseller_postcode
    WHERE NOT t.restated
)
GROUP BY ALL;

DELETE FROM match_spellings AS s
USING match_touched t
WHERE t.distributor = s.distributor
  AND t.reseller_id IS NOT DISTINCT FROM s.reseller_id
  AND t.reseller_name IS NOT DISTINCT FROM s.reseller_name
  AND t.reseller_postcode IS NOT DISTINCT FROM s.reseller_postcode;

DELETE FROM match_spelling_values AS v
USING match_touched t
WHERE t.distributor = v.distributor
  AND t.reseller_id IS NOT DISTINCT FROM v.reseller_id
  AND t.reseller_name IS NOT DISTINCT FROM v.reseller_name
  AND t.reseller_postcode IS NOT DISTINCT FROM v.reseller_postcode;

INSERT INTO match_spellings SELECT * FROM match_folded;

INSERT INTO match_spelling_values SELECT * FROM match_folded_values;
