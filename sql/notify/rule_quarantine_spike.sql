-- rule_quarantine_spike: the feeds whose recent files had a share of quarantined lines
-- far above the feed's usual share (alerts.rules.quarantine_spike).
-- Recent: files received since recent_from; usual: the files received from baseline_from
-- to recent_from. A feed is judged when both hold at least min_lines lines; it spikes
-- when the recent share reaches min_share and factor x the usual share; critical from
-- critical_share. Duplicates carry no lines and count for nothing.
-- Reads: files. Writes: nothing.
-- Parameters: 1 recent_from, 2 baseline_from (timestamps), 3 factor, 4 min_share,
-- 5 critical_share, 6 min_lines.
-- Columns: feed, distributor, files (recent), quarantined, lines (recent, loaded +
-- quarantined), share, usual_share (0-1), severity.
-- Order: feed.
WITH p AS (
    SELECT ?::TIMESTAMPTZ AS recent_from, ?::TIMESTAMPTZ AS baseline_from, ?::DOUBLE AS factor,
           ?::DOUBLE AS min_share, ?::DOUBLE AS critical_share, ?::BIGINT AS min_lines
),
f AS (
    SELECT f.feed, min(f.distributor) AS distributor,
           count(*) FILTER (WHERE f.received_at >= p.recent_from) AS files,
           coalesce(sum(f.lines_quarantined) FILTER (WHERE f.received_at >= p.recent_from), 0) AS bad,
           coalesce(sum(f.lines_loaded + f.lines_quarantined) FILTER (WHERE f.received_at >= p.recent_from), 0) AS lines,
           coalesce(sum(f.lines_quarantined) FILTER (WHERE f.received_at < p.recent_from), 0) AS base_bad,
           coalesce(sum(f.lines_loaded + f.lines_quarantined) FILTER (WHERE f.received_at < p.recent_from), 0) AS base_lines
    FROM files f, p
    WHERE f.status IN ('loaded', 'failed') AND f.received_at >= p.baseline_from
    GROUP BY f.feed
),
s AS (
    SELECT f.*, f.bad / f.lines AS share, f.base_bad / f.base_lines AS usual_share, p.*
    FROM f, p
    WHERE f.lines >= p.min_lines AND f.base_lines >= p.min_lines
)
SELECT feed, distributor, files, bad, lines, round(share, 4), round(usual_share, 4),
       CASE WHEN share >= critical_share THEN 'critical' ELSE 'warning' END
FROM s
WHERE share >= min_share AND share >= factor * usual_share
ORDER BY feed
