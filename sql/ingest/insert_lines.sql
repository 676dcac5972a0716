-- insert_lines: writes one batch of a file's checked lines into lines.
-- The loader (pipeline/ingest/stage.go) has read, typed and checked each line with the
-- rules of pipeline/ingest/typing.go (and sql/ingest/type_values.sql for the texts it
-- cannot type alone) and derived its amount and unit price; the bad lines went to
-- quarantine. The batch is read through the loader's table function
-- salesout_staged_lines, which returns, by name, the line_no, invoice_date, the
-- reseller, end customer and product fields the feed maps, quantity, unit_price, amount,
-- currency, and report_id for EDI; the columns it does not return stay NULL.
-- Reads: salesout_staged_lines(batch). Writes: lines.
-- Parameters: 1 file_id, 2 file_id, 3 distributor, 4 base_currency, 5 run_id,
-- 6 batch (the id the loader registered the batch under).
-- Rules:
--   * line_id = file_id x 2^32 + line_no: stable across re-runs and reloads;
--   * amount_base = amount in the base currency; NULL in another currency, converted by
--     sql/ingest/amount_base.sql at the end of the file;
--   * changed_run = the loading run.
INSERT INTO lines BY NAME
SELECT s.*,
       (?::BIGINT << 32) + s.line_no AS line_id,
       ?::BIGINT AS file_id,
       ?::VARCHAR AS distributor,
       CASE WHEN s.currency = ?::VARCHAR THEN s.amount END AS amount_base,
       ?::BIGINT AS changed_run
FROM salesout_staged_lines(?) AS s
