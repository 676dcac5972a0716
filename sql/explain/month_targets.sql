-- explain/month_targets: a scope's monthly target rows of as_of's year (targets with a
-- month), which kpi_deviations uses when it phases a target as 'monthly'.
-- Reads: targets. Writes: nothing.
-- Parameters: 1 as_of (a date: its year), 2 scope, 3 scope_id, 4 kpi.
-- Columns: month (1-12), target (rows of the same month add up). Order: month.
SELECT month, sum(target)::DOUBLE AS target
FROM targets
WHERE year = year(?::DATE) AND scope = ? AND scope_id = ? AND kpi = ? AND month IS NOT NULL
GROUP BY month
ORDER BY month
