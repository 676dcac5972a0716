-- territory_coverage and trade_coverage: where the channel is covered and where the white
-- spaces are, per territory and per trade of the channel database at as_of.
-- Reads: partner_scores (of as_of), partners. Writes: territory_coverage, trade_coverage
-- (rows of as_of replaced). Variables: as_of.
--
-- One row per territory (territory_coverage) and per trade (trade_coverage), '(none)' for
-- the partners without one; the same columns in both:
--   partners               companies of the channel database
--   active_partners        of which bought in the window (revenue_12m > 0)
--   coverage_pct           100 x active_partners / partners, 1 decimal
--   revenue_12m            sum of the partners' revenue_12m
--   potential              sum of the potentials the channel database gives
--   estimated_potential    sum of the potentials partner_scores estimated for the partners
--                          without one (0 when none)
--   share_of_wallet        revenue_12m / potential (the channel database's), 4 decimals;
--                          NULL when potential is NULL or 0
--   white_space_potential  sum of the channel database's potentials of the partners that
--                          bought nothing in the window (revenue_12m <= 0)
--   white_spaces           high-potential partners (partner_scores.high_potential, estimated
--                          potentials included) that bought nothing in the window: where one
--                          more active partner would add most
--   prospecting_partners   partners whose plan is prospecting
DELETE FROM territory_coverage WHERE as_of = getvariable('as_of');
DELETE FROM trade_coverage WHERE as_of = getvariable('as_of');

CREATE OR REPLACE TEMP TABLE coverage AS
SELECT s.as_of,
       CASE WHEN grouping(p.territory) = 0 THEN coalesce(p.territory, '(none)') END AS territory,
       CASE WHEN grouping(p.trade) = 0 THEN coalesce(p.trade, '(none)') END AS trade,
       count(*) AS partners,
       count(*) FILTER (WHERE s.revenue_12m > 0) AS active_partners,
       round(100.0 * count(*) FILTER (WHERE s.revenue_12m > 0) / count(*), 1) AS coverage_pct,
       sum(s.revenue_12m) AS revenue_12m,
       sum(p.potential) AS potential,
       coalesce(sum(s.potential) FILTER (WHERE s.potential_estimated), 0) AS estimated_potential,
       round(sum(s.revenue_12m) / nullif(sum(p.potential), 0), 4) AS share_of_wallet,
       coalesce(sum(p.potential) FILTER (WHERE s.revenue_12m <= 0), 0) AS white_space_potential,
       count(*) FILTER (WHERE s.high_potential AND s.revenue_12m <= 0) AS white_spaces,
       count(*) FILTER (WHERE s.plan = 'prospecting') AS prospecting_partners
FROM partner_scores s
JOIN partners p USING (partner_id)
WHERE s.as_of = getvariable('as_of')
GROUP BY GROUPING SETS ((s.as_of, p.territory), (s.as_of, p.trade));

INSERT INTO territory_coverage BY NAME SELECT * EXCLUDE (trade) FROM coverage WHERE territory IS NOT NULL;
INSERT INTO trade_coverage BY NAME SELECT * EXCLUDE (territory) FROM coverage WHERE trade IS NOT NULL;
DROP TABLE coverage;
