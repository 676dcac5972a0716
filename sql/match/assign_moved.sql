-- assign_moved: gives every line of a spelling whose partner this run changed
-- (match_moved, see apply_matches.sql) its new partner, whatever the run that last
-- changed the line. The caller runs it only when match_moved has rows: it reads the
-- reseller key of every line.
-- Reads: match_moved (temp table). Writes: lines.partner_id and changed_run.
-- Variables: run_id.
UPDATE lines AS x
SET partner_id = m.partner_id, changed_run = getvariable('run_id')
FROM match_moved m
WHERE m.distributor = x.distributor
  AND m.reseller_id IS NOT DISTINCT FROM x.reseller_id
  AND m.reseller_name IS NOT DISTINCT FROM x.reseller_name
  AND m.reseller_postcode IS NOT DISTINCT FROM x.reseller_postcode
  AND x.partner_id IS DISTINCT FROM m.partner_id;
