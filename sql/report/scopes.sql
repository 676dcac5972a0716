-- report/scopes: the territories or sales reps a business-review pack has a page for:
-- every territory (or rep) of the channel database's partners, of reps and of the year's
-- targets, with its name.
-- Reads: partners, reps, targets. Writes: nothing.
-- Parameters: 1 scope (territory or sales_rep), 2 as_of (a date: the targets of its year).
-- Columns: scope_id, name (the rep's name in reps; the territory code for a territory),
-- partners (of the channel database in it). Order: scope_id.
WITH params AS (
    SELECT ?::VARCHAR AS scope, ?::DATE AS as_of
),
ids AS (
    SELECT CASE params.scope WHEN 'territory' THEN p.territory ELSE p.sales_rep END AS scope_id
    FROM partners p, params
    UNION
    SELECT CASE params.scope WHEN 'territory' THEN r.territory ELSE r.sales_rep END
    FROM reps r, params
    UNION
    SELECT t.scope_id
    FROM targets t, params
    WHERE t.scope = params.scope AND t.year = year(params.as_of)
)
SELECT ids.scope_id,
       CASE params.scope WHEN 'sales_rep' THEN coalesce(min(r.name), ids.scope_id) ELSE ids.scope_id END AS name,
       (SELECT count(*) FROM partners p
        WHERE CASE params.scope WHEN 'territory' THEN p.territory ELSE p.sales_rep END = ids.scope_id) AS partners
FROM ids
CROSS JOIN params
LEFT JOIN reps r ON params.scope = 'sales_rep' AND r.sales_rep = ids.scope_id
WHERE ids.scope_id IS NOT NULL AND ids.scope_id <> ''
GROUP BY ids.scope_id, params.scope
ORDER BY ids.scope_id
