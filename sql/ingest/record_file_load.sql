-- record_file_load: appends a file's load, as record_load has just set it in the
-- ledger, to the ledger's history, in the same transaction.
-- Reads: files (one row). Writes: file_loads (one row).
-- Parameters: 1 file_id.
INSERT INTO file_loads (file_id, run_id, feed_fingerprint, status, reason, lines_loaded, lines_quarantined, loaded_at)
SELECT file_id, run_id, feed_fingerprint, status, reason, lines_loaded, lines_quarantined, loaded_at
FROM files
WHERE file_id = ?
