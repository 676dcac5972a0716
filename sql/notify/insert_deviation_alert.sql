-- insert_deviation_alert: records a new open alert for a KPI deviation.
-- Reads: nothing. Writes: alerts (one row, kind kpi_deviation, status open).
-- Parameters: 1 alert_id (the next value of alert_id_seq), 2 scope, 3 scope_id, 4 kpi,
-- 5 period, 6 severity, 7 deviation_pct, 8 first_seen (as_of), 9 last_seen (as_of).
INSERT INTO alerts (alert_id, kind, scope, scope_id, kpi, period, severity, deviation_pct, first_seen, last_seen, status)
VALUES (?, 'kpi_deviation', ?, ?, ?, ?, ?, ?, ?, ?, 'open')
