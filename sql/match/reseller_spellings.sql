-- reseller_spellings: the reseller spellings for the matcher, in key order.
-- Reads: resellers (temp table, see resellers.sql). Writes: nothing.
-- Parameters: none.
-- Columns: distributor, reseller_id, reseller_name, reseller_postcode (the key),
-- reseller_address, reseller_city, reseller_country, reseller_registration, reseller_vat,
-- is_new.
SELECT distributor, reseller_id, reseller_name, reseller_postcode, reseller_address, reseller_city,
       reseller_country, reseller_registration, reseller_vat, is_new
FROM resellers ORDER BY distributor, reseller_id, reseller_name, reseller_postcode
