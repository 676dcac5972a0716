-- files_to_load: the files the load step may read: pending ones, and failed ones (read
-- again when their feed's settings changed since they failed), oldest first.
-- Reads: files. Writes: nothing.
-- Parameters: none.
-- Columns: file_id, feed, name, landing_path, size, status, feed_fingerprint ('' when
-- never loaded).
SELECT file_id, feed, name, landing_path, size, status, coalesce(feed_fingerprint, '')
FROM files WHERE status IN ('pending', 'failed') ORDER BY file_id
