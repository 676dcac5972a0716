-- rule_match_rate_drop: the distributors whose recent lines were matched to a partner
-- far less often than usual (alerts.rules.match_rate_drop): a new reseller code format,
-- a column mapped wrong, a channel database out of date.
-- Match rate: the share of the current sales_out lines with a partner_id, recent: of the
-- files received since recent_from; usual: from baseline_from to recent_from. Judged
-- when both hold at least min_lines lines; a drop of warning_points percentage points is
-- a warning, of critical_points critical.
-- Reads: sales_out, files. Writes: nothing.
-- Parameters: 1 recent_from, 2 baseline_from (timestamps), 3 warning_points,
-- 4 critical_points, 5 min_lines.
-- Columns: distributor, lines (recent), rate, usual_rate (percent), drop_points
-- (negative), severity.
-- Order: distributor.
WITH p AS (
    SELECT ?::TIMESTAMPTZ AS recent_from, ?::TIMESTAMPTZ AS baseline_from, ?::DOUBLE AS warning_points,
           ?::DOUBLE AS critical_points, ?::BIGINT AS min_lines
),
d AS (
    SELECT o.distributor,
           count(*) FILTER (WHERE f.received_at >= p.recent_from) AS lines,
           count(*) FILTER (WHERE f.received_at >= p.recent_from AND o.partner_id IS NOT NULL) AS matched,
           count(*) FILTER (WHERE f.received_at < p.recent_from) AS base_lines,
           count(*) FILTER (WHERE f.received_at < p.recent_from AND o.partner_id IS NOT NULL) AS base_matched
    FROM sales_out o JOIN files f ON f.file_id = o.file_id, p
    WHERE f.received_at >= p.baseline_from
    GROUP BY o.distributor
),
r AS (
    SELECT d.*, 100.0 * matched / lines AS rate, 100.0 * base_matched / base_lines AS usual_rate, p.*
    FROM d, p
    WHERE d.lines >= p.min_lines AND d.base_lines >= p.min_lines
)
SELECT distributor, lines, round(rate, 1), round(usual_rate, 1), round(rate - usual_rate, 1),
       CASE WHEN usual_rate - rate >= critical_points THEN 'critical' ELSE 'warning' END
FROM r
WHERE usual_rate - rate >= warning_points
ORDER BY distributor
