-- reload_files: the files of one feed that `salesout reload` reads again from their
-- landing copies: the loaded and failed ones (pending files are the next run's; a
-- duplicate's content is its original's), received on or after a day, oldest first so
-- that restatements apply in their original order.
-- Reads: files. Writes: nothing.
-- Parameters: 1 feed, 2 since (a DATE; NULL for all), 3 since (again).
-- Columns: file_id, feed, name, landing_path, size, lines_loaded, lines_quarantined (of
-- the load being replaced).
SELECT file_id, feed, name, landing_path, size, lines_loaded, lines_quarantined
FROM files
WHERE feed = ?
  AND status IN ('loaded', 'failed')
  AND (?::DATE IS NULL OR received_at >= ?::DATE)
ORDER BY file_id
