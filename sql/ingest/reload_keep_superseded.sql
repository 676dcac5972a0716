-- reload_keep_superseded: before a file is read again, remembers which of its lines a
-- later restatement (replace_period or an EDI replacement or cancellation) superseded,
-- so that the re-read lines stay superseded (sql/ingest/reload_restore_superseded.sql).
-- Reads: lines (the file's). Writes: the temporary table reload_superseded.
-- Parameters: 1 file_id.
CREATE OR REPLACE TEMP TABLE reload_superseded AS
SELECT line_no, superseded_by
FROM lines
WHERE file_id = ? AND superseded_by IS NOT NULL
