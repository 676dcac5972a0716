-- mark_notified: records that an alert is in this run's digests, in the transaction that
-- records the digests themselves (insert_digest.sql): from then on the digests carry it.
-- Reads: nothing. Writes: alerts (one row: last_sent, sent_severity, sent_deviation_pct,
-- recipients).
-- Parameters: 1 last_sent (now), 2 sent_severity, 3 sent_deviation_pct, 4 recipients
-- (comma-separated), 5 alert_id.
UPDATE alerts SET last_sent = ?, sent_severity = ?, sent_deviation_pct = ?, recipients = ?
WHERE alert_id = ?
