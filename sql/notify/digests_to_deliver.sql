-- digests_to_deliver: the digests not yet delivered: pending (recorded, maybe not yet in
-- the outbox), sending (a send was interrupted), failed (the last send failed); of one
-- run, or of every run when run_id is NULL.
-- Reads: alert_digests. Writes: nothing.
-- Parameters: 1 run_id (NULL: any), 2 run_id (the same).
-- Columns: digest_id, recipient, outbox_file, message, status, attempts.
-- Order: digest_id.
SELECT digest_id, recipient, outbox_file, message, status, attempts
FROM alert_digests
WHERE status IN ('pending', 'sending', 'failed') AND (?::BIGINT IS NULL OR run_id = ?::BIGINT)
ORDER BY digest_id
