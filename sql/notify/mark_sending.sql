-- mark_sending: records that an alert's e-mail is under way, with the outbox file it
-- will write and what it says, before the file is written (see mark_sent.sql).
-- Reads: nothing. Writes: alerts (one row: delivery = 'sending', outbox_file, pending_*).
-- Parameters: 1 outbox_file, 2 severity, 3 deviation_pct (NULL for a missing feed),
-- 4 recipients (comma-separated), 5 pending_at (the e-mail's date), 6 alert_id.
UPDATE alerts SET delivery = 'sending', outbox_file = ?, pending_severity = ?, pending_deviation_pct = ?,
       pending_recipients = ?, pending_at = ?
WHERE alert_id = ?
