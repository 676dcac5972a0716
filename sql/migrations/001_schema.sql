-- 001_schema: the worker's tables. Applied once by the warehouse package, in order with
-- the other NNN_*.sql migrations; the applied versions are kept in schema_migrations.
-- Analysts see these tables (or views over them) in the published snapshot.

CREATE SEQUENCE IF NOT EXISTS file_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS run_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS alert_id_seq START 1;

-- runs: one row per run of the pipeline.
CREATE TABLE runs (
    run_id      BIGINT PRIMARY KEY,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status      VARCHAR NOT NULL,          -- running | succeeded | failed
    as_of       DATE NOT NULL,
    steps       VARCHAR NOT NULL,          -- comma-separated steps requested
    error       VARCHAR
);

-- files: every file ever seen, one row per (source object, content). The file ledger.
CREATE TABLE files (
    file_id           BIGINT PRIMARY KEY,
    feed              VARCHAR NOT NULL,
    distributor       VARCHAR NOT NULL,
    source            VARCHAR NOT NULL,
    name              VARCHAR NOT NULL,    -- path inside the source, as listed
    size              BIGINT NOT NULL,
    modified_at       TIMESTAMPTZ,         -- modification time or NULL
    etag              VARCHAR,             -- object version tag where the source has one
    sha256            VARCHAR NOT NULL,
    landing_path      VARCHAR NOT NULL,    -- content-addressed copy, relative to the landing folder
    status            VARCHAR NOT NULL,    -- pending | loaded | duplicate | failed
    duplicate_of      BIGINT,              -- for status duplicate: the file that holds the content
    reason            VARCHAR,             -- for failed: why
    feed_fingerprint  VARCHAR,             -- feed settings it was loaded or failed with
    lines_loaded      BIGINT NOT NULL DEFAULT 0,
    lines_quarantined BIGINT NOT NULL DEFAULT 0,
    period_start      DATE,                -- first and last invoice date loaded
    period_end        DATE,
    received_at       TIMESTAMPTZ NOT NULL,
    loaded_at         TIMESTAMPTZ,
    run_id            BIGINT
);

-- lines: every sales-out line ever loaded; superseded ones (replace_period) keep their
-- row with superseded_by set, and sales_out is the view of the current ones.
CREATE TABLE lines (
    line_id               BIGINT NOT NULL,      -- file_id * 2^32 + line_no: stable across re-runs
    file_id               BIGINT NOT NULL,
    line_no               BIGINT NOT NULL,
    distributor           VARCHAR NOT NULL,
    invoice_date          DATE NOT NULL,
    invoice_number        VARCHAR,
    reseller_id           VARCHAR,
    reseller_name         VARCHAR,
    reseller_vat          VARCHAR,
    reseller_registration VARCHAR,
    reseller_address      VARCHAR,
    reseller_postcode     VARCHAR,
    reseller_city         VARCHAR,
    reseller_country      VARCHAR,
    end_customer_name     VARCHAR,
    end_customer_postcode VARCHAR,
    end_customer_country  VARCHAR,
    sku                   VARCHAR,              -- the manufacturer's SKU (resolved when only a distributor SKU or GTIN came)
    distributor_sku       VARCHAR,
    gtin                  VARCHAR,
    product_line          VARCHAR,
    quantity              DECIMAL(18,3) NOT NULL,
    unit_price            DECIMAL(18,4),
    amount                DECIMAL(18,4) NOT NULL,
    currency              VARCHAR NOT NULL,
    amount_base           DECIMAL(18,4),        -- NULL while no rate is known for the currency
    partner_id            VARCHAR,
    superseded_by         BIGINT                -- file_id of the restatement that replaced it
);

-- quarantine: lines (line_no set) and whole files (line_no NULL) that could not be loaded.
CREATE TABLE quarantine (
    file_id  BIGINT NOT NULL,
    line_no  BIGINT,
    field    VARCHAR,                   -- the canonical field at fault, when one is
    reason   VARCHAR NOT NULL,
    raw      VARCHAR,
    run_id   BIGINT
);

-- Reference data, replaced whole at each load from reference: files.
CREATE TABLE partners (
    partner_id   VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    registration VARCHAR,
    vat          VARCHAR,
    address      VARCHAR,
    postcode     VARCHAR,
    city         VARCHAR,
    country      VARCHAR,
    region       VARCHAR,
    territory    VARCHAR,
    trade        VARCHAR,
    size_band    VARCHAR,
    potential    DECIMAL(18,2),
    sales_rep    VARCHAR
);

