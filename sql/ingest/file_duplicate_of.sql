-- file_duplicate_of: the first file of the ledger with the same content (SHA-256), under
-- any name, that is pending, loaded or failed: a file with that content is a duplicate.
-- Reads: files. Writes: nothing.
-- Parameters: 1 sha256 (of the fetched content, hex).
-- Columns: file_id (NULL: the content is new).
SELECT min(file_id) FROM files
WHERE sha256 = ? AND status IN ('pending', 'loaded', 'failed')
