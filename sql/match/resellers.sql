-- resellers: every reseller spelling the distributors report, with what they say of it
-- and what is at stake, for the matcher to read: match_spellings as the match step
-- keeps it (spellings_fold.sql), not computed from the lines again.
-- A spelling is (distributor, reseller_id, reseller_name, reseller_postcode): the key of
-- partner_matches. Its other fields (address, city, country, registration, VAT) are the
-- most frequent non-NULL value over its lines, superseded ones included (ties: the value
-- of the first line reported, by line_id).
-- Reads: match_spellings, match_spelling_values, partner_matches. Writes: temp tables
-- resellers and match_moved (empty: apply_matches.sql fills it).
-- Columns: the key; address, city, country, registration, vat; lines and revenue (current
-- lines, base currency); unknown_products (current lines without a product line);
-- is_new (no row in partner_matches yet).
CREATE OR REPLACE TEMP TABLE resellers AS
WITH modes AS (
    SELECT distributor, reseller_id, reseller_name, reseller_postcode, field,
           first(value ORDER BY n DESC, first_line) AS value
    FROM match_spelling_values
    GROUP BY ALL
), fields AS (
    SELECT distributor, reseller_id, reseller_name, reseller_postcode,
           any_value(value) FILTER (WHERE field = 'reseller_address')      AS reseller_address,
           any_value(value) FILTER (WHERE field = 'reseller_city')         AS reseller_city,
           any_value(value) FILTER (WHERE field = 'reseller_country')      AS reseller_country,
           any_value(value) FILTER (WHERE field = 'reseller_registration') AS reseller_registration,
           any_value(value) FILTER (WHERE field = 'reseller_vat')          AS reseller_vat
    FROM modes
    GROUP BY ALL
)
SELECT s.distributor, s.reseller_id, s.reseller_name, s.reseller_postcode,
       f.reseller_address, f.reseller_city, f.reseller_country, f.reseller_registration, f.reseller_vat,
       s.lines, s.revenue, s.unknown_products,
       NOT EXISTS (SELECT 1 FROM partner_matches m
                   WHERE m.distributor = s.distributor
                     AND m.reseller_id IS NOT DISTINCT FROM s.reseller_id
                     AND m.reseller_name IS NOT DISTINCT FROM s.reseller_name
                     AND m.reseller_postcode IS NOT DISTINCT FROM s.reseller_postcode) AS is_new
FROM match_spellings s
LEFT JOIN fields f
  ON f.distributor = s.distributor
 AND f.reseller_id IS NOT DISTINCT FROM s.reseller_id
 AND f.reseller_name IS NOT DISTINCT FROM s.reseller_name
 AND f.reseller_postcode IS NOT DISTINCT FROM s.reseller_postcode;

CREATE OR REPLACE TEMP TABLE match_moved AS
SELECT distributor, reseller_id, reseller_name, reseller_postcode, partner_id FROM partner_matches LIMIT 0;
