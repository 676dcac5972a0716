-- update_feed_alert: keeps an existing missing-feed alert up to date, and opens it again
-- if it was resolved (its first_seen then restarts).
-- Reads: alerts. Writes: alerts (one row: severity, last_seen, status, first_seen).
-- Parameters: 1 severity, 2 last_seen (today), 3 first_seen (today, used only when the
-- alert was not open), 4 alert_id.
UPDATE alerts SET severity = ?, last_seen = ?, status = 'open',
       first_seen = CASE WHEN status = 'open' THEN first_seen ELSE ? END
WHERE alert_id = ?
