-- partner_scores: the behaviour, score and action plan of every partner of the channel
-- database at as_of, including the partners that never bought.
-- Reads: partners, sales_out. Writes: partner_scores (the rows of as_of are replaced).
-- Variables (set by pipeline/score from the scoring section of the config): as_of,
-- window_months, loyal_min_months, new_within_months, lost_after_months,
-- opportunistic_max_months, opportunistic_min_share, opportunistic_min_potential_share,
-- share_high, high_potential_quantile, retention_top_n, w_revenue, w_loyalty, w_growth,
-- w_regularity, w_share, w_potential.
--
-- A partner's lines are the sales_out lines matched to it (partner_id). Amounts are in
-- the base currency (amount_base): a line whose amount_base is NULL (no exchange rate yet)
-- adds nothing to revenue, but its quantity counts in units.
--
-- "N months before d" is d - N months (2026-03-31 - 1 month = 2026-02-28), or the last
-- day of that month when d is the last day of its month (2026-04-30 - 1 month =
-- 2026-03-31; 2025-02-28 - 12 months = 2024-02-29), so that at a month end every period
-- below is made of calendar months. W is window_months (default 12); the columns named
-- *_12m hold the values of the window, whatever W.
--
--   window             the W months ending at as_of: W months before as_of < invoice_date <= as_of
--   previous_as_of     W months before as_of: the end of the previous window, the W months
--                      before the window; the *_prev columns are its measures
--   months             the window's W calendar months: as_of's month (up to as_of) and the W - 1
--                      months before it. At a month end they are exactly the window; otherwise
--                      the window's first days, in the month before them, count in revenue but
--                      in no month (as_of 2026-03-15: April 2025 to March 2026 are the months,
--                      2025-03-16 to 2025-03-31 count in revenue only). Calendar months, not
--                      30-day slices: a partner that buys once a month on any day of it is
--                      active every month.
--   revenue_12m        sum of amount_base in the window, returns (negative) included; 0 without lines
--   units_12m          sum of quantity in the window
--   orders_12m         distinct invoices in the window with a line of amount > 0; an invoice is a
--                      distributor and invoice_number (without a number: a distributor and a day)
--   active_months_12m  months whose net revenue (sum of amount_base) is > 0: a month whose returns
--                      outweigh its sales is not active
--   regularity_cv      coefficient of variation of the W months' net revenue, empty months as 0:
--                      population standard deviation / mean; 0 = the same every month,
--                      sqrt(W - 1) (3.32 for 12) = everything in one month; NULL when the months'
--                      revenue is <= 0
--   first_purchase,    first and last invoice_date <= as_of of a line with amount > 0,
--   last_purchase      over all history (NULL: no purchase)
--   recency_days       as_of - last_purchase in days (NULL: no purchase)
--   growth             (revenue_12m - revenue_prev_12m) / revenue_prev_12m; NULL when
--                      revenue_prev_12m <= 0
--   potential          the channel database's potential; where it has none (NULL), an estimate
--                      flagged potential_estimated: the median of the positive potentials of the
--                      partners of the same trade and size_band, else of the same trade, else
--                      none (NULL). A potential of 0 is kept as given.
--   loyalty            the first rule that applies:
--     none             no purchase up to as_of
--     lost             last_purchase <= lost_after_months months before as_of
--     new              first_purchase > new_within_months months before as_of
--     loyal            active_months_12m >= loyal_min_months
--     opportunistic    1 <= active_months_12m <= opportunistic_max_months, the best month's
--                      revenue >= opportunistic_min_share x revenue_12m, and a large deal: the
--                      best month >= opportunistic_min_potential_share x potential, or
--                      revenue_12m >= the median revenue_12m of the partners whose
--                      revenue_12m is > 0
--     occasional       all others
--   loyalty_prev       the same rules at previous_as_of, over the previous window and the lines
--                      up to it (first and last purchase, median revenue of that window)
--   share_of_wallet    revenue_12m / potential; NULL when potential is NULL or <= 0
--   high_potential     potential > 0 and potential >= quantile_cont(potential,
--                      high_potential_quantile) over the partners with a potential (estimated
--                      ones included)
--   score              0-100, rounded to 1 decimal:
--                      100 x ( w_revenue    x percent_rank of revenue_12m among all partners
--                            + w_loyalty    x loyalty points: loyal 1, new 0.6, occasional 0.5,
--                                             opportunistic 0.4, lost 0.1, none 0
--                            + w_growth     x growth points: (least(greatest(growth, -1), 1) + 1) / 2
--                                             (-100 % 0, flat 0.5, +100 % or more 1); 1 when
--                                             growth is NULL and revenue_12m > 0 (buying again),
--                                             0 when growth is NULL otherwise
--                            + w_regularity x regularity points: greatest(0, 1 - regularity_cv /
--                                             sqrt(W - 1)), 0 when regularity_cv is NULL
--                            + w_share      x least(share_of_wallet / share_high, 1), 0 when NULL
--                            + w_potential  x percent_rank of potential among the partners
--                                             with a potential, 0 when NULL )
--                      / (the sum of the six weights)
--                      percent_rank = (rank - 1) / (partners ranked - 1), ties share the
--                      lowest rank, 0 when only one partner is ranked.
--   rank               rank of score, highest first (1); ties share a rank
--   plan               the first rule that applies:
--     retention        revenue_12m > 0 and (share_of_wallet >= share_high, or rank <=
--                      retention_top_n in a dense ranking by revenue_12m, highest first)
--     development      loyal, new or occasional; high potential; share_of_wallet NULL or
--                      < share_high
--     prospecting      none, lost or opportunistic; high potential
--     support          all others
--   plan_prev          the same rules at previous_as_of with the previous window's revenue,
--                      share and class (the potential is today's)

-- d - n months, or the last day of that month when d is the last day of its month
CREATE OR REPLACE TEMP MACRO so_months_before(d, n) AS
    CASE WHEN d = last_day(d) THEN last_day(d - to_months(n)) ELSE d - to_months(n) END::DATE;

DELETE FROM partner_scores WHERE as_of = getvariable('as_of');

INSERT INTO partner_scores (as_of, partner_id, revenue_12m, units_12m, active_months_12m,
                            first_purchase, last_purchase, loyalty, potential, share_of_wallet,
                            score, plan, window_months, orders_12m, regularity_cv, recency_days,
                            previous_as_of, revenue_prev_12m, units_prev_12m, orders_prev_12m,
                            active_months_prev_12m, growth, loyalty_prev, plan_prev,
                            potential_estimated, high_potential, rank)
WITH
-- the two dates the behaviour is measured at: as_of (anchor 0), previous_as_of (anchor 1)
anchors AS (
    SELECT 0 AS anchor, getvariable('as_of') AS day
    UNION ALL
    SELECT 1, so_months_before(getvariable('as_of'), getvariable('window_months'))
),
-- each anchor's window (after < invoice_date <= day), first month and cut-off dates
windows AS (
    SELECT anchor, day,
           so_months_before(day, getvariable('window_months')) AS after,
           (date_trunc('month', day) - to_months(getvariable('window_months') - 1))::DATE AS first_month,
           so_months_before(day, getvariable('lost_after_months')) AS lost_before,
           so_months_before(day, getvariable('new_within_months')) AS new_after
    FROM anchors
),
-- the matched lines up to as_of
bought AS (
    SELECT partner_id, distributor, invoice_number, invoice_date, quantity, amount, amount_base
    FROM sales_out
    WHERE partner_id IS NOT NULL AND invoice_date <= getvariable('as_of')
),
-- the lines of each anchor's window
windowed AS (
    SELECT w.anchor, w.first_month, b.*
    FROM bought b
    JOIN windows w ON b.invoice_date > w.after AND b.invoice_date <= w.day
),
window_totals AS (
    SELECT anchor, partner_id, sum(amount_base) AS revenue, sum(quantity) AS units,
           count(DISTINCT (distributor, coalesce(invoice_number, invoice_date::VARCHAR))) FILTER (WHERE amount > 0) AS orders
    FROM windowed
    GROUP BY anchor, partner_id
),
-- net revenue per partner and calendar month of the window's months
months AS (
    SELECT anchor, partner_id, date_trunc('month', invoice_date) AS month, sum(amount_base)::DOUBLE AS revenue
    FROM windowed
    WHERE invoice_date >= first_month
    GROUP BY ALL
),
month_totals AS (
    SELECT anchor, partner_id,
           count(*) FILTER (WHERE revenue > 0) AS active_months,
           max(revenue) AS best_month,
           sum(revenue) AS revenue,
           sum(revenue * revenue) AS squares
    FROM months
    GROUP BY anchor, partner_id
),
purchases AS (
    SELECT a.anchor, b.partner_id, min(b.invoice_date) AS first_purchase, max(b.invoice_date) AS last_purchase
    FROM bought b
    JOIN anchors a ON b.invoice_date <= a.day
    WHERE b.amount > 0
    GROUP BY a.anchor, b.partner_id
),
-- potentials: the channel database's, else the median of the same trade and size band,
-- else of the same trade
peers_trade_size AS (
    SELECT trade, size_band, median(potential) AS potential
    FROM partners
    WHERE potential > 0 AND trade IS NOT NULL AND size_band IS NOT NULL
    GROUP BY trade, size_band
),
peers_trade AS (
    SELECT trade, median(potential) AS potential
    FROM partners
    WHERE potential > 0 AND trade IS NOT NULL
    GROUP BY trade
),
potentials AS (
    SELECT p.partner_id,
           coalesce(p.potential, round(coalesce(s.potential, t.potential), 2))::DECIMAL(18,2) AS potential,
           p.potential IS NULL AND coalesce(s.potential, t.potential) IS NOT NULL AS potential_estimated
    FROM partners p
    LEFT JOIN peers_trade_size s ON s.trade = p.trade AND s.size_band = p.size_band
    LEFT JOIN peers_trade t ON t.trade = p.trade
),
-- one row per partner of the channel database and anchor
measured AS (
    SELECT a.anchor, p.partner_id, p.potential, p.potential_estimated,
           round(coalesce(t.revenue, 0), 2)::DECIMAL(18,2) AS revenue,
           coalesce(t.units, 0)::DECIMAL(18,3) AS units,
           coalesce(t.orders, 0) AS orders,
           coalesce(m.active_months, 0)::INTEGER AS active_months,
           m.best_month,
           CASE WHEN m.revenue > 0
                THEN sqrt(greatest(m.squares / getvariable('window_months')
                                   - (m.revenue / getvariable('window_months')) ^ 2, 0))
                     / (m.revenue / getvariable('window_months'))
           END AS regularity_cv,
           b.first_purchase, b.last_purchase
    FROM potentials p
    CROSS JOIN anchors a
    LEFT JOIN window_totals t ON t.anchor = a.anchor AND t.partner_id = p.partner_id
    LEFT JOIN month_totals m ON m.anchor = a.anchor AND m.partner_id = p.partner_id
    LEFT JOIN purchases b ON b.anchor = a.anchor AND b.partner_id = p.partner_id
),
-- the thresholds that depend on the whole population of partners
median_revenues AS (
    SELECT anchor, median(revenue::DOUBLE) FILTER (WHERE revenue > 0) AS median_revenue
    FROM measured
    GROUP BY anchor
),
potential_cut AS (
    SELECT quantile_cont(potential::DOUBLE, getvariable('high_potential_quantile')) AS cut
    FROM potentials
),
classified AS (
    SELECT m.*,
           coalesce(m.potential > 0 AND m.potential >= c.cut, false) AS high_potential,
           CASE WHEN m.potential > 0 THEN m.revenue::DOUBLE / m.potential::DOUBLE END AS share_of_wallet,
           CASE
               WHEN m.first_purchase IS NULL THEN 'none'
               WHEN m.last_purchase <= w.lost_before THEN 'lost'
               WHEN m.first_purchase > w.new_after THEN 'new'
               WHEN m.active_months >= getvariable('loyal_min_months') THEN 'loyal'
               WHEN m.active_months BETWEEN 1 AND getvariable('opportunistic_max_months')
                    AND m.best_month >= getvariable('opportunistic_min_share') * m.revenue
                    AND (m.best_month >= getvariable('opportunistic_min_potential_share') * m.potential
                         OR m.revenue >= r.median_revenue) THEN 'opportunistic'
               ELSE 'occasional'
           END AS loyalty
    FROM measured m
    JOIN windows w USING (anchor)
    JOIN median_revenues r USING (anchor)
    CROSS JOIN potential_cut c
),
planned AS (
    SELECT *,
           CASE
               WHEN revenue > 0
                    AND (share_of_wallet >= getvariable('share_high') OR revenue_rank <= getvariable('retention_top_n'))
                   THEN 'retention'
               WHEN loyalty IN ('loyal', 'new', 'occasional') AND high_potential
                    AND (share_of_wallet IS NULL OR share_of_wallet < getvariable('share_high'))
                   THEN 'development'
               WHEN loyalty IN ('none', 'lost', 'opportunistic') AND high_potential
                   THEN 'prospecting'
               ELSE 'support'
           END AS plan
    FROM (SELECT *, dense_rank() OVER (PARTITION BY anchor ORDER BY revenue DESC) AS revenue_rank FROM classified)
),
-- as_of's rows beside the previous window's
compared AS (
    SELECT n.*,
           p.revenue AS revenue_prev, p.units AS units_prev, p.orders AS orders_prev,
           p.active_months AS active_months_prev, p.loyalty AS loyalty_prev, p.plan AS plan_prev,
           CASE WHEN p.revenue > 0 THEN (n.revenue - p.revenue)::DOUBLE / p.revenue::DOUBLE END AS growth
    FROM planned n
    JOIN planned p ON p.partner_id = n.partner_id AND p.anchor = 1
    WHERE n.anchor = 0
),
scored AS (
    SELECT *,
           round(100 * (
                 getvariable('w_revenue') * percent_rank() OVER (ORDER BY revenue)
               + getvariable('w_loyalty') * CASE loyalty WHEN 'loyal' THEN 1.0 WHEN 'new' THEN 0.6
                                                         WHEN 'occasional' THEN 0.5 WHEN 'opportunistic' THEN 0.4
                                                         WHEN 'lost' THEN 0.1 ELSE 0.0 END
               + getvariable('w_growth') * CASE WHEN growth IS NOT NULL THEN (least(greatest(growth, -1.0), 1.0) + 1) / 2
                                                WHEN revenue > 0 THEN 1.0
                                                ELSE 0.0 END
               + getvariable('w_regularity') * coalesce(greatest(0.0, 1 - regularity_cv / sqrt(getvariable('window_months') - 1)), 0.0)
               + getvariable('w_share') * least(coalesce(share_of_wallet, 0.0) / getvariable('share_high'), 1.0)
               + getvariable('w_potential') * CASE WHEN potential IS NOT NULL
                                                   THEN percent_rank() OVER (PARTITION BY potential IS NULL ORDER BY potential)
                                                   ELSE 0.0 END
           ) / (getvariable('w_revenue') + getvariable('w_loyalty') + getvariable('w_growth')
                + getvariable('w_regularity') + getvariable('w_share') + getvariable('w_potential')),
           1) AS score
    FROM compared
)
SELECT getvariable('as_of'), partner_id, revenue, units, active_months,
       first_purchase, last_purchase, loyalty, potential, share_of_wallet, score, plan,
       getvariable('window_months'), orders, regularity_cv,
       getvariable('as_of') - last_purchase,
       (SELECT day FROM anchors WHERE anchor = 1), revenue_prev, units_prev, orders_prev,
       active_months_prev, growth, loyalty_prev, plan_prev,
       potential_estimated, high_potential, rank() OVER (ORDER BY score DESC)
FROM scored;
