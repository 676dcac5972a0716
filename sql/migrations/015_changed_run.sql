-- 015_changed_run: which run last wrote each line, so that the steps after load can work
-- on what a night changed instead of on the whole history: match resolves the products
-- and reseller spellings of new lines only, and the outputs rewrite only the sales_out
-- partitions (distributor, year, month) holding a changed line.
--
-- Every statement that inserts or updates rows of lines sets changed_run to its run
-- (the loader on insert; restatements, the exchange-rate conversion, product resolution
-- and partner matching on update); TestChangedRunSetByEveryWriter (pipeline) checks it.

ALTER TABLE lines ADD COLUMN changed_run BIGINT;

-- Lines loaded before this migration: the run that loaded their file.
UPDATE lines SET changed_run = coalesce(f.run_id, 0)
FROM files f
WHERE f.file_id = lines.file_id;

COMMENT ON COLUMN lines.changed_run IS 'The run that last inserted or changed the line (load, restatement, exchange rate, product or partner): what the incremental steps read.';

-- sales_out stays the analysts' view of the current lines, without the worker's
-- bookkeeping columns; replacing the view drops its comments: they are set again.
CREATE OR REPLACE VIEW sales_out AS
SELECT * EXCLUDE (superseded_by, changed_run) FROM lines WHERE superseded_by IS NULL;

COMMENT ON VIEW sales_out IS 'One row per current sales-out line: what a distributor resold, to which reseller, when, for how much. Lines replaced by a restatement (mode replace_period, or an EDI replace or cancel) are not here.';
COMMENT ON COLUMN sales_out.line_id IS 'The line''s id, stable across re-runs: file_id x 2^32 + line_no.';
COMMENT ON COLUMN sales_out.file_id IS 'The file the line came from (files.file_id).';
COMMENT ON COLUMN sales_out.line_no IS 'Its position in that file, from 1: the line (CSV), the row (Excel) or the segment (EDI).';
COMMENT ON COLUMN sales_out.distributor IS 'The distributor''s code, as the config''s feed gives it.';
COMMENT ON COLUMN sales_out.invoice_date IS 'The date of the distributor''s invoice to the reseller.';
COMMENT ON COLUMN sales_out.invoice_number IS 'The distributor''s invoice number, as reported; NULL when not reported.';
COMMENT ON COLUMN sales_out.reseller_id IS 'The distributor''s own account number for the reseller, as reported.';
COMMENT ON COLUMN sales_out.reseller_name IS 'The reseller''s name as the distributor wrote it.';
COMMENT ON COLUMN sales_out.reseller_vat IS 'The reseller''s VAT number, as reported.';
COMMENT ON COLUMN sales_out.reseller_registration IS 'The reseller''s company registration number (SIREN, SIRET, HRB, KvK...), as reported.';
COMMENT ON COLUMN sales_out.reseller_address IS 'The reseller''s street address, as reported.';
COMMENT ON COLUMN sales_out.reseller_postcode IS 'The reseller''s postcode, as reported.';
COMMENT ON COLUMN sales_out.reseller_city IS 'The reseller''s town, as reported.';
COMMENT ON COLUMN sales_out.reseller_country IS 'The reseller''s country, as reported or from the feed''s defaults.';
COMMENT ON COLUMN sales_out.end_customer_name IS 'The end customer the reseller sold to, when the distributor reports one.';
COMMENT ON COLUMN sales_out.end_customer_postcode IS 'The end customer''s postcode, when reported.';
COMMENT ON COLUMN sales_out.end_customer_country IS 'The end customer''s country, when reported.';
COMMENT ON COLUMN sales_out.sku IS 'The manufacturer''s SKU: as reported, or resolved from the distributor''s SKU (products cross-references) or the GTIN; NULL when unknown (see unknown_products).';
COMMENT ON COLUMN sales_out.distributor_sku IS 'The distributor''s own product code, as reported.';
COMMENT ON COLUMN sales_out.gtin IS 'The product''s GTIN (EAN/UPC barcode), as reported.';
COMMENT ON COLUMN sales_out.product_line IS 'The SKU''s product line in products; NULL for a product products does not know.';
COMMENT ON COLUMN sales_out.quantity IS 'Units sold; negative for a return.';
COMMENT ON COLUMN sales_out.unit_price IS 'Net unit price in the line''s currency; amount / quantity when the file gives no price.';
COMMENT ON COLUMN sales_out.amount IS 'Net amount in the line''s currency; quantity x unit_price when the file gives none; negative for a return.';
COMMENT ON COLUMN sales_out.currency IS 'ISO 4217 code of amount and unit_price (the file''s, the feed''s default, else the base currency).';
COMMENT ON COLUMN sales_out.amount_base IS 'amount in the base currency, at the fx_rates rate of the invoice date or the latest before it; NULL while the currency has no rate.';
COMMENT ON COLUMN sales_out.partner_id IS 'The channel-database partner the reseller was matched to (partner_matches); NULL when unmatched.';
COMMENT ON COLUMN sales_out.report_id IS 'For a line read from EDI (X12 867, EDIFACT SLSRPT): the report it came from (BPT02 / BGM02), which a later replace or cancel names; NULL otherwise.';
