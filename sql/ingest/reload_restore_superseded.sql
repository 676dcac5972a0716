-- reload_restore_superseded: inside a re-read file's transaction, marks its new lines
-- superseded by the restatements that had superseded the same line numbers before.
-- Reads: reload_superseded (sql/ingest/reload_keep_superseded.sql). Writes: lines
-- (the file's: superseded_by, changed_run).
-- Parameters: 1 run_id (lines.changed_run), 2 file_id.
UPDATE lines
SET superseded_by = s.superseded_by, changed_run = ?
FROM reload_superseded s
WHERE lines.file_id = ? AND lines.line_no = s.line_no
