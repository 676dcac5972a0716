-- insert_alert: records a new open alert of any kind.
-- Reads: nothing. Writes: alerts (one row, status open).
-- Parameters: 1 alert_id (the next value of alert_id_seq), 2 kind, 3 scope, 4 scope_id,
-- 5 kpi, 6 period, 7 severity, 8 deviation_pct (NULL when the kind has none),
-- 9 first_seen, 10 last_seen (as_of), 11 summary, 12 muted_until (NULL unless muted).
INSERT INTO alerts (alert_id, kind, scope, scope_id, kpi, period, severity, deviation_pct, first_seen, last_seen,
                    status, summary, muted_until)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
