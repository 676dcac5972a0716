-- partner_changes: the spellings whose partner the matcher is about to change, to log
-- before apply_matches.sql records them (a match never changes silently).
-- Reads: match_results (temp table), partner_matches. Writes: nothing.
-- Parameters: none.
-- Columns: distributor, reseller_id, reseller_name, from (the partner until now), to (the
-- new partner, '' for none), method (the new decision's; '' for none).
SELECT r.distributor, coalesce(r.reseller_id, ''), coalesce(r.reseller_name, ''), coalesce(m.partner_id, ''),
       coalesce(r.partner_id, ''), coalesce(r.method, '')
FROM match_results r
JOIN partner_matches m
  ON m.distributor = r.distributor
 AND m.reseller_id IS NOT DISTINCT FROM r.reseller_id
 AND m.reseller_name IS NOT DISTINCT FROM r.reseller_name
 AND m.reseller_postcode IS NOT DISTINCT FROM r.reseller_postcode
WHERE m.partner_id IS DISTINCT FROM r.partner_id AND m.partner_id IS NOT NULL
