-- partner_movements: how partners moved between two snapshots of partner_scores (two
-- as_of): their loyalty class and plan before and after, with revenue and score; the
-- movements between classes are the heart of the compuBase method.
-- Reads: partner_scores, partners. Writes: the table macro partner_movements_between and
-- the view partner_movements (both replaced, with their comments; the analysts' snapshot
-- gets them too).
--
--   partner_movements_between(from_as_of, to_as_of)
--       one row per partner scored at either date: from_as_of, to_as_of, partner_id, the
--       partner's name, territory and sales_rep (channel database of today), from_loyalty,
--       to_loyalty, from_plan, to_plan, from_revenue_12m, to_revenue_12m, revenue_change
--       (to - from, a missing side as 0), from_score, to_score, loyalty_changed,
--       plan_changed (NULL on one side and a value on the other counts as a change: a
--       partner added to or gone from the channel database). No rows when either date is
--       NULL; a date without a snapshot gives NULL on its side.
--   partner_movements
--       partner_movements_between(the as_of before the latest, the latest as_of): what
--       changed since the run before. Empty while partner_scores holds a single as_of.
--
-- Any two dates: SELECT * FROM partner_movements_between(DATE '2026-01-31', DATE '2026-06-30');
-- the matrix of movements: SELECT from_loyalty, to_loyalty, count(*) FROM partner_movements
-- GROUP BY ALL ORDER BY ALL.
CREATE OR REPLACE MACRO partner_movements_between(from_as_of, to_as_of) AS TABLE
SELECT from_as_of::DATE AS from_as_of,
       to_as_of::DATE AS to_as_of,
       coalesce(t.partner_id, f.partner_id) AS partner_id,
       p.name, p.territory, p.sales_rep,
       f.loyalty AS from_loyalty, t.loyalty AS to_loyalty,
       f.plan AS from_plan, t.plan AS to_plan,
       f.revenue_12m AS from_revenue_12m, t.revenue_12m AS to_revenue_12m,
       coalesce(t.revenue_12m, 0) - coalesce(f.revenue_12m, 0) AS revenue_change,
       f.score AS from_score, t.score AS to_score,
       f.loyalty IS DISTINCT FROM t.loyalty AS loyalty_changed,
       f.plan IS DISTINCT FROM t.plan AS plan_changed
FROM (SELECT * FROM partner_scores WHERE as_of = from_as_of::DATE) f
FULL JOIN (SELECT * FROM partner_scores WHERE as_of = to_as_of::DATE) t ON t.partner_id = f.partner_id
LEFT JOIN partners p ON p.partner_id = coalesce(t.partner_id, f.partner_id)
WHERE from_as_of IS NOT NULL AND to_as_of IS NOT NULL;

CREATE OR REPLACE VIEW partner_movements AS
SELECT *
FROM partner_movements_between(
    (SELECT max(as_of) FROM partner_scores WHERE as_of < (SELECT max(as_of) FROM partner_scores)),
    (SELECT max(as_of) FROM partner_scores));

COMMENT ON MACRO TABLE partner_movements_between IS 'partner_movements_between(from_as_of, to_as_of): how partners moved between two as_of of partner_scores, one row per partner scored at either date, with the columns of partner_movements.';
COMMENT ON VIEW partner_movements IS 'One row per partner scored at either of the two latest as_of of partner_scores: its loyalty class and plan before and after, with revenue and score (partner_movements_between(the as_of before the latest, the latest)). Empty while partner_scores holds a single as_of.';
COMMENT ON COLUMN partner_movements.from_as_of IS 'The earlier as_of compared.';
COMMENT ON COLUMN partner_movements.to_as_of IS 'The later as_of compared.';
COMMENT ON COLUMN partner_movements.partner_id IS 'The partner (partners.partner_id).';
COMMENT ON COLUMN partner_movements.name IS 'Its name in the channel database of today.';
COMMENT ON COLUMN partner_movements.territory IS 'Its territory in the channel database of today.';
COMMENT ON COLUMN partner_movements.sales_rep IS 'Its sales rep in the channel database of today.';
COMMENT ON COLUMN partner_movements.from_loyalty IS 'Loyalty class at from_as_of; NULL when not scored then.';
COMMENT ON COLUMN partner_movements.to_loyalty IS 'Loyalty class at to_as_of; NULL when not scored then.';
COMMENT ON COLUMN partner_movements.from_plan IS 'Plan at from_as_of.';
COMMENT ON COLUMN partner_movements.to_plan IS 'Plan at to_as_of.';
COMMENT ON COLUMN partner_movements.from_revenue_12m IS 'revenue_12m at from_as_of.';
COMMENT ON COLUMN partner_movements.to_revenue_12m IS 'revenue_12m at to_as_of.';
COMMENT ON COLUMN partner_movements.revenue_change IS 'to_revenue_12m - from_revenue_12m, a missing side counting as 0.';
COMMENT ON COLUMN partner_movements.from_score IS 'Score at from_as_of.';
COMMENT ON COLUMN partner_movements.to_score IS 'Score at to_as_of.';
COMMENT ON COLUMN partner_movements.loyalty_changed IS 'true when the class differs (a NULL side against a value counts as a change).';
COMMENT ON COLUMN partner_movements.plan_changed IS 'true when the plan differs (a NULL side against a value counts as a change).';
