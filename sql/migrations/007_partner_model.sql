-- 007_partner_model: the partner model's behaviour over the window and the window before
-- it, estimated potentials, the score's rank, coverage per trade and the programme KPIs
-- (sql/score/partner_scores.sql, territory_coverage.sql and programme_kpis.sql say how).

-- partner_scores gains the behaviour measures, the previous window and its class and plan.
ALTER TABLE partner_scores ADD COLUMN window_months INTEGER;          -- months of the window (the *_12m columns are over it)
ALTER TABLE partner_scores ADD COLUMN orders_12m BIGINT;              -- distinct invoices with a purchase in the window
ALTER TABLE partner_scores ADD COLUMN regularity_cv DOUBLE;           -- coefficient of variation of monthly net revenue (0 = even)
ALTER TABLE partner_scores ADD COLUMN recency_days INTEGER;           -- days from last_purchase to as_of
ALTER TABLE partner_scores ADD COLUMN previous_as_of DATE;            -- end of the previous window: window_months before as_of
ALTER TABLE partner_scores ADD COLUMN revenue_prev_12m DECIMAL(18,2); -- the previous window's measures
ALTER TABLE partner_scores ADD COLUMN units_prev_12m DECIMAL(18,3);
ALTER TABLE partner_scores ADD COLUMN orders_prev_12m BIGINT;
ALTER TABLE partner_scores ADD COLUMN active_months_prev_12m INTEGER;
ALTER TABLE partner_scores ADD COLUMN growth DOUBLE;                  -- revenue against the previous window: 0.25 = +25 %
ALTER TABLE partner_scores ADD COLUMN loyalty_prev VARCHAR;           -- class at previous_as_of, same rules and data
ALTER TABLE partner_scores ADD COLUMN plan_prev VARCHAR;              -- plan at previous_as_of, same rules and data
ALTER TABLE partner_scores ADD COLUMN potential_estimated BOOLEAN;    -- potential is the median of similar partners
ALTER TABLE partner_scores ADD COLUMN high_potential BOOLEAN;         -- potential at or above the high_potential_quantile
ALTER TABLE partner_scores ADD COLUMN rank BIGINT;                    -- by score, 1 = highest; ties share a rank

-- territory_coverage gains the estimated potentials and the white spaces.
ALTER TABLE territory_coverage ADD COLUMN estimated_potential DECIMAL(18,2); -- sum of the potentials estimated for partners without one
ALTER TABLE territory_coverage ADD COLUMN white_spaces BIGINT;               -- high-potential partners that bought nothing in the window

-- trade_coverage: territory_coverage per trade of the channel database.
CREATE TABLE trade_coverage (
    as_of                 DATE NOT NULL,
    trade                 VARCHAR NOT NULL,       -- '(none)' for partners without one
    partners              BIGINT NOT NULL,
    active_partners       BIGINT NOT NULL,
    coverage_pct          DOUBLE,
    revenue_12m           DECIMAL(18,2) NOT NULL,
    potential             DECIMAL(18,2),          -- sum of the channel database's potentials
    share_of_wallet       DOUBLE,
    white_space_potential DECIMAL(18,2) NOT NULL,
    prospecting_partners  BIGINT NOT NULL,
    estimated_potential   DECIMAL(18,2),
    white_spaces          BIGINT NOT NULL
);

-- programme_kpis: the action plans' KPIs of the compuBase method (the OKI case), one row
-- per KPI and as_of.
CREATE TABLE programme_kpis (
    as_of          DATE NOT NULL,
    previous_as_of DATE NOT NULL,  -- the end of the window compared with
    kpi            VARCHAR NOT NULL, -- top_retained | occasional_to_loyal | base_renewed | development_top_volume
    plan           VARCHAR NOT NULL, -- the plan the KPI measures
    partners       BIGINT NOT NULL,  -- the partners the KPI looks at
    base           DECIMAL(18,2),    -- what the KPI is relative to (a count, or a revenue)
    value          DECIMAL(18,2),    -- the count or revenue reached
    pct            DOUBLE            -- value against base, percent
);
