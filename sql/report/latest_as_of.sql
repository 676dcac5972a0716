-- report/latest_as_of: the dates a business review can show: the latest as_of of
-- kpi_deviations (NULL when never computed), and whether a requested date was computed.
-- Reads: kpi_deviations, partner_scores. Writes: nothing.
-- Parameters: 1 as_of (a date, or NULL when none is requested).
-- Columns: latest, known (the requested date has kpi_deviations and partner_scores rows;
-- NULL when none was requested).
SELECT (SELECT max(as_of) FROM kpi_deviations) AS latest,
       CASE WHEN requested.as_of IS NOT NULL
            THEN EXISTS (SELECT 1 FROM kpi_deviations WHERE as_of = requested.as_of)
             AND EXISTS (SELECT 1 FROM partner_scores WHERE as_of = requested.as_of)
       END AS known
FROM (SELECT ?::DATE AS as_of) requested
