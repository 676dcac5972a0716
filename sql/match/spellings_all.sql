-- spellings_all: every reseller spelling's figures and field values, from every line:
-- the match step's full pass (no earlier match, a run id not after the last match's, a
-- file loaded before it read again, most lines changed, or counts that did not add up).
-- A spelling is (distributor, reseller_id, reseller_name, reseller_postcode): the key of
-- partner_matches.
-- Reads: lines. Writes: match_spellings and match_spelling_values (emptied: the fold,
-- spellings_fold.sql, refills them), temp tables match_tuples and match_touched.
-- match_tuples has one row per spelling and combination of its descriptive fields
-- (address, city, country, registration, vat: a spelling has few), so that one pass over
-- the lines gives both the counts and the values: lines_all (superseded included), lines
-- (current), revenue (current, base currency), unknown_products (current lines without a
-- product line), first_line (min line_id); restated (true: the tuples are the spelling's
-- every line, replacing what match_spellings holds).
DELETE FROM match_spellings;

DELETE FROM match_spelling_values;

CREATE OR REPLACE TEMP TABLE match_tuples AS
SELECT distributor, reseller_id, reseller_name, reseller_postcode,
       reseller_address, reseller_city, reseller_country, reseller_registration, reseller_vat,
       count(*) AS lines_all,
       count(*) FILTER (WHERE superseded_by IS NULL) AS lines,
       coalesce(sum(amount_base) FILTER (WHERE superseded_by IS NULL), 0) AS revenue,
       count(*) FILTER (WHERE superseded_by IS NULL AND product_line IS NULL) AS unknown_products,
       min(line_id) AS first_line,
       true AS restated
FROM lines
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE match_touched AS
SELECT DISTINCT distributor, reseller_id, reseller_name, reseller_postcode, restated FROM match_tuples;
