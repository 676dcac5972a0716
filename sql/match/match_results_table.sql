-- match_results_table: creates, empty, the temp table of the matcher's decisions for the
-- spellings it scores this run, which apply_matches.sql reads.
-- Reads: nothing. Writes: temp table match_results (created or replaced, empty).
-- Parameters: none.
-- Columns: the spelling's key (distributor, reseller_id, reseller_name,
-- reseller_postcode); the decision (partner_id, method, score, weight, evidence); the
-- runner-up (runner_up_partner_id, runner_up_score); review, review_reason.
CREATE OR REPLACE TEMP TABLE match_results (distributor VARCHAR, reseller_id VARCHAR, reseller_name VARCHAR,
    reseller_postcode VARCHAR, partner_id VARCHAR, method VARCHAR, score DOUBLE, weight DOUBLE,
    runner_up_partner_id VARCHAR, runner_up_score DOUBLE, evidence VARCHAR, review BOOLEAN, review_reason VARCHAR)
