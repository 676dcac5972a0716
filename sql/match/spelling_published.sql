-- spelling_published: whether a reseller spelling an analyst decided is in the published
-- matches, for `salesout review import` to warn about a key a spreadsheet changed (a
-- dropped leading zero).
-- Reads: partner_matches (of the published snapshot). Writes: nothing.
-- Parameters: 1 distributor, 2 reseller_id, 3 reseller_name, 4 reseller_postcode (each
-- '' for none).
-- Columns: count (0: no such spelling).
SELECT count(*) FROM partner_matches WHERE distributor = ?
  AND reseller_id IS NOT DISTINCT FROM nullif(?, '') AND reseller_name IS NOT DISTINCT FROM nullif(?, '')
  AND reseller_postcode IS NOT DISTINCT FROM nullif(?, '')
