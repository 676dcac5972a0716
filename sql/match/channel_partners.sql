-- channel_partners: the channel database as the matcher compares it ('' for a missing
-- field), by partner_id.
-- Reads: partners. Writes: nothing.
-- Parameters: none.
-- Columns: partner_id, name, registration, vat, address, postcode, city, country.
SELECT partner_id, name, coalesce(registration, ''), coalesce(vat, ''), coalesce(address, ''),
       coalesce(postcode, ''), coalesce(city, ''), coalesce(country, '')
FROM partners ORDER BY partner_id
