-- apply_matches: records the matcher's decisions for the spellings it scored this run
-- (temp tables match_results and match_scored_candidates), so that a spelling it did not
-- score keeps its earlier decision. The lines follow (assign_partners.sql, assign_moved.sql).
-- Reads: match_results, match_scored_candidates, partner_matches, resellers.
-- Writes: match_changes (a spelling whose partner changed: never silently), match_moved
-- (temp table: the spellings that had a row and whose partner changed, for
-- assign_moved.sql to move their lines), partner_matches (the scored spellings' rows
-- replaced), match_candidates.
-- Variables: run_id, now.

-- 1. A change of partner is kept, with the new decision's method and evidence as the why.
INSERT INTO match_changes (distributor, reseller_id, reseller_name, reseller_postcode,
                           from_partner_id, to_partner_id, from_method, to_method, changed_at, run_id, why)
SELECT r.distributor, r.reseller_id, r.reseller_name, r.reseller_postcode,
       m.partner_id, r.partner_id, m.method, r.method, getvariable('now'), getvariable('run_id'),
       coalesce(r.method || ': ' || r.evidence, r.method, 'no longer matched: ' || coalesce(r.review_reason, ''))
FROM match_results r
JOIN partner_matches m
  ON m.distributor = r.distributor
 AND m.reseller_id IS NOT DISTINCT FROM r.reseller_id
 AND m.reseller_name IS NOT DISTINCT FROM r.reseller_name
 AND m.reseller_postcode IS NOT DISTINCT FROM r.reseller_postcode
WHERE m.partner_id IS DISTINCT FROM r.partner_id
  AND m.partner_id IS NOT NULL;

INSERT INTO match_moved
SELECT r.distributor, r.reseller_id, r.reseller_name, r.reseller_postcode, r.partner_id
FROM match_results r
JOIN partner_matches m
  ON m.distributor = r.distributor
 AND m.reseller_id IS NOT DISTINCT FROM r.reseller_id
 AND m.reseller_name IS NOT DISTINCT FROM r.reseller_name
 AND m.reseller_postcode IS NOT DISTINCT FROM r.reseller_postcode
WHERE m.partner_id IS DISTINCT FROM r.partner_id;

-- 2. The scored spellings' rows are replaced.
DELETE FROM partner_matches AS m
USING match_results r
WHERE m.distributor = r.distributor
  AND m.reseller_id IS NOT DISTINCT FROM r.reseller_id
  AND m.reseller_name IS NOT DISTINCT FROM r.reseller_name
  AND m.reseller_postcode IS NOT DISTINCT FROM r.reseller_postcode;

INSERT INTO partner_matches (distributor, reseller_id, reseller_name, reseller_postcode, partner_id, method,
                             confidence, lines, matched_at, score, weight, runner_up_partner_id, runner_up_score,
                             evidence, review, review_reason, reseller_city, reseller_country)
SELECT r.distributor, r.reseller_id, r.reseller_name, r.reseller_postcode, r.partner_id, r.method,
       CASE WHEN r.partner_id IS NOT NULL THEN r.score END, s.lines, getvariable('now'), r.score, r.weight,
       r.runner_up_partner_id, r.runner_up_score, r.evidence, r.review, r.review_reason, s.reseller_city, s.reseller_country
FROM match_results r
JOIN resellers s
  ON s.distributor = r.distributor
 AND s.reseller_id IS NOT DISTINCT FROM r.reseller_id
 AND s.reseller_name IS NOT DISTINCT FROM r.reseller_name
 AND s.reseller_postcode IS NOT DISTINCT FROM r.reseller_postcode;

-- 3. Their candidates too.
DELETE FROM match_candidates AS c
USING match_results r
WHERE c.distributor = r.distributor
  AND c.reseller_id IS NOT DISTINCT FROM r.reseller_id
  AND c.reseller_name IS NOT DISTINCT FROM r.reseller_name
  AND c.reseller_postcode IS NOT DISTINCT FROM r.reseller_postcode;

INSERT INTO match_candidates SELECT * FROM match_scored_candidates;
