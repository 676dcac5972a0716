-- alerts_state: every alert with what the alert step needs to decide whether to e-mail
-- it again.
-- Reads: alerts. Writes: nothing.
-- Parameters: none.
-- Columns: alert_id, kind, scope, scope_id, kpi, period, status, sent_severity,
-- sent_deviation_pct, last_sent, recipients, resolved_notice.
SELECT alert_id, kind, scope, scope_id, kpi, period, status, sent_severity, sent_deviation_pct, last_sent,
       coalesce(recipients, ''), coalesce(resolved_notice, '')
FROM alerts
