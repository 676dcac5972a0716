-- amount_base: converts into the base currency the lines still without a base amount
-- (their currency had no rate when they were loaded, or they were just loaded: the
-- loader runs it at the end of a file with foreign-currency lines), or every
-- foreign-currency line when the fx_rates reference changed (variable recompute_all).
-- Reads: lines, fx_rates. Writes: lines.amount_base, lines.changed_run.
-- Variables: base_currency, recompute_all (true when fx_rates changed), run_id, file_id
-- (only that file's lines; NULL: every file's).
-- Rate: the rate of the invoice date, else the latest one before it.
UPDATE lines AS l
SET amount_base = CASE WHEN l.currency = getvariable('base_currency') THEN l.amount
                       ELSE round(l.amount * r.rate, 4) END,
    changed_run = getvariable('run_id')
FROM (
    SELECT x.line_id, fx.rate
    FROM lines x
    ASOF LEFT JOIN fx_rates fx ON fx.currency = x.currency AND x.invoice_date >= fx.date
    WHERE (x.amount_base IS NULL
           OR (getvariable('recompute_all') AND x.currency <> getvariable('base_currency')))
      AND (getvariable('file_id') IS NULL OR x.file_id = getvariable('file_id'))
) r
WHERE l.line_id = r.line_id;
