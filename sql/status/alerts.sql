-- alerts: open alerts, and those put in an e-mail since a time, by kind and severity.
-- Reads: alerts. Writes: nothing.
-- Parameters: 1 since (a timestamp).
-- Columns: kind, severity, open alerts, alerts sent since, the latest sending.
SELECT kind, severity,
       count(*) FILTER (WHERE status = 'open'),
       count(*) FILTER (WHERE last_sent >= ?),
       max(last_sent)
FROM alerts
GROUP BY kind, severity
ORDER BY kind, CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END
