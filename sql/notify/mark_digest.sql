-- mark_digest: moves a digest to its next delivery state (pipeline/notify/deliver.go):
-- written (in the outbox, no SMTP relay configured: delivered), sending (recorded
-- before the SMTP transaction, attempts counted), sent (the relay accepted it), failed
-- (it did not: retried by the next run). Timestamps are set when NULL or on each
-- attempt; last_error is replaced by the given one (NULL clears it).
-- Reads: alert_digests. Writes: alert_digests (one row).
-- Parameters: 1 status, 2 now (written_at, kept once set), 3 status (the same), 4 now
-- (last_attempt_at when sending), 5 status (the same: attempts + 1 when sending),
-- 6 status (the same), 7 now (sent_at when sent), 8 last_error, 9 digest_id.
UPDATE alert_digests SET status = ?,
       written_at = coalesce(written_at, ?),
       last_attempt_at = CASE WHEN ? = 'sending' THEN ? ELSE last_attempt_at END,
       attempts = attempts + CASE WHEN ? = 'sending' THEN 1 ELSE 0 END,
       sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END,
       last_error = ?
WHERE digest_id = ?
