-- assign_partners: makes partner_matches' line counts and the lines' partners follow the
-- decisions, writing only what changed: a line changed since the last match (since) takes
-- its spelling's partner (new lines of known spellings included), and so do all the lines
-- of a spelling whose partner this run changed (match_moved). The previous match left
-- every other line with its spelling's partner, and gave a row to every spelling of
-- every line it saw: a spelling without a row before this run has only lines changed
-- since.
-- Reads: resellers, match_moved (temp tables), partner_matches. Writes:
-- partner_matches.lines, lines.partner_id and changed_run.
-- Variables: since (the last match's run; -1 for every line), run_id.
UPDATE partner_matches AS m
SET lines = s.lines
FROM resellers s
WHERE s.distributor = m.distributor
  AND s.reseller_id IS NOT DISTINCT FROM m.reseller_id
  AND s.reseller_name IS NOT DISTINCT FROM m.reseller_name
  AND s.reseller_postcode IS NOT DISTINCT FROM m.reseller_postcode
  AND m.lines IS DISTINCT FROM s.lines;

UPDATE lines AS x
SET partner_id = m.partner_id, changed_run = getvariable('run_id')
FROM partner_matches m
WHERE (x.changed_run > getvariable('since') OR x.changed_run IS NULL)
  AND m.distributor = x.distributor
  AND m.reseller_id IS NOT DISTINCT FROM x.reseller_id
  AND m.reseller_name IS NOT DISTINCT FROM x.reseller_name
  AND m.reseller_postcode IS NOT DISTINCT FROM x.reseller_postcode
  AND x.partner_id IS DISTINCT FROM m.partner_id;
