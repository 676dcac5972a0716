-- reload_restore_superseded: inside a re-read file's transaction, marks its new lines
-- superseded by the restatements that had superseded the same line numbers before.
-- Reads: reload_superseded (sql/ingest/reload_keep_superseded.sql). Writes: lines
-- (the file's).
-- Parameters: 1 file_id.
UPDATE lines
SET superseded_by = s.superseded_by
FROM reload_superseded s
WHERE lines.file_id = ? AND lines.line_no = s.line_no
