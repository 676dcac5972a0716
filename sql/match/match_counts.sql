-- match_counts: the run's summary of matching, for the log and the run's result.
-- Reads: resellers (temp table, see resellers.sql), partner_matches, match_review,
-- sales_out. Writes: nothing.
-- Parameters: none.
-- Columns: resellers (spellings), matched (spellings with a partner), review (spellings
-- in the review queue); lines_matched, lines_unmatched (current lines with and without a
-- partner), unknown_products (current lines without a product line), revenue_matched
-- (share 0-1 of current revenue, base currency, with a partner; 0 without revenue).
SELECT (SELECT count(*) FROM resellers),
       (SELECT count(*) FROM partner_matches WHERE partner_id IS NOT NULL),
       (SELECT count(*) FROM match_review),
       count(*) FILTER (WHERE partner_id IS NOT NULL),
       count(*) FILTER (WHERE partner_id IS NULL),
       count(*) FILTER (WHERE product_line IS NULL),
       coalesce(sum(amount_base) FILTER (WHERE partner_id IS NOT NULL) / nullif(sum(amount_base), 0), 0)::DOUBLE
FROM sales_out
