-- match_coverage: per distributor and method, how many reseller spellings, current lines
-- and how much revenue (base currency) matching recognised. method is the cascade step
-- that matched (override, registration, vat, siren, reseller_id, exact_name,
-- probabilistic), 'not_a_partner' for the spellings an analyst declared so, 'review' for
-- the unmatched spellings in the review queue, 'unmatched' for any other.
-- Reads: partner_matches, resellers (temp table: the spellings' figures the match step
-- keeps, not the lines). Writes: match_coverage (rebuilt).
DELETE FROM match_coverage;

INSERT INTO match_coverage
WITH s AS (
    SELECT r.distributor, r.lines, r.revenue,
           CASE WHEN m.partner_id IS NOT NULL THEN m.method
                WHEN m.method = 'override' THEN 'not_a_partner'
                WHEN m.review THEN 'review'
                ELSE 'unmatched' END AS method
    FROM resellers r
    LEFT JOIN partner_matches m
      ON m.distributor = r.distributor
     AND m.reseller_id IS NOT DISTINCT FROM r.reseller_id
     AND m.reseller_name IS NOT DISTINCT FROM r.reseller_name
     AND m.reseller_postcode IS NOT DISTINCT FROM r.reseller_postcode
)
SELECT distributor, method, count(*), sum(lines), round(sum(revenue), 2),
       round(100 * sum(lines) / nullif(sum(sum(lines)) OVER (PARTITION BY distributor), 0), 2),
       round(100 * sum(revenue) / nullif(sum(sum(revenue)) OVER (PARTITION BY distributor), 0), 2)
FROM s
GROUP BY distributor, method;
