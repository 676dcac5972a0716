-- runs: the last runs, newest first, for salesout status and /healthz.
-- Reads: runs. Writes: nothing.
-- Parameters: 1 limit (how many runs).
-- Columns: run_id, started_at, finished_at (NULL while running), status, as_of, steps,
-- error (NULL unless failed).
SELECT run_id, started_at, finished_at, status, as_of, steps, error
FROM runs
ORDER BY run_id DESC
LIMIT ?
