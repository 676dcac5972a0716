-- restate_report: an EDI report that replaces (X12 BPT01 05/15, EDIFACT BGM 5) restates
-- its period for its distributor: earlier lines of that distributor whose invoice date
-- falls in [period_start, period_end] are superseded by the file; an EDI cancellation
-- (X12 BPT01 01, EDIFACT BGM 1) supersedes the earlier lines of the report it names.
-- Superseded lines stay in `lines` with superseded_by set; sales_out no longer shows them.
-- Reads/writes: lines (superseded_by, changed_run). Variables: file_id, run_id, distributor, purpose (replace | cancel),
-- report_id, period_start, period_end.
UPDATE lines
SET superseded_by = getvariable('file_id'), changed_run = getvariable('run_id')
WHERE distributor = getvariable('distributor')
  AND file_id < getvariable('file_id')
  AND superseded_by IS NULL
  AND CASE getvariable('purpose')
        WHEN 'replace' THEN invoice_date BETWEEN getvariable('period_start') AND getvariable('period_end')
        WHEN 'cancel' THEN report_id = getvariable('report_id')
        ELSE false
      END;
