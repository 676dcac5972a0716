-- record_fetched_file: records a fetched file in the files ledger, with its landing copy.
-- Reads: file_id_seq. Writes: files (one row).
-- Parameters: 1 feed, 2 distributor, 3 source, 4 name, 5 size (bytes), 6 modified_at
-- (NULL when the source gives none), 7 etag ('' when none: stored NULL), 8 sha256,
-- 9 landing_path (under the landing folder), 10 status (pending or duplicate),
-- 11 duplicate_of (the file_id of the same content, or NULL), 12 received_at, 13 run_id.
INSERT INTO files (file_id, feed, distributor, source, name, size, modified_at, etag, sha256,
                   landing_path, status, duplicate_of, received_at, run_id)
VALUES (nextval('file_id_seq'), ?, ?, ?, ?, ?, ?::TIMESTAMPTZ, nullif(?, ''), ?, ?, ?, ?, ?, ?)
