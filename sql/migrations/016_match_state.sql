-- 016_match_state: what the match step needs to work on what a night changed instead of
-- on the whole history (pipeline/match says how): the last run whose match step
-- completed, and per reseller spelling the figures and the matcher's input that it used
-- to compute from every line on every run.

-- match_state: one row, written in the match transaction, so that it commits with the
-- results: the lines that run had seen are those with changed_run <= run_id.
CREATE TABLE match_state (
    run_id            BIGINT NOT NULL,       -- the run whose match step completed last
    products_sha256   VARCHAR,               -- reference_loads' fingerprints it matched against
    channel_db_sha256 VARCHAR,
    matched_at        TIMESTAMPTZ NOT NULL
);

-- match_spellings: per reseller spelling (the key of partner_matches), what its lines
-- bring, as of match_state.run_id.
CREATE TABLE match_spellings (
    distributor       VARCHAR NOT NULL,
    reseller_id       VARCHAR,
    reseller_name     VARCHAR,
    reseller_postcode VARCHAR,
    lines_all         BIGINT NOT NULL,       -- lines, superseded ones included
    lines             BIGINT NOT NULL,       -- current lines
    revenue           DECIMAL(38,4) NOT NULL, -- of the current lines, base currency (0 without)
    unknown_products  BIGINT NOT NULL        -- current lines without a product line
);

-- match_spelling_values: per spelling and descriptive field, how many of its lines
-- (superseded ones included) give each non-NULL value, and the first line giving it: the
-- matcher reads the most frequent value (ties: the first reported).
CREATE TABLE match_spelling_values (
    distributor       VARCHAR NOT NULL,
    reseller_id       VARCHAR,
    reseller_name     VARCHAR,
    reseller_postcode VARCHAR,
    field             VARCHAR NOT NULL,      -- the column of lines: reseller_address, reseller_city, reseller_country, reseller_registration or reseller_vat
    value             VARCHAR NOT NULL,
    n                 BIGINT NOT NULL,
    first_line        BIGINT NOT NULL        -- min(line_id) of the lines giving it
);

COMMENT ON TABLE match_state IS 'The last run whose match step completed and the reference sets it matched against: the next match reads only the lines changed after it.';
COMMENT ON TABLE match_spellings IS 'Per reseller spelling, its lines, current lines, revenue and current lines of unknown product, kept by the match step.';
COMMENT ON TABLE match_spelling_values IS 'Per reseller spelling and field (address, city, country, registration, vat), the count of lines per value: the matcher reads the most frequent.';
