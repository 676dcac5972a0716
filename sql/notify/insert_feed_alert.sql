-- insert_feed_alert: records a new open missing-feed alert.
-- Reads: nothing. Writes: alerts (one row: kind missing_feed, scope feed, kpi files,
-- period latest, status open).
-- Parameters: 1 alert_id (the next value of alert_id_seq), 2 feed (the scope_id),
-- 3 severity, 4 first_seen (today), 5 last_seen (today).
INSERT INTO alerts (alert_id, kind, scope, scope_id, kpi, period, severity, first_seen, last_seen, status)
VALUES (?, 'missing_feed', 'feed', ?, 'files', 'latest', ?, ?, ?, 'open')
