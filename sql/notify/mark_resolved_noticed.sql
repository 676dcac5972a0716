-- mark_resolved_noticed: records that a resolved alert's notice is in this run's digests.
-- Reads: nothing. Writes: alerts (one row: resolved_notice = 'sent').
-- Parameters: 1 alert_id.
UPDATE alerts SET resolved_notice = 'sent' WHERE alert_id = ? AND resolved_notice = 'pending'
