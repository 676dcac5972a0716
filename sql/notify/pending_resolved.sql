-- pending_resolved: the resolved alerts whose recipients are owed a resolved notice.
-- Reads: alerts. Writes: nothing.
-- Parameters: none.
-- Columns: alert_id, kind, scope, scope_id, severity (the last one), summary, recipients
-- (of the digests that last carried it).
-- Order: alert_id.
SELECT alert_id, kind, scope, scope_id, severity, coalesce(summary, ''), coalesce(recipients, '')
FROM alerts
WHERE resolved_notice = 'pending'
ORDER BY alert_id
