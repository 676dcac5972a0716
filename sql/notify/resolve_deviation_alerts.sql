-- resolve_deviation_alerts: resolves the open KPI-deviation alerts whose deviation is no
-- longer warning or critical at as_of.
-- Reads: alerts, kpi_deviations. Writes: alerts.status (open -> resolved).
-- Parameters: 1 as_of (a date, yyyy-mm-dd).
UPDATE alerts SET status = 'resolved'
WHERE kind = 'kpi_deviation' AND status = 'open'
  AND NOT EXISTS (SELECT 1 FROM kpi_deviations d
                  WHERE d.as_of = ? AND d.severity IN ('warning', 'critical') AND d.scope = alerts.scope
                    AND d.scope_id = alerts.scope_id AND d.kpi = alerts.kpi AND d.period = alerts.period)
