-- territory_coverage: where the channel is covered and where the white spaces are, per
-- territory at as_of: partners of the channel database, those active in the last 12
-- months (revenue_12m > 0), sales against the sum of potentials, and the potential of
-- the partners that bought nothing (where one more active partner would add most).
-- Reads: partner_scores (of as_of), partners. Writes: territory_coverage (rows of as_of
-- replaced). Variables: as_of.
DELETE FROM territory_coverage WHERE as_of = getvariable('as_of');

INSERT INTO territory_coverage
SELECT s.as_of,
       coalesce(p.territory, '(none)') AS territory,
       count(*) AS partners,
       count(*) FILTER (WHERE s.revenue_12m > 0) AS active_partners,
       round(100.0 * count(*) FILTER (WHERE s.revenue_12m > 0) / count(*), 1) AS coverage_pct,
       sum(s.revenue_12m) AS revenue_12m,
       sum(p.potential) AS potential,
       round(sum(s.revenue_12m) / nullif(sum(p.potential), 0), 4) AS share_of_wallet,
       coalesce(sum(p.potential) FILTER (WHERE s.revenue_12m <= 0), 0) AS white_space_potential,
       count(*) FILTER (WHERE s.plan = 'prospecting') AS prospecting_partners
FROM partner_scores s
JOIN partners p USING (partner_id)
WHERE s.as_of = getvariable('as_of')
GROUP BY ALL;
