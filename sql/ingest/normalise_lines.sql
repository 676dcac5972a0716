-- normalise_lines: types one file's staged lines into canonical sales-out lines.
-- Reads:  stage_lines (a batch of the file's lines as text, one column per canonical field, filled
--         by the format's parser with the feed's column mapping and defaults applied),
--         fx_rates.
-- Writes: lines (the lines that type), quarantine (the others, with the first reason
--         found); empties stage_lines for the next batch.
-- Variables: file_id, run_id, distributor, date_format (strptime), date_format_alt (a
--            second accepted format, e.g. ISO for Excel date cells, or NULL),
--            decimal_sep ("." or ","), strip_chars (thousands separators to delete),
--            base_currency.
-- Rules:
--   * required: invoice_date; reseller_id or reseller_name; sku, distributor_sku or gtin;
--     quantity (negative = return);
--   * numbers may use the feed's decimal and thousands separators and a trailing minus;
--   * amount = quantity x unit_price when absent; unit_price = amount / quantity when absent;
--   * a line that fails a required rule and mentions "total" is reported as a totals row;
--   * amount_base = amount x the rate of the invoice date, else the latest rate before it
--     (NULL while the currency has no rate yet; filled when fx_rates gets one).

-- The stager has trimmed every field and turned empty ones into NULL.
CREATE OR REPLACE TEMP MACRO so_text(t) AS t;

CREATE OR REPLACE TEMP MACRO so_number(t) AS
    TRY_CAST(
        replace(
            CASE WHEN trim(t) LIKE '%-' THEN '-' || rtrim(trim(t), '-') ELSE trim(t) END
                .translate(getvariable('strip_chars'), ''),
            getvariable('decimal_sep'), '.')
        AS DECIMAL(18,4));

CREATE OR REPLACE TEMP MACRO so_shown(t) AS
    '"' || CASE WHEN length(t) > 60 THEN left(t, 60) || '...' ELSE t END || '"';

