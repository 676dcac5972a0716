-- update_alert: keeps an existing alert up to date with what its rule found at as_of,
-- and opens it again if it was resolved (first_seen then restarts and a resolved notice
-- not yet sent is dropped: the alert is news again).
-- Reads: alerts. Writes: alerts (one row: severity, deviation_pct, last_seen, status,
-- first_seen, summary, muted_until, resolved_at, resolved_notice).
-- Parameters: 1 severity, 2 deviation_pct, 3 last_seen (as_of), 4 first_seen (as_of,
-- used only when the alert was not open), 5 summary, 6 muted_until, 7 alert_id.
UPDATE alerts SET severity = ?, deviation_pct = ?, last_seen = ?,
       first_seen = CASE WHEN status = 'open' THEN first_seen ELSE ? END,
       resolved_notice = CASE WHEN status = 'open' THEN resolved_notice END,
       resolved_at = CASE WHEN status = 'open' THEN resolved_at END,
       status = 'open', summary = ?, muted_until = ?
WHERE alert_id = ?
