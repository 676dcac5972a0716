-- insert_lines: writes one batch of a file's checked lines into lines.
-- The loader (pipeline/ingest/stage.go) has read, typed and checked each line with the
-- rules of pipeline/ingest/typing.go (and sql/ingest/type_values.sql for the texts it
-- cannot type alone) and derived its amount, unit price and base amount; the bad lines
-- went to quarantine. The batch is read through the loader's table function
-- salesout_staged_lines, which returns the columns of lines the file can fill, by name
-- (line_id, file_id, line_no, distributor, invoice_date, the reseller, end customer and
-- product fields the feed maps, quantity, unit_price, amount, currency, amount_base,
-- report_id for EDI); the others stay NULL.
-- Reads: salesout_staged_lines(batch). Writes: lines (changed_run: the loading run).
-- Parameters: 1 run_id, 2 batch (the id the loader registered the batch under).
INSERT INTO lines BY NAME
SELECT *, ?::BIGINT AS changed_run FROM salesout_staged_lines(?)
