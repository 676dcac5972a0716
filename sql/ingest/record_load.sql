-- record_load: sets a file's ledger row after its load, loaded or failed, with the
-- period its lines cover.
-- Reads: lines (the file's). Writes: files (one row: status, reason, feed_fingerprint,
-- lines_loaded, lines_quarantined, period_start, period_end, loaded_at, run_id).
-- Parameters: 1 status (loaded or failed), 2 reason (NULL when loaded), 3 feed_fingerprint
-- (the feed's settings, to retry a failed file when they change), 4 lines_loaded,
-- 5 lines_quarantined, 6 file_id (its first invoice date), 7 file_id (its last invoice
-- date), 8 loaded_at, 9 run_id, 10 file_id (the row).
UPDATE files SET status = ?, reason = ?, feed_fingerprint = ?, lines_loaded = ?, lines_quarantined = ?,
       period_start = (SELECT min(invoice_date) FROM lines WHERE file_id = ?),
       period_end = (SELECT max(invoice_date) FROM lines WHERE file_id = ?),
       loaded_at = ?, run_id = ?
WHERE file_id = ?
