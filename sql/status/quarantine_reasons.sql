-- quarantine_reasons: the most frequent reasons lines were quarantined since a time, in
-- files received since then. Quoted values are blanked ("douze" and "n/a" count as one
-- reason) so that the same problem groups; one full reason is kept as an example.
-- Reads: quarantine, files. Writes: nothing.
-- Parameters: 1 since (a timestamp), 2 limit.
-- Columns: reason (values blanked as "…"), lines, the feeds (comma-separated), one
-- example reason as written.
SELECT regexp_replace(q.reason, '"[^"]*"', '"…"', 'g') AS kind,
       count(*) AS lines,
       string_agg(DISTINCT f.feed, ', ' ORDER BY f.feed),
       min(q.reason)
FROM quarantine q
JOIN files f USING (file_id)
WHERE q.line_no IS NOT NULL AND f.received_at >= ?
GROUP BY kind
ORDER BY lines DESC, kind
LIMIT ?
