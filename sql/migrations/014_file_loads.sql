-- 014_file_loads: the history of the files ledger. `files` holds each file's latest
-- load; file_loads keeps one row per load of a file (the first load, then every
-- `salesout reload`), with the run and the feed settings it was read with, so that
-- a repair never hides what was loaded before it.

-- file_loads: one row per load (or failed load) of a file.
CREATE TABLE file_loads (
    file_id           BIGINT NOT NULL,
    run_id            BIGINT,                -- the run (or reload) that read the file
    feed_fingerprint  VARCHAR,               -- the feed settings it was read with
    status            VARCHAR NOT NULL,      -- loaded | failed
    reason            VARCHAR,               -- for failed: why
    lines_loaded      BIGINT NOT NULL,
    lines_quarantined BIGINT NOT NULL,
    loaded_at         TIMESTAMPTZ NOT NULL
);

COMMENT ON TABLE file_loads IS 'One row per load of a file: the first load, then each salesout reload, with the run and feed settings fingerprint it was read with. files holds the latest.';

-- Files loaded before this migration: their one known load.
INSERT INTO file_loads (file_id, run_id, feed_fingerprint, status, reason, lines_loaded, lines_quarantined, loaded_at)
SELECT file_id, run_id, feed_fingerprint, status, reason, lines_loaded, lines_quarantined, loaded_at
FROM files
WHERE status IN ('loaded', 'failed') AND loaded_at IS NOT NULL
ORDER BY file_id;

COMMENT ON COLUMN file_loads.file_id IS 'The file (files.file_id).';
COMMENT ON COLUMN file_loads.run_id IS 'The run that read the file: a pipeline run, or a salesout reload (runs.steps starts with reload).';
COMMENT ON COLUMN file_loads.feed_fingerprint IS 'The feed settings the file was read with (a hash of the distributor, format, dialect, columns, defaults, mode and base currency).';
COMMENT ON COLUMN file_loads.status IS 'loaded, or failed (nothing of the file could be read).';
COMMENT ON COLUMN file_loads.reason IS 'For failed: why.';
COMMENT ON COLUMN file_loads.lines_loaded IS 'Lines this load read into lines.';
COMMENT ON COLUMN file_loads.lines_quarantined IS 'Lines this load quarantined.';
COMMENT ON COLUMN file_loads.loaded_at IS 'When this load was committed.';
