-- insert_lines: writes one batch of a file's typed lines into lines, and its bad lines
-- into quarantine. The loader (pipeline/ingest/typing.go) has typed each line with the
-- rules of sql/ingest/type_values.sql and checked the required fields; this file only
-- derives the missing amount or unit price, upper-cases the countries and converts into
-- the base currency.
-- Reads:  batch_lines (the good lines: invoice date as days since 1970-01-01, quantity,
--         unit_price and amount as DECIMAL(18,4)), batch_quarantine (line_no, field,
--         reason, raw), fx_rates.
-- Writes: lines, quarantine; empties batch_lines and batch_quarantine.
-- Variables: file_id, run_id, distributor, base_currency.
-- Rules:
--   * amount = quantity x unit_price when absent; unit_price = amount / quantity when absent;
--   * amount_base = amount x the rate of the invoice date, else the latest rate before it
--     (NULL while the currency has no rate yet; filled when fx_rates gets one). The rate
--     is looked up once per currency and date of the batch, not once per line.

INSERT INTO lines (line_id, file_id, line_no, distributor, invoice_date, invoice_number,
    reseller_id, reseller_name, reseller_vat, reseller_registration, reseller_address,
    reseller_postcode, reseller_city, reseller_country, end_customer_name,
    end_customer_postcode, end_customer_country, sku, distributor_sku, gtin,
    quantity, unit_price, amount, currency, amount_base, report_id, changed_run)
WITH foreign_days AS (
    SELECT DISTINCT currency, day FROM batch_lines WHERE currency <> getvariable('base_currency')
),
rates AS (
    SELECT d.currency, d.day, fx.rate
    FROM foreign_days d
    ASOF LEFT JOIN fx_rates fx ON fx.currency = d.currency AND DATE '1970-01-01' + d.day >= fx.date
)
SELECT
    (getvariable('file_id') << 32) + t.line_no,
    getvariable('file_id'), t.line_no, getvariable('distributor'), DATE '1970-01-01' + t.day, t.invoice_number,
    t.reseller_id, t.reseller_name, t.reseller_vat, t.reseller_registration, t.reseller_address,
    t.reseller_postcode, t.reseller_city, upper(t.reseller_country), t.end_customer_name,
    t.end_customer_postcode, upper(t.end_customer_country), t.sku, t.distributor_sku, t.gtin,
    t.quantity,
    coalesce(t.unit_price, CASE WHEN t.quantity <> 0 THEN round(t.amount / t.quantity, 4) END),
    coalesce(t.amount, round(t.quantity * t.unit_price, 4)),
    t.currency,
    CASE WHEN t.currency = getvariable('base_currency')
         THEN coalesce(t.amount, round(t.quantity * t.unit_price, 4))
         ELSE round(coalesce(t.amount, t.quantity * t.unit_price) * r.rate, 4)
    END,
    t.report_id,
    getvariable('run_id')
FROM batch_lines t
LEFT JOIN rates r ON r.currency = t.currency AND r.day = t.day;

INSERT INTO quarantine (file_id, line_no, field, reason, raw, run_id)
SELECT getvariable('file_id'), line_no, field, reason, raw, getvariable('run_id')
FROM batch_quarantine;

DELETE FROM batch_lines;
DELETE FROM batch_quarantine;
