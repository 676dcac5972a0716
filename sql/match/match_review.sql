-- match_review: the reseller spellings an analyst should decide, most revenue first:
-- those the matcher left unmatched (no candidate, below the threshold, or too close to
-- the runner-up) and those it matched with a small margin, each with its three best
-- candidates (partner, name, town, score, evidence). Spellings an analyst declared
-- "not a partner" are not in it.
-- Reads: partner_matches, match_candidates, partners, resellers (temp table: the
-- spellings' figures the match step keeps, not the lines).
-- Writes: match_review (rebuilt).
DELETE FROM match_review;

INSERT INTO match_review
WITH c AS (
    SELECT c.*, p.name, trim(coalesce(p.postcode, '') || ' ' || coalesce(p.city, '')) AS town
    FROM match_candidates c JOIN partners p USING (partner_id)
)
SELECT row_number() OVER (ORDER BY s.revenue DESC, s.lines DESC, m.distributor, m.reseller_name) AS rank,
       m.distributor, m.reseller_id, m.reseller_name, m.reseller_postcode, s.reseller_city, s.reseller_country,
       s.lines, round(s.revenue, 2), m.review_reason,
       c1.partner_id, c1.name, c1.town, c1.score, c1.evidence,
       c2.partner_id, c2.name, c2.town, c2.score, c2.evidence,
       c3.partner_id, c3.name, c3.town, c3.score, c3.evidence
FROM partner_matches m
JOIN resellers s
  ON s.distributor = m.distributor
 AND s.reseller_id IS NOT DISTINCT FROM m.reseller_id
 AND s.reseller_name IS NOT DISTINCT FROM m.reseller_name
 AND s.reseller_postcode IS NOT DISTINCT FROM m.reseller_postcode
LEFT JOIN c AS c1 ON c1.rank = 1 AND c1.distributor = m.distributor AND c1.reseller_id IS NOT DISTINCT FROM m.reseller_id
     AND c1.reseller_name IS NOT DISTINCT FROM m.reseller_name AND c1.reseller_postcode IS NOT DISTINCT FROM m.reseller_postcode
LEFT JOIN c AS c2 ON c2.rank = 2 AND c2.distributor = m.distributor AND c2.reseller_id IS NOT DISTINCT FROM m.reseller_id
     AND c2.reseller_name IS NOT DISTINCT FROM m.reseller_name AND c2.reseller_postcode IS NOT DISTINCT FROM m.reseller_postcode
LEFT JOIN c AS c3 ON c3.rank = 3 AND c3.distributor = m.distributor AND c3.reseller_id IS NOT DISTINCT FROM m.reseller_id
     AND c3.reseller_name IS NOT DISTINCT FROM m.reseller_name AND c3.reseller_postcode IS NOT DISTINCT FROM m.reseller_postcode
WHERE m.review;
