-- type_values: types the distinct texts of a file that the loader could not type on its
-- own: the one definition of how a feed's text becomes a date and a number, whatever the
-- format. The loader keeps each answer for the rest of the file, then empties value_texts.
-- Reads:  value_texts (txt: distinct trimmed, non-empty field texts of one file).
-- Returns: txt; day: the date as days since 1970-01-01, or NULL; num: the number x 10,000
--          (as DECIMAL(18,4) holds it), or NULL.
-- Parameters: 1 date_format (strptime), 2 date_format, 3 date_format, 4 date_format_alt
-- (a second accepted format, e.g. ISO for Excel date cells, or NULL), 5 date_format_alt,
-- 6 strip_chars (thousands separators to delete), 7 decimal_sep ("." or ",").
--
-- Rules:
--   * a date is read with date_format, else date_format_alt; strptime is lenient with
--     formats without separators ('2026091' passes %Y%m%d as 2026-09-01): an all-digit
--     date must print back exactly as it came;
--   * a number may use the feed's decimal and thousands separators and a trailing minus;
--     it is a DECIMAL(18,4) (more decimals are rounded, more digits are not a number).
--   * a typed invoice date outside the plausible window (load.dates) quarantines its line:
--     pipeline/ingest/typing.go checks it on the day this file returns.
-- pipeline/ingest/typing.go reads the simplest numbers (digits, one decimal mark, up to
-- 4 decimals) and dates (%d, %m and %Y in their full widths) itself; its tests check
-- that it agrees with this file.
WITH v AS (
    SELECT txt,
        CASE WHEN trim(txt) LIKE '%-' THEN '-' || rtrim(trim(txt), '-') ELSE trim(txt) END AS num_txt
    FROM value_texts
)
SELECT
    txt,
    (coalesce(
        CASE WHEN NOT regexp_full_match(txt, '[0-9]+')
                  OR strftime(try_strptime(txt, ?::VARCHAR), ?::VARCHAR) = txt
             THEN try_strptime(txt, ?::VARCHAR)::DATE
        END,
        CASE WHEN ?::VARCHAR IS NOT NULL
             THEN try_strptime(txt, ?::VARCHAR)::DATE
        END) - DATE '1970-01-01')::INTEGER AS day,
    (TRY_CAST(replace(num_txt.translate(?::VARCHAR, ''), ?::VARCHAR, '.')
        AS DECIMAL(18,4))::DECIMAL(38,4) * 10000)::BIGINT AS num
FROM v
