-- postcode_territories: the territory each postcode belongs to, so that a sales-out line
-- whose reseller is not matched to a partner can still be placed in a territory
-- (kpi_deviations.unmatched_revenue). The channel database's partners draw the areas:
-- a postcode belongs to the territory that has the most partners there.
-- Reads: partners, sales_out. Writes: postcode_territories (replaced).
--
--   places         every distinct (country, postcode) of a partner, or of a sales_out line
--                  without a partner, with a postcode
--   area           the postcode without spaces, upper case; in France (country FR) a postcode
--                  of four digits gets its leading zero back ("6000" is "06000")
--   departement    for France (country FR, or no country, and a five-digit area): the
--                  first two digits, three overseas (97x, 98x)
--   territory      the first rule that gives one:
--                    1. postcode: the territory with the most partners in the same area
--                    2. departement: the territory with the most partners in the same
--                       département
--                  each among the partners of the same country, else of partners or places
--                  without a country; ties go to the first territory in alphabetical
--                  order; NULL when neither rule applies (partners without a territory do
--                  not count); placed_by says which rule it was
--   partners       the partners of that territory in the area (or département);
--                  area_partners: the partners of any territory there

DELETE FROM postcode_territories;

INSERT INTO postcode_territories (country, postcode, area, departement, territory, placed_by, partners, area_partners)
WITH
written AS (
    SELECT country, postcode FROM partners WHERE postcode IS NOT NULL
    UNION
    SELECT reseller_country, reseller_postcode FROM sales_out WHERE partner_id IS NULL AND reseller_postcode IS NOT NULL
),
normalised AS (
    SELECT country, postcode,
           upper(nullif(trim(country), '')) AS cc,
           nullif(upper(regexp_replace(postcode, '\s', '', 'g')), '') AS pc
    FROM written
),
areas AS (
    SELECT country, postcode, cc,
           CASE WHEN cc = 'FR' AND regexp_full_match(pc, '[0-9]{4}') THEN '0' || pc ELSE pc END AS area
    FROM normalised
    WHERE pc IS NOT NULL
),
places AS (
    SELECT *,
           CASE WHEN coalesce(cc, 'FR') = 'FR' AND regexp_full_match(area, '[0-9]{5}')
                THEN CASE WHEN left(area, 2) IN ('97', '98') THEN left(area, 3) ELSE left(area, 2) END
           END AS departement
    FROM areas
),
-- the partners of each territory by area and by département, and of all territories there
partner_places AS (
    SELECT pl.cc, pl.area, pl.departement, p.territory
    FROM partners p
    JOIN places pl ON pl.country IS NOT DISTINCT FROM p.country AND pl.postcode = p.postcode
    WHERE p.territory IS NOT NULL
),
by_postcode AS (
    SELECT cc, area, territory, count(*) AS partners,
           sum(count(*)) OVER (PARTITION BY cc, area) AS area_partners
    FROM partner_places
    GROUP BY cc, area, territory
),
by_departement AS (
    SELECT cc, departement, territory, count(*) AS partners,
           sum(count(*)) OVER (PARTITION BY cc, departement) AS area_partners
    FROM partner_places
    WHERE departement IS NOT NULL
    GROUP BY cc, departement, territory
),
candidates AS (
    SELECT pl.country, pl.postcode, 1 AS rule, 'postcode' AS placed_by,
           b.cc IS NOT DISTINCT FROM pl.cc AS same_country, b.territory, b.partners, b.area_partners
    FROM places pl
    JOIN by_postcode b ON b.area = pl.area AND (b.cc IS NOT DISTINCT FROM pl.cc OR b.cc IS NULL OR pl.cc IS NULL)
    UNION ALL
    SELECT pl.country, pl.postcode, 2, 'departement',
           b.cc IS NOT DISTINCT FROM pl.cc, b.territory, b.partners, b.area_partners
    FROM places pl
    JOIN by_departement b ON b.departement = pl.departement AND (b.cc IS NOT DISTINCT FROM pl.cc OR b.cc IS NULL OR pl.cc IS NULL)
),
best AS (
    SELECT * FROM candidates
    QUALIFY row_number() OVER (PARTITION BY country, postcode
                               ORDER BY rule, same_country DESC, partners DESC, territory) = 1
)
SELECT pl.country, pl.postcode, pl.area, pl.departement, b.territory, b.placed_by, b.partners, b.area_partners
FROM places pl
LEFT JOIN best b ON b.country IS NOT DISTINCT FROM pl.country AND b.postcode = pl.postcode;
