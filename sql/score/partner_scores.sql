-- partner_scores: the behaviour, score and action plan of every partner of the channel
-- database at as_of, including the partners that never bought.
-- Reads: partners, sales_out. Writes: partner_scores (the rows of as_of are replaced).
-- Variables (set by pipeline/score from the scoring section of the config): as_of,
-- loyal_min_months, new_within_months, lost_after_months, opportunistic_max_months,
-- opportunistic_min_share, share_high, high_potential_quantile, retention_top_n,
-- w_revenue, w_loyalty, w_share, w_potential.
--
-- A partner's lines are the sales_out lines matched to it (partner_id). Amounts are in
-- the base currency (amount_base): a line whose amount_base is NULL (no exchange rate yet)
-- adds nothing to revenue, but its quantity counts in units.
--
-- "N months before as_of" is as_of - N months (2026-03-31 - 1 month = 2026-02-28), or the
-- last day of that month when as_of is the last day of its month (2026-04-30 - 1 month =
-- 2026-03-31), so that at a month end every period below is made of calendar months.
--
--   window             the 12 months ending at as_of: 12 months before as_of < invoice_date <= as_of
--   months             the window cut into 12 consecutive months: month k (0-11) is
--                      k + 1 months before as_of < invoice_date <= k months before as_of
--                      (as_of 2026-04-30: the calendar months May 2025 to April 2026;
--                      as_of 2026-03-15: month 0 is 2026-02-16 to 2026-03-15)
--   revenue_12m        sum of amount_base in the window, returns (negative) included; 0 without lines
--   units_12m          sum of quantity in the window
--   active_months_12m  months of the window whose net revenue (sum of amount_base) is > 0
--   first_purchase,    first and last invoice_date <= as_of of a line with amount > 0,
--   last_purchase      over all history (NULL: no purchase)
--   loyalty            the first rule that applies:
--     none             no purchase up to as_of
--     lost             last_purchase <= lost_after_months months before as_of
--     new              first_purchase > new_within_months months before as_of
--     loyal            active_months_12m >= loyal_min_months
--     opportunistic    active_months_12m <= opportunistic_max_months, and the best month's
--                      revenue >= opportunistic_min_share x revenue_12m, and revenue_12m >=
--                      the median revenue_12m of the partners whose revenue_12m is > 0
--     occasional       all others
--   share_of_wallet    revenue_12m / potential; NULL when potential is NULL or <= 0
--   score              0-100, rounded to 1 decimal:
--                      100 x ( w_revenue   x percent_rank of revenue_12m among all partners
--                            + w_loyalty   x loyalty points: loyal 1, new 0.6, occasional 0.5,
--                                            opportunistic 0.4, lost 0.1, none 0
--                            + w_share     x least(share_of_wallet / share_high, 1), 0 when NULL
--                            + w_potential x percent_rank of potential among the partners
--                                            with a potential, 0 when NULL )
--                      / (w_revenue + w_loyalty + w_share + w_potential)
--                      percent_rank = (rank - 1) / (partners ranked - 1), ties share the
--                      lowest rank, 0 when only one partner is ranked.
--   plan               the first rule that applies, where high potential means potential > 0
--                      and potential >= quantile_cont(potential, high_potential_quantile)
--                      over the partners with a potential:
--     retention        revenue_12m > 0 and (share_of_wallet >= share_high, or rank <=
--                      retention_top_n in a dense ranking by revenue_12m, highest first)
--     development      loyal, new or occasional; high potential; share_of_wallet NULL or
--                      < share_high
--     prospecting      none, lost or opportunistic; high potential
--     support          all others

DELETE FROM partner_scores WHERE as_of = getvariable('as_of');

INSERT INTO partner_scores (as_of, partner_id, revenue_12m, units_12m, active_months_12m,
                            first_purchase, last_purchase, loyalty, potential, share_of_wallet,
                            score, plan)
