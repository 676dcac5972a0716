-- 004_territory_coverage: one row per territory of the channel database and as_of.
CREATE TABLE territory_coverage (
    as_of                 DATE NOT NULL,
    territory             VARCHAR NOT NULL,      -- '(none)' for partners without one
    partners              BIGINT NOT NULL,       -- companies of the channel database
    active_partners       BIGINT NOT NULL,       -- of which bought in the 12 months to as_of
    coverage_pct          DOUBLE,                -- active / partners, percent
    revenue_12m           DECIMAL(18,2) NOT NULL,
    potential             DECIMAL(18,2),         -- sum of the partners' potentials
    share_of_wallet       DOUBLE,                -- revenue_12m / potential
    white_space_potential DECIMAL(18,2) NOT NULL, -- potential of the partners that bought nothing
    prospecting_partners  BIGINT NOT NULL        -- partners whose plan is prospecting
);
