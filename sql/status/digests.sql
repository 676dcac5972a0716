-- digests: the alert e-mails (one digest per recipient per run) since a time, by
-- delivery status, when the snapshot has alert_digests (migration 011).
-- Reads: alert_digests. Writes: nothing.
-- Parameters: 1 since (a timestamp).
-- Columns: status (pending | written | sending | sent | failed), digests, recipients.
SELECT status, count(*), count(DISTINCT recipient)
FROM alert_digests
WHERE created_at >= ?
GROUP BY status
ORDER BY status