WITH
-- bound k = k months before as_of, for every k the rules need
bounds AS (
    SELECT k,
           CASE WHEN getvariable('as_of') = last_day(getvariable('as_of'))
                THEN last_day(getvariable('as_of') - to_months(k))
                ELSE getvariable('as_of') - to_months(k) END::DATE AS bound
    FROM range(greatest(12, getvariable('lost_after_months'), getvariable('new_within_months')) + 1) r(k)
),
-- month k of the window: after < invoice_date <= until
periods AS (
    SELECT b.k, n.bound AS after, b.bound AS until
    FROM bounds b JOIN bounds n ON n.k = b.k + 1
    WHERE b.k < 12
),
-- the matched lines up to as_of
bought AS (
    SELECT partner_id, invoice_date, quantity, amount, amount_base
    FROM sales_out
    WHERE partner_id IS NOT NULL AND invoice_date <= getvariable('as_of')
),
-- net revenue and units per partner and month of the window
months AS (
    SELECT b.partner_id, m.k, sum(b.amount_base) AS revenue, sum(b.quantity) AS units
    FROM bought b
    JOIN periods m ON b.invoice_date > m.after AND b.invoice_date <= m.until
    GROUP BY b.partner_id, m.k
),
window_totals AS (
    SELECT partner_id, sum(revenue) AS revenue, sum(units) AS units,
           count(*) FILTER (WHERE revenue > 0) AS active_months, max(revenue) AS best_month
    FROM months
    GROUP BY partner_id
),
purchases AS (
    SELECT partner_id, min(invoice_date) AS first_purchase, max(invoice_date) AS last_purchase
    FROM bought
    WHERE amount > 0
    GROUP BY partner_id
),
-- one row per partner of the channel database
measured AS (
    SELECT p.partner_id, p.potential,
           round(coalesce(w.revenue, 0), 2)::DECIMAL(18,2) AS revenue_12m,
           coalesce(w.units, 0)::DECIMAL(18,3) AS units_12m,
           coalesce(w.active_months, 0)::INTEGER AS active_months_12m,
           w.best_month, b.first_purchase, b.last_purchase
    FROM partners p
    LEFT JOIN window_totals w ON w.partner_id = p.partner_id
    LEFT JOIN purchases b ON b.partner_id = p.partner_id
),
-- the cut-off dates, and the two thresholds that depend on the whole population of partners
thresholds AS (
    SELECT (SELECT bound FROM bounds WHERE k = getvariable('lost_after_months')) AS lost_before,
           (SELECT bound FROM bounds WHERE k = getvariable('new_within_months')) AS new_after,
           median(revenue_12m::DOUBLE) FILTER (WHERE revenue_12m > 0) AS median_revenue,
           quantile_cont(potential::DOUBLE, getvariable('high_potential_quantile')) AS potential_cut
    FROM measured
),
classified AS (
    SELECT m.*,
           coalesce(m.potential > 0 AND m.potential >= t.potential_cut, false) AS high_potential,
           CASE WHEN m.potential > 0 THEN m.revenue_12m::DOUBLE / m.potential::DOUBLE END AS share_of_wallet,
           CASE
               WHEN m.first_purchase IS NULL THEN 'none'
               WHEN m.last_purchase <= t.lost_before THEN 'lost'
               WHEN m.first_purchase > t.new_after THEN 'new'
               WHEN m.active_months_12m >= getvariable('loyal_min_months') THEN 'loyal'
               WHEN m.active_months_12m <= getvariable('opportunistic_max_months')
                    AND m.best_month >= getvariable('opportunistic_min_share') * m.revenue_12m
                    AND m.revenue_12m >= t.median_revenue THEN 'opportunistic'
               ELSE 'occasional'
           END AS loyalty
    FROM measured m CROSS JOIN thresholds t
),
scored AS (
    SELECT *,
           round(100 * (
                 getvariable('w_revenue') * percent_rank() OVER (ORDER BY revenue_12m)
               + getvariable('w_loyalty') * CASE loyalty WHEN 'loyal' THEN 1.0 WHEN 'new' THEN 0.6
                                                         WHEN 'occasional' THEN 0.5 WHEN 'opportunistic' THEN 0.4
                                                         WHEN 'lost' THEN 0.1 ELSE 0.0 END
               + getvariable('w_share') * least(coalesce(share_of_wallet, 0.0) / getvariable('share_high'), 1.0)
               + getvariable('w_potential') * CASE WHEN potential IS NOT NULL
                                                   THEN percent_rank() OVER (PARTITION BY potential IS NULL ORDER BY potential)
                                                   ELSE 0.0 END
           ) / (getvariable('w_revenue') + getvariable('w_loyalty') + getvariable('w_share') + getvariable('w_potential')),
           1) AS score,
           dense_rank() OVER (ORDER BY revenue_12m DESC) AS revenue_rank
    FROM classified
)
SELECT getvariable('as_of'), partner_id, revenue_12m, units_12m, active_months_12m,
       first_purchase, last_purchase, loyalty, potential, share_of_wallet, score,
       CASE
           WHEN revenue_12m > 0
                AND (share_of_wallet >= getvariable('share_high') OR revenue_rank <= getvariable('retention_top_n'))
               THEN 'retention'
           WHEN loyalty IN ('loyal', 'new', 'occasional') AND high_potential
                AND (share_of_wallet IS NULL OR share_of_wallet < getvariable('share_high'))
               THEN 'development'
           WHEN loyalty IN ('none', 'lost', 'opportunistic') AND high_potential
               THEN 'prospecting'
           ELSE 'support'
       END AS plan
FROM scored;