-- The loader stages and normalises a file in batches (of 500,000 lines), all in
-- the file's one transaction, so typed_lines stays small whatever the file's size.
CREATE OR REPLACE TEMP TABLE typed_lines AS
WITH s AS (
    SELECT
        line_no, raw, error, report_id,
        so_text(invoice_date) AS date_txt,
        -- strptime is lenient with formats without separators ('2026091' passes %Y%m%d as
        -- 2026-09-01): an all-digit date must print back exactly as it came.
        coalesce(
            CASE WHEN NOT regexp_full_match(so_text(invoice_date), '[0-9]+')
                      OR strftime(try_strptime(so_text(invoice_date), getvariable('date_format')), getvariable('date_format')) = so_text(invoice_date)
                 THEN try_strptime(so_text(invoice_date), getvariable('date_format'))::DATE
            END,
            CASE WHEN getvariable('date_format_alt') IS NOT NULL
                 THEN try_strptime(so_text(invoice_date), getvariable('date_format_alt'))::DATE
            END) AS invoice_date,
        so_text(invoice_number) AS invoice_number,
        so_text(reseller_id) AS reseller_id,
        so_text(reseller_name) AS reseller_name,
        so_text(reseller_vat) AS reseller_vat,
        so_text(reseller_registration) AS reseller_registration,
        so_text(reseller_address) AS reseller_address,
        so_text(reseller_postcode) AS reseller_postcode,
        so_text(reseller_city) AS reseller_city,
        upper(so_text(reseller_country)) AS reseller_country,
        so_text(end_customer_name) AS end_customer_name,
        so_text(end_customer_postcode) AS end_customer_postcode,
        upper(so_text(end_customer_country)) AS end_customer_country,
        so_text(sku) AS sku,
        so_text(distributor_sku) AS distributor_sku,
        so_text(gtin) AS gtin,
        so_text(quantity) AS quantity_txt,
        so_number(quantity) AS quantity,
        so_text(unit_price) AS unit_price_txt,
        so_number(unit_price) AS unit_price,
        so_text(amount) AS amount_txt,
        so_number(amount) AS amount,
        upper(coalesce(so_text(currency), getvariable('base_currency'))) AS currency
    FROM stage_lines
),
checked AS (
    SELECT *,
        CASE
            WHEN error IS NOT NULL THEN ['line', error]
            WHEN date_txt IS NULL THEN ['invoice_date', 'invoice_date is empty (required)']
            WHEN invoice_date IS NULL THEN ['invoice_date', 'invoice_date ' || so_shown(date_txt) || ' does not match the date format ' || getvariable('date_format')]
            WHEN reseller_id IS NULL AND reseller_name IS NULL THEN ['reseller_id', 'reseller_id and reseller_name are both empty (one is required)']
            WHEN sku IS NULL AND distributor_sku IS NULL AND gtin IS NULL THEN ['sku', 'sku, distributor_sku and gtin are all empty (one is required)']
            WHEN quantity_txt IS NULL THEN ['quantity', 'quantity is empty (required)']
            WHEN quantity IS NULL THEN ['quantity', 'quantity ' || so_shown(quantity_txt) || ' is not a number']
            WHEN unit_price_txt IS NOT NULL AND unit_price IS NULL THEN ['unit_price', 'unit_price ' || so_shown(unit_price_txt) || ' is not a number']
            WHEN amount_txt IS NOT NULL AND amount IS NULL THEN ['amount', 'amount ' || so_shown(amount_txt) || ' is not a number']
            WHEN amount IS NULL AND unit_price IS NULL THEN ['amount', 'amount and unit_price are both empty: the amount cannot be computed']
            WHEN NOT regexp_full_match(currency, '[A-Z]{3}') THEN ['currency', 'currency ' || so_shown(currency) || ' is not an ISO 4217 code']
        END AS problem
    FROM s
)
SELECT *,
    CASE
        WHEN problem IS NULL THEN NULL
        WHEN problem[1] <> 'line' AND regexp_matches(lower(raw), '(^|[^a-z])(sous-|grand )?totals?([^a-z]|$)')
            THEN 'totals row (not a sale): ' || problem[2]
        ELSE problem[2]
    END AS reason
FROM checked;

INSERT INTO lines (line_id, file_id, line_no, distributor, invoice_date, invoice_number,
    reseller_id, reseller_name, reseller_vat, reseller_registration, reseller_address,
    reseller_postcode, reseller_city, reseller_country, end_customer_name,
    end_customer_postcode, end_customer_country, sku, distributor_sku, gtin,
    quantity, unit_price, amount, currency, amount_base, report_id)
SELECT
    (getvariable('file_id') << 32) + t.line_no,
    getvariable('file_id'), t.line_no, getvariable('distributor'), t.invoice_date, t.invoice_number,
    t.reseller_id, t.reseller_name, t.reseller_vat, t.reseller_registration, t.reseller_address,
    t.reseller_postcode, t.reseller_city, t.reseller_country, t.end_customer_name,
    t.end_customer_postcode, t.end_customer_country, t.sku, t.distributor_sku, t.gtin,
    t.quantity,
    coalesce(t.unit_price, CASE WHEN t.quantity <> 0 THEN round(t.amount / t.quantity, 4) END),
    coalesce(t.amount, round(t.quantity * t.unit_price, 4)),
    t.currency,
    CASE WHEN t.currency = getvariable('base_currency')
         THEN coalesce(t.amount, round(t.quantity * t.unit_price, 4))
         ELSE round(coalesce(t.amount, t.quantity * t.unit_price) * fx.rate, 4)
    END,
    t.report_id
FROM typed_lines t
ASOF LEFT JOIN fx_rates fx ON fx.currency = t.currency AND t.invoice_date >= fx.date
WHERE t.problem IS NULL;

INSERT INTO quarantine (file_id, line_no, field, reason, raw, run_id)
SELECT getvariable('file_id'), line_no, problem[1], reason, raw, getvariable('run_id')
FROM typed_lines
WHERE problem IS NOT NULL;

DELETE FROM stage_lines;
