-- deviations_by_manager: the warning and critical year-to-date KPI deviations at the latest
-- as_of of kpi_deviations, each with the sales managers and reps who own its scope: what a
-- manager's morning e-mail is about, as a table.
-- Reads: kpi_deviations, reps, partners. Writes: the view deviations_by_manager (replaced)
-- and its comments; the analysts' snapshot gets it too.
--
-- The owners of a scope are rows of reps (one per rep and territory), as alerts route
-- them (pipeline/notify):
--   sales_rep   every row of the rep
--   territory   the rows of the territory: its reps, each with the manager of that row
--   partner     the row of the partner's rep for the partner's territory, else every row
--               of the partner's rep
--   total, product_line, distributor
--               none
-- One row per deviation and manager_email of its owners, with the owners' reps under that
-- manager; a deviation without an owner (or whose owners have no manager) has a row with
-- manager_email NULL: its alert goes to alerts.default_to. Every warning or critical
-- deviation is at least once in the view.
--
-- Ordered by manager_email (NULL last), critical first, the largest shortfall first.
CREATE OR REPLACE VIEW deviations_by_manager AS
WITH deviations AS (
    SELECT *
    FROM kpi_deviations
    WHERE as_of = (SELECT max(as_of) FROM kpi_deviations)
      AND period = 'ytd' AND severity IN ('warning', 'critical')
),
scopes AS (
    SELECT DISTINCT scope, scope_id FROM deviations
),
owners AS (
    SELECT s.scope, s.scope_id, r.sales_rep, r.name, r.manager_email
    FROM scopes s JOIN reps r ON s.scope = 'sales_rep' AND r.sales_rep = s.scope_id
    UNION
    SELECT s.scope, s.scope_id, r.sales_rep, r.name, r.manager_email
    FROM scopes s JOIN reps r ON s.scope = 'territory' AND r.territory = s.scope_id
    UNION
    SELECT s.scope, s.scope_id, r.sales_rep, r.name, r.manager_email
    FROM scopes s
    JOIN partners p ON s.scope = 'partner' AND p.partner_id = s.scope_id
    JOIN reps r ON r.sales_rep = p.sales_rep
    WHERE r.territory IS NOT DISTINCT FROM p.territory
       OR NOT EXISTS (SELECT 1 FROM reps r2
                      WHERE r2.sales_rep = p.sales_rep AND r2.territory IS NOT DISTINCT FROM p.territory)
),
managers AS (
    SELECT scope, scope_id, nullif(trim(manager_email), '') AS manager_email,
           string_agg(DISTINCT sales_rep, ', ' ORDER BY sales_rep) AS sales_reps,
           string_agg(DISTINCT name, ', ' ORDER BY name) AS rep_names
    FROM owners
    GROUP BY ALL
),
names AS (
    SELECT 'sales_rep' AS scope, sales_rep AS scope_id, min(name) AS scope_name FROM reps GROUP BY sales_rep
    UNION ALL
    SELECT 'partner', partner_id, min(name) FROM partners GROUP BY partner_id
)
SELECT d.as_of, m.manager_email, d.scope, d.scope_id, n.scope_name, d.kpi, d.period, d.severity,
       d.actual, d.target, d.annual_target, d.deviation_pct, d.projected_year_end, d.unmatched_revenue,
       m.sales_reps, m.rep_names
FROM deviations d
LEFT JOIN managers m ON m.scope = d.scope AND m.scope_id = d.scope_id
LEFT JOIN names n ON n.scope = d.scope AND n.scope_id = d.scope_id
ORDER BY m.manager_email NULLS LAST, d.severity, d.deviation_pct NULLS LAST, d.scope, d.scope_id, d.kpi;

COMMENT ON VIEW deviations_by_manager IS 'One row per warning or critical year-to-date KPI deviation at the latest as_of and sales manager owning its scope (through reps: a rep''s deviation to the rep''s managers, a territory''s to its reps'' managers, a partner''s through the partner''s rep); manager_email NULL when no manager owns it (its alert goes to alerts.default_to).';
COMMENT ON COLUMN deviations_by_manager.as_of IS 'The latest as_of of kpi_deviations.';
COMMENT ON COLUMN deviations_by_manager.manager_email IS 'The manager''s e-mail (reps.manager_email); NULL when no manager owns the scope: total, product_line and distributor deviations, scopes no rep covers, reps without a manager.';
COMMENT ON COLUMN deviations_by_manager.scope IS 'total, territory, sales_rep, partner, product_line or distributor.';
COMMENT ON COLUMN deviations_by_manager.scope_id IS 'The territory, rep, partner, product line or distributor (for total, the target''s label).';
COMMENT ON COLUMN deviations_by_manager.scope_name IS 'The rep''s or the partner''s name; NULL for other scopes or an unknown id.';
COMMENT ON COLUMN deviations_by_manager.kpi IS 'revenue (base currency) or units.';
COMMENT ON COLUMN deviations_by_manager.period IS 'ytd: from 1 January to as_of.';
COMMENT ON COLUMN deviations_by_manager.severity IS 'critical or warning.';
COMMENT ON COLUMN deviations_by_manager.actual IS 'Revenue or units of the lines in scope, year to date.';
COMMENT ON COLUMN deviations_by_manager.target IS 'The part of the annual target due by as_of.';
COMMENT ON COLUMN deviations_by_manager.annual_target IS 'The annual target.';
COMMENT ON COLUMN deviations_by_manager.deviation_pct IS '(actual - target) / target x 100: -60 means 60 % below.';
COMMENT ON COLUMN deviations_by_manager.projected_year_end IS 'The year''s actual if the rest of the year kept this pace.';
COMMENT ON COLUMN deviations_by_manager.unmatched_revenue IS 'Territory deviations: revenue of unmatched resellers placed in the territory by postcode, which counts in no actual; NULL for other scopes.';
COMMENT ON COLUMN deviations_by_manager.sales_reps IS 'The reps (ids, comma-separated) under this manager who own the scope; NULL when none does.';
COMMENT ON COLUMN deviations_by_manager.rep_names IS 'Their names, comma-separated.';
