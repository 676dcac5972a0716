-- spellings_changed: the figures and field values that the lines changed since the last
-- match bring to their reseller spellings: the match step's incremental pass.
-- A line changed since then when its changed_run is after since (or unknown). Lines of a
-- file whose loads up to since brought no line (a new file) are new: their tuples are
-- added to what match_spellings holds. Any other changed line (a restatement superseding
-- it, an exchange rate, a product resolved) makes its spelling "restated": its tuples
-- are computed again from all of its lines. (A file loaded before since and read again
-- after it may have lost lines: the caller makes that a full pass, spellings_all.sql.)
-- Reads: lines, file_loads. Writes: temp tables match_changed_lines, match_new_files,
-- match_restated, match_tuples and match_touched (see spellings_all.sql).
-- Variables: since (the last match's run).
CREATE OR REPLACE TEMP TABLE match_changed_lines AS
SELECT line_id, file_id, distributor, reseller_id, reseller_name, reseller_postcode,
       reseller_address, reseller_city, reseller_country, reseller_registration, reseller_vat,
       superseded_by, amount_base, product_line
FROM lines
WHERE changed_run > getvariable('since') OR changed_run IS NULL;

CREATE OR REPLACE TEMP TABLE match_new_files AS
SELECT DISTINCT c.file_id
FROM match_changed_lines c
WHERE EXISTS (SELECT 1 FROM file_loads f WHERE f.file_id = c.file_id)
  AND NOT EXISTS (SELECT 1 FROM file_loads f
                  WHERE f.file_id = c.file_id AND f.lines_loaded > 0
                    AND (f.run_id IS NULL OR f.run_id <= getvariable('since')));

CREATE OR REPLACE TEMP TABLE match_restated AS
SELECT DISTINCT distributor, reseller_id, reseller_name, reseller_postcode
FROM match_changed_lines
WHERE file_id NOT IN (SELECT file_id FROM match_new_files);

CREATE OR REPLACE TEMP TABLE match_tuples AS
WITH source AS (
    SELECT c.* EXCLUDE (file_id), false AS restated
    FROM match_changed_lines c
    WHERE c.file_id IN (SELECT file_id FROM match_new_files)
      AND NOT EXISTS (SELECT 1 FROM match_restated r
                      WHERE r.distributor = c.distributor
                        AND r.reseller_id IS NOT DISTINCT FROM c.reseller_id
                        AND r.reseller_name IS NOT DISTINCT FROM c.reseller_name
                        AND r.reseller_postcode IS NOT DISTINCT FROM c.reseller_postcode)
    UNION ALL
    SELECT l.line_id, l.distributor, l.reseller_id, l.reseller_name, l.reseller_postcode,
           l.reseller_address, l.reseller_city, l.reseller_country, l.reseller_registration, l.reseller_vat,
           l.superseded_by, l.amount_base, l.product_line, true
    FROM lines l
    JOIN match_restated r
      ON r.distributor = l.distributor
     AND r.reseller_id IS NOT DISTINCT FROM l.reseller_id
     AND r.reseller_name IS NOT DISTINCT FROM l.reseller_name
     AND r.reseller_postcode IS NOT DISTINCT FROM l.reseller_postcode
)
SELECT distributor, reseller_id, reseller_name, reseller_postcode,
       reseller_address, reseller_city, reseller_country, reseller_registration, reseller_vat,
       count(*) AS lines_all,
       count(*) FILTER (WHERE superseded_by IS NULL) AS lines,
       coalesce(sum(amount_base) FILTER (WHERE superseded_by IS NULL), 0) AS revenue,
       count(*) FILTER (WHERE superseded_by IS NULL AND product_line IS NULL) AS unknown_products,
       min(line_id) AS first_line,
       restated
FROM source
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE match_touched AS
SELECT DISTINCT distributor, reseller_id, reseller_name, reseller_postcode, restated FROM match_tuples;
