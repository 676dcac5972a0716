-- resellers: every distinct reseller spelling the distributors report, with what they
-- say of it and what is at stake, for the matcher to read.
-- A spelling is (distributor, reseller_id, reseller_name, reseller_postcode): the key of
-- partner_matches. Its other fields (address, city, country, registration, VAT) are the
-- most frequent non-empty value over its lines.
-- Reads: lines, partner_matches. Writes: temp table resellers.
-- Columns: the key; address, city, country, registration, vat; lines and revenue (current
-- lines, base currency); is_new (no row in partner_matches yet).
CREATE OR REPLACE TEMP TABLE resellers AS
SELECT l.distributor, l.reseller_id, l.reseller_name, l.reseller_postcode,
       mode(l.reseller_address)      AS reseller_address,
       mode(l.reseller_city)         AS reseller_city,
       mode(l.reseller_country)      AS reseller_country,
       mode(l.reseller_registration) AS reseller_registration,
       mode(l.reseller_vat)          AS reseller_vat,
       count(*) FILTER (WHERE l.superseded_by IS NULL) AS lines,
       coalesce(sum(l.amount_base) FILTER (WHERE l.superseded_by IS NULL), 0) AS revenue,
       NOT EXISTS (SELECT 1 FROM partner_matches m
                   WHERE m.distributor = l.distributor
                     AND m.reseller_id IS NOT DISTINCT FROM l.reseller_id
                     AND m.reseller_name IS NOT DISTINCT FROM l.reseller_name
                     AND m.reseller_postcode IS NOT DISTINCT FROM l.reseller_postcode) AS is_new
FROM lines l
GROUP BY l.distributor, l.reseller_id, l.reseller_name, l.reseller_postcode;
