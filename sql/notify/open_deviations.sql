-- open_deviations: the warning and critical year-to-date KPI deviations at as_of, each
-- with the name of its scope (the rep's or the partner's) and its alert, if it has one.
-- Only the ytd period raises alerts: qtd and mtd rows are for analysts (a month's
-- shortfall alone is noise for a manager's inbox).
-- Reads: kpi_deviations, alerts (kind kpi_deviation), reps, partners. Writes: nothing.
-- Parameters: 1 as_of (a date, yyyy-mm-dd).
-- Columns: scope, scope_id, kpi, period, actual, target, annual_target, deviation_pct,
-- severity, scope_name ('' for a territory or an unknown id); the alert's alert_id,
-- status, sent_severity, sent_deviation_pct (NULL when the deviation has no alert yet).
-- Order: scope, scope_id, kpi.
SELECT d.scope, d.scope_id, d.kpi, d.period, d.actual::DOUBLE, d.target::DOUBLE, d.annual_target::DOUBLE,
       d.deviation_pct, d.severity,
       coalesce(rp.name, p.name, ''),
       a.alert_id, a.status, a.sent_severity, a.sent_deviation_pct
FROM kpi_deviations d
LEFT JOIN alerts a ON a.kind = 'kpi_deviation' AND a.scope = d.scope AND a.scope_id = d.scope_id
                  AND a.kpi = d.kpi AND a.period = d.period
LEFT JOIN (SELECT sales_rep, min(name) AS name FROM reps GROUP BY sales_rep) rp   -- a rep has a row per territory
       ON d.scope = 'sales_rep' AND rp.sales_rep = d.scope_id
LEFT JOIN partners p ON d.scope = 'partner' AND p.partner_id = d.scope_id
WHERE d.as_of = ? AND d.period = 'ytd' AND d.severity IN ('warning', 'critical')
ORDER BY d.scope, d.scope_id, d.kpi
