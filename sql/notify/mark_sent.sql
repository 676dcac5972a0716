-- mark_sent: turns an alert's e-mail under way (mark_sending.sql) into its last sent one,
-- once the outbox file is written.
-- Reads: alerts (the pending_* columns). Writes: alerts (one row: delivery = 'sent',
-- last_sent, sent_severity, sent_deviation_pct, recipients).
-- Parameters: 1 alert_id.
UPDATE alerts SET delivery = 'sent', last_sent = pending_at, sent_severity = pending_severity,
       sent_deviation_pct = pending_deviation_pct, recipients = pending_recipients
WHERE alert_id = ?
