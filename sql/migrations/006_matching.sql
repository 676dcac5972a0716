-- 006_matching: matching with evidence, a review queue, overrides and a history.
-- A reseller spelling is (distributor, reseller_id, reseller_name, reseller_postcode), as
-- in partner_matches since 001.

-- partner_matches gains the evidence of each decision.
ALTER TABLE partner_matches ADD COLUMN score DOUBLE;                -- 0-1: probability of the chosen partner (1 for keys and overrides)
ALTER TABLE partner_matches ADD COLUMN weight DOUBLE;               -- match weight in bits (log2 of the likelihood ratio)
ALTER TABLE partner_matches ADD COLUMN runner_up_partner_id VARCHAR;
ALTER TABLE partner_matches ADD COLUMN runner_up_score DOUBLE;
ALTER TABLE partner_matches ADD COLUMN evidence VARCHAR;            -- which fields agreed, how, and the weight each brought
ALTER TABLE partner_matches ADD COLUMN review BOOLEAN;              -- true: unmatched or ambiguous, in match_review
ALTER TABLE partner_matches ADD COLUMN review_reason VARCHAR;
ALTER TABLE partner_matches ADD COLUMN reseller_city VARCHAR;
ALTER TABLE partner_matches ADD COLUMN reseller_country VARCHAR;

-- match_candidates: the best candidates of each scored spelling (up to 3), kept between
-- runs so that the review queue of an incremental run still shows them.
CREATE TABLE match_candidates (
    distributor       VARCHAR NOT NULL,
    reseller_id       VARCHAR,
    reseller_name     VARCHAR,
    reseller_postcode VARCHAR,
    rank              INTEGER NOT NULL,  -- 1 = best
    partner_id        VARCHAR NOT NULL,
    score             DOUBLE NOT NULL,
    weight            DOUBLE NOT NULL,
    evidence          VARCHAR
);

-- match_changes: every time a spelling's partner changed, from what to what and why.
CREATE TABLE match_changes (
    distributor       VARCHAR NOT NULL,
    reseller_id       VARCHAR,
    reseller_name     VARCHAR,
    reseller_postcode VARCHAR,
    from_partner_id   VARCHAR,
    to_partner_id     VARCHAR,
    from_method       VARCHAR,
    to_method         VARCHAR,
    changed_at        TIMESTAMPTZ NOT NULL,
    run_id            BIGINT,
    why               VARCHAR
);

-- match_review: the spellings to decide, most revenue first (rebuilt by each match).
CREATE TABLE match_review (
    rank                   INTEGER NOT NULL,
    distributor            VARCHAR NOT NULL,
    reseller_id            VARCHAR,
    reseller_name          VARCHAR,
    reseller_postcode      VARCHAR,
    reseller_city          VARCHAR,
    reseller_country       VARCHAR,
    lines                  BIGINT NOT NULL,
    revenue                DECIMAL(18,2),    -- in the base currency: what is at stake
    reason                 VARCHAR,
    candidate_1_partner_id VARCHAR, candidate_1_name VARCHAR, candidate_1_town VARCHAR, candidate_1_score DOUBLE, candidate_1_evidence VARCHAR,
    candidate_2_partner_id VARCHAR, candidate_2_name VARCHAR, candidate_2_town VARCHAR, candidate_2_score DOUBLE, candidate_2_evidence VARCHAR,
    candidate_3_partner_id VARCHAR, candidate_3_name VARCHAR, candidate_3_town VARCHAR, candidate_3_score DOUBLE, candidate_3_evidence VARCHAR
);

-- match_coverage: per distributor and method, what matching recognised (rebuilt by each match).
CREATE TABLE match_coverage (
    distributor   VARCHAR NOT NULL,
    method        VARCHAR NOT NULL,     -- a cascade step, or 'review' / 'unmatched'
    resellers     BIGINT NOT NULL,
    lines         BIGINT NOT NULL,
    revenue       DECIMAL(18,2),
    lines_pct     DOUBLE,               -- of the distributor's current lines
    revenue_pct   DOUBLE
);

-- match_weights: the model the last scoring learned (Fellegi-Sunter m and u per level).
CREATE TABLE match_weights (
    comparison VARCHAR NOT NULL,
    level      VARCHAR NOT NULL,
    m          DOUBLE,
    u          DOUBLE,
    weight     DOUBLE,                  -- log2(m/u), bits
    trained_on BIGINT                   -- labelled pairs at this level (the learnt part of m)
);
