-- replace_period: a restatement file replaces, for its distributor, every earlier line
-- whose invoice_date falls between the first and last invoice date the file contains.
-- The replaced lines stay in `lines` with superseded_by set; sales_out no longer shows them.
-- Reads/writes: lines (superseded_by, changed_run). Variables: file_id, distributor, run_id.
UPDATE lines
SET superseded_by = getvariable('file_id'), changed_run = getvariable('run_id')
WHERE distributor = getvariable('distributor')
  AND file_id < getvariable('file_id')
  AND superseded_by IS NULL
  AND invoice_date BETWEEN (SELECT min(invoice_date) FROM lines WHERE file_id = getvariable('file_id'))
                       AND (SELECT max(invoice_date) FROM lines WHERE file_id = getvariable('file_id'));