CREATE TABLE products (
    sku             VARCHAR NOT NULL,
    product_line    VARCHAR,
    gtin            VARCHAR,
    description     VARCHAR,
    distributor     VARCHAR,            -- with distributor_sku: a cross-reference row
    distributor_sku VARCHAR
);

CREATE TABLE fx_rates (
    date     DATE NOT NULL,
    currency VARCHAR NOT NULL,
    rate     DECIMAL(18,8) NOT NULL    -- 1 unit of currency = rate base currency
);

CREATE TABLE targets (
    year     INTEGER NOT NULL,
    scope    VARCHAR NOT NULL,
    scope_id VARCHAR NOT NULL,
    kpi      VARCHAR NOT NULL,
    target   DECIMAL(18,2) NOT NULL,
    month    INTEGER                   -- NULL: annual target
);

CREATE TABLE reps (
    sales_rep     VARCHAR NOT NULL,
    name          VARCHAR,
    email         VARCHAR,
    manager_email VARCHAR,
    territory     VARCHAR
);

-- reference_loads: fingerprint of each reference set as last loaded.
CREATE TABLE reference_loads (
    name        VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    rows        BIGINT NOT NULL,
    loaded_at   TIMESTAMPTZ NOT NULL
);

-- partner_matches: one row per distinct reseller as a distributor reports it.
CREATE TABLE partner_matches (
    distributor       VARCHAR NOT NULL,
    reseller_id       VARCHAR,
    reseller_name     VARCHAR,
    reseller_postcode VARCHAR,
    partner_id        VARCHAR,
    method            VARCHAR,         -- registration | siren | vat | reseller_id | NULL
    confidence        DOUBLE,          -- 0-1
    lines             BIGINT,
    matched_at        TIMESTAMPTZ
);

-- partner_scores: one row per partner and as_of.
CREATE TABLE partner_scores (
    as_of             DATE NOT NULL,
    partner_id        VARCHAR NOT NULL,
    revenue_12m       DECIMAL(18,2) NOT NULL,
    units_12m         DECIMAL(18,3) NOT NULL,
    active_months_12m INTEGER NOT NULL,
    first_purchase    DATE,
    last_purchase     DATE,
    loyalty           VARCHAR NOT NULL,
    potential         DECIMAL(18,2),
    share_of_wallet   DOUBLE,
    score             DOUBLE NOT NULL,
    plan              VARCHAR NOT NULL
);

-- kpi_deviations: one row per target scope, KPI and period at as_of.
CREATE TABLE kpi_deviations (
    as_of         DATE NOT NULL,
    scope         VARCHAR NOT NULL,
    scope_id      VARCHAR NOT NULL,
    kpi           VARCHAR NOT NULL,
    period        VARCHAR NOT NULL,
    actual        DECIMAL(18,2) NOT NULL,
    target        DECIMAL(18,2) NOT NULL,
    annual_target DECIMAL(18,2) NOT NULL,
    deviation_pct DOUBLE,
    severity      VARCHAR NOT NULL
);

-- alerts: every alert ever raised, one row per thing it is about.
CREATE TABLE alerts (
    alert_id      BIGINT PRIMARY KEY,
    kind          VARCHAR NOT NULL,     -- kpi_deviation
    scope         VARCHAR NOT NULL,
    scope_id      VARCHAR NOT NULL,
    kpi           VARCHAR NOT NULL,
    period        VARCHAR NOT NULL,
    severity      VARCHAR NOT NULL,
    deviation_pct DOUBLE,
    sent_severity VARCHAR,              -- severity and deviation when last e-mailed
    sent_deviation_pct DOUBLE,
    first_seen    DATE NOT NULL,
    last_seen     DATE NOT NULL,
    last_sent     TIMESTAMPTZ,
    status        VARCHAR NOT NULL,     -- open | resolved
    recipients    VARCHAR               -- comma-separated addresses of the last e-mail
);

-- sales_out: the current lines, as analysts know them.
CREATE VIEW sales_out AS
SELECT * EXCLUDE (superseded_by) FROM lines WHERE superseded_by IS NULL;
