-- failed_files: files that could not be loaded at all since a time, newest first.
-- Reads: files. Writes: nothing.
-- Parameters: 1 since (a timestamp), 2 limit.
-- Columns: feed, distributor, name, reason, received_at.
SELECT feed, distributor, name, coalesce(reason, ''), received_at
FROM files
WHERE status = 'failed' AND received_at >= ?
ORDER BY received_at DESC, file_id DESC
LIMIT ?
