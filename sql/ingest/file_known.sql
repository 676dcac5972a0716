-- file_known: whether a listed file is already in the files ledger: same feed, source,
-- name, size, modification time and ETag. Such a file is not fetched again.
-- Reads: files. Writes: nothing.
-- Parameters: 1 feed, 2 source, 3 name, 4 size (bytes), 5 modified_at (NULL when the
-- source gives none), 6 etag ('' when the source gives none).
-- Columns: count (0: a new file).
SELECT count(*) FROM files
WHERE feed = ? AND source = ? AND name = ? AND size = ?
  AND modified_at IS NOT DISTINCT FROM ?::TIMESTAMPTZ AND coalesce(etag, '') = ?
