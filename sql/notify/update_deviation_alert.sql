-- update_deviation_alert: keeps an existing KPI-deviation alert up to date with today's
-- deviation, and opens it again if it was resolved (its first_seen then restarts).
-- Reads: alerts. Writes: alerts (one row: severity, deviation_pct, last_seen, status,
-- first_seen).
-- Parameters: 1 severity, 2 deviation_pct, 3 last_seen (as_of), 4 first_seen (as_of,
-- used only when the alert was not open), 5 alert_id.
UPDATE alerts SET severity = ?, deviation_pct = ?, last_seen = ?, status = 'open',
       first_seen = CASE WHEN status = 'open' THEN first_seen ELSE ? END
WHERE alert_id = ?
