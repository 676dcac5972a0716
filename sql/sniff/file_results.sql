-- file_results: what a scratch load of sample files did to each file, for `feed sniff --check`.
-- Reads: files, lines. Writes: nothing.
-- Parameters: none.
-- Columns: name, status, reason (NULL unless failed), lines_loaded, lines_quarantined,
-- lines still current (not superseded by a later sample), their units and amounts, and a
-- digest of every loaded line (line number, invoice date, quantity, amount, currency)
-- to compare two loads of the same file line by line.
SELECT f.name, f.status, f.reason, f.lines_loaded, f.lines_quarantined,
       count(l.line_no) FILTER (WHERE l.superseded_by IS NULL),
       coalesce(sum(l.quantity) FILTER (WHERE l.superseded_by IS NULL), 0)::VARCHAR,
       coalesce(sum(l.amount) FILTER (WHERE l.superseded_by IS NULL), 0)::VARCHAR,
       coalesce(md5(string_agg(concat_ws('|', l.line_no, l.invoice_date, l.quantity, l.amount, l.currency), ','
                              ORDER BY l.line_no)), '')
FROM files f
LEFT JOIN lines l USING (file_id)
GROUP BY ALL
ORDER BY f.name
