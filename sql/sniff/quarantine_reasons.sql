-- quarantine_reasons: the reasons a scratch load of sample files quarantined lines, for
-- `feed sniff --check`: per file and reason (the quoted value in a reason blanked, so that
-- one wrong setting is one reason), how many lines, and the first of them as a sample.
-- Reads: files, quarantine. Writes: nothing.
-- Parameters: none.
-- Columns: name, field (NULL for the whole file), the reason with its value blanked, the
-- count of lines, the first line's number (NULL for the whole file), its reason and raw text.
SELECT f.name, q.field,
       regexp_replace(q.reason, '"[^"]*"', '"…"', 'g') AS kind,
       count(*) AS n,
       min(q.line_no),
       arg_min(q.reason, coalesce(q.line_no, 0)),
       arg_min(q.raw, coalesce(q.line_no, 0))
FROM quarantine q
JOIN files f USING (file_id)
GROUP BY f.name, q.field, kind
ORDER BY f.name, n DESC, kind
