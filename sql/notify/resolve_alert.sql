-- resolve_alert: resolves an open alert whose rule no longer holds. One that was
-- e-mailed owes its recipients a resolved notice (resolved_notice pending) unless
-- notice is false (its rule was turned off).
-- Reads: alerts. Writes: alerts (one row: status, resolved_at, resolved_notice).
-- Parameters: 1 resolved_at (now), 2 notice (boolean), 3 alert_id.
UPDATE alerts SET status = 'resolved', resolved_at = ?,
       resolved_notice = CASE WHEN ? AND last_sent IS NOT NULL THEN 'pending' END
WHERE alert_id = ? AND status = 'open'
