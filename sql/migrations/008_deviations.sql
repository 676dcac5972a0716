-- 008_deviations: KPI deviations by period (ytd, qtd, mtd) with the phasing used, last
-- year's figure, the pace projected to the year end and, for territories, the sales of
-- unmatched resellers in the territory's area (sql/score/kpi_deviations.sql says how).
ALTER TABLE kpi_deviations ADD COLUMN period_start DATE;                -- first day of the period
ALTER TABLE kpi_deviations ADD COLUMN phasing VARCHAR;                  -- monthly | even | last_year: how the annual target was spread
ALTER TABLE kpi_deviations ADD COLUMN last_year_actual DECIMAL(18,2);   -- actual over the same dates one year earlier
ALTER TABLE kpi_deviations ADD COLUMN yoy_pct DOUBLE;                   -- change against last_year_actual, percent
ALTER TABLE kpi_deviations ADD COLUMN projected_year_end DECIMAL(18,2);  -- the year's end at the period's pace
ALTER TABLE kpi_deviations ADD COLUMN unmatched_revenue DECIMAL(18,2);  -- territory rows: revenue of unmatched resellers placed in the territory
ALTER TABLE kpi_deviations ADD COLUMN unmatched_units DECIMAL(18,3);    -- territory rows: their units

-- postcode_territories: the territory each postcode belongs to, as the channel database's
-- partners draw the territories' areas; one row per place (country, postcode as written)
-- of a partner or of an unmatched sales-out line (rebuilt by each score step).
CREATE TABLE postcode_territories (
    country       VARCHAR,           -- as written
    postcode      VARCHAR NOT NULL,  -- as written
    area          VARCHAR NOT NULL,  -- the postcode without spaces, upper case (France: five digits)
    departement   VARCHAR,           -- France: the département (first two digits, three overseas)
    territory     VARCHAR,           -- NULL: no partner in the postcode nor in the département
    placed_by     VARCHAR,           -- postcode | departement | NULL
    partners      BIGINT,            -- partners of that territory in the postcode (or département)
    area_partners BIGINT             -- partners of any territory there
);
