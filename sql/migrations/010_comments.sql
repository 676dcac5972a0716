-- 010_comments: what every table and column of the analysts' snapshot means, as DuckDB
-- comments (duckdb_tables(), duckdb_views() and duckdb_columns(), column comment), so
-- that an analyst reads it in their own client. This file documents the tables and views
-- of migrations 001 to 008; from 009 on, each migration documents what it creates or adds
-- (COMMENT ON beside its CREATE or ALTER), and a view's file under sql/ documents the view.
--
-- These comments are the one source of the text: the snapshot copies them onto its tables
-- (pipeline/output/snapshot.go), and the README's table reference is generated from them
-- (go test ./pipeline/output -run TestReadmeTables -update). A test fails when a table or
-- column of the snapshot has none. To change a text, write a new migration with the new
-- COMMENT ON: the last one applied is the one analysts see.

-- sales_out (a view over the worker's lines table) ---------------------------------------
COMMENT ON VIEW sales_out IS 'One row per current sales-out line: what a distributor resold, to which reseller, when, for how much. Lines replaced by a restatement (mode replace_period, or an EDI replace or cancel) are not here.';
COMMENT ON COLUMN sales_out.line_id IS 'The line''s id, stable across re-runs: file_id x 2^32 + line_no.';
COMMENT ON COLUMN sales_out.file_id IS 'The file the line came from (files.file_id).';
COMMENT ON COLUMN sales_out.line_no IS 'Its position in that file, from 1: the line (CSV), the row (Excel) or the segment (EDI).';
COMMENT ON COLUMN sales_out.distributor IS 'The distributor''s code, as the config''s feed gives it.';
COMMENT ON COLUMN sales_out.invoice_date IS 'The date of the distributor''s invoice to the reseller.';
COMMENT ON COLUMN sales_out.invoice_number IS 'The distributor''s invoice number, as reported; NULL when not reported.';
COMMENT ON COLUMN sales_out.reseller_id IS 'The distributor''s own account number for the reseller, as reported.';
COMMENT ON COLUMN sales_out.reseller_name IS 'The reseller''s name as the distributor wrote it.';
COMMENT ON COLUMN sales_out.reseller_vat IS 'The reseller''s VAT number, as reported.';
COMMENT ON COLUMN sales_out.reseller_registration IS 'The reseller''s company registration number (SIREN, SIRET, HRB, KvK...), as reported.';
COMMENT ON COLUMN sales_out.reseller_address IS 'The reseller''s street address, as reported.';
COMMENT ON COLUMN sales_out.reseller_postcode IS 'The reseller''s postcode, as reported.';
COMMENT ON COLUMN sales_out.reseller_city IS 'The reseller''s town, as reported.';
COMMENT ON COLUMN sales_out.reseller_country IS 'The reseller''s country, as reported or from the feed''s defaults.';
COMMENT ON COLUMN sales_out.end_customer_name IS 'The end customer the reseller sold to, when the distributor reports one.';
COMMENT ON COLUMN sales_out.end_customer_postcode IS 'The end customer''s postcode, when reported.';
COMMENT ON COLUMN sales_out.end_customer_country IS 'The end customer''s country, when reported.';
COMMENT ON COLUMN sales_out.sku IS 'The manufacturer''s SKU: as reported, or resolved from the distributor''s SKU (products cross-references) or the GTIN; NULL when unknown (see unknown_products).';
COMMENT ON COLUMN sales_out.distributor_sku IS 'The distributor''s own product code, as reported.';
COMMENT ON COLUMN sales_out.gtin IS 'The product''s GTIN (EAN/UPC barcode), as reported.';
COMMENT ON COLUMN sales_out.product_line IS 'The SKU''s product line in products; NULL for a product products does not know.';
COMMENT ON COLUMN sales_out.quantity IS 'Units sold; negative for a return.';
COMMENT ON COLUMN sales_out.unit_price IS 'Net unit price in the line''s currency; amount / quantity when the file gives no price.';
COMMENT ON COLUMN sales_out.amount IS 'Net amount in the line''s currency; quantity x unit_price when the file gives none; negative for a return.';
COMMENT ON COLUMN sales_out.currency IS 'ISO 4217 code of amount and unit_price (the file''s, the feed''s default, else the base currency).';
COMMENT ON COLUMN sales_out.amount_base IS 'amount in the base currency, at the fx_rates rate of the invoice date or the latest before it; NULL while the currency has no rate.';
COMMENT ON COLUMN sales_out.partner_id IS 'The channel-database partner the reseller was matched to (partner_matches); NULL when unmatched.';
COMMENT ON COLUMN sales_out.report_id IS 'For a line read from EDI (X12 867, EDIFACT SLSRPT): the report it came from (BPT02 / BGM02), which a later replace or cancel names; NULL otherwise.';

-- quarantine ------------------------------------------------------------------------------
COMMENT ON TABLE quarantine IS 'One row per line, or whole file, that could not be loaded, with the reason; the other lines of the file load.';
COMMENT ON COLUMN quarantine.file_id IS 'The file (files.file_id).';
COMMENT ON COLUMN quarantine.line_no IS 'Its position in the file, as sales_out.line_no; NULL when the whole file could not be read.';
COMMENT ON COLUMN quarantine.field IS 'The canonical field at fault (invoice_date, quantity...), when one is.';
COMMENT ON COLUMN quarantine.reason IS 'Why, naming the field and the value (quantity "douze" is not a number).';
COMMENT ON COLUMN quarantine.raw IS 'The line''s raw text (or EDI segment), as received.';
COMMENT ON COLUMN quarantine.run_id IS 'The run that tried to load it (runs.run_id).';

-- files -----------------------------------------------------------------------------------
COMMENT ON TABLE files IS 'One row per file ever seen, per source object and content: the file ledger.';
COMMENT ON COLUMN files.file_id IS 'The file''s id.';
COMMENT ON COLUMN files.feed IS 'The config''s feed the file belongs to.';
COMMENT ON COLUMN files.distributor IS 'The feed''s distributor code.';
COMMENT ON COLUMN files.source IS 'The config''s source it was fetched from.';
COMMENT ON COLUMN files.name IS 'Its name (path inside the source), as listed.';
COMMENT ON COLUMN files.size IS 'Its size in bytes, as listed.';
COMMENT ON COLUMN files.modified_at IS 'Its modification time at the source; NULL when the source gives none.';
COMMENT ON COLUMN files.etag IS 'The object''s version tag (S3 ETag) where the source has one.';
COMMENT ON COLUMN files.sha256 IS 'SHA-256 of its content, hex: the same content under any name is a duplicate.';
COMMENT ON COLUMN files.landing_path IS 'Its content-addressed copy, relative to the landing folder.';
COMMENT ON COLUMN files.status IS 'loaded, duplicate (its content was already received: duplicate_of), failed (reason), or pending between fetch and load.';
COMMENT ON COLUMN files.duplicate_of IS 'For a duplicate: the file_id that holds the same content.';
COMMENT ON COLUMN files.reason IS 'For a failed file: why it could not be read.';
COMMENT ON COLUMN files.feed_fingerprint IS 'Fingerprint of the feed''s settings it was loaded or failed with: a failed file is retried when they change.';
COMMENT ON COLUMN files.lines_loaded IS 'Lines loaded into sales_out.';
COMMENT ON COLUMN files.lines_quarantined IS 'Lines put in quarantine.';
COMMENT ON COLUMN files.period_start IS 'First invoice_date loaded from it.';
COMMENT ON COLUMN files.period_end IS 'Last invoice_date loaded from it.';
COMMENT ON COLUMN files.received_at IS 'When it was fetched into the landing folder.';
COMMENT ON COLUMN files.loaded_at IS 'When it was loaded (or found failed or duplicate).';
COMMENT ON COLUMN files.run_id IS 'The run that loaded it (runs.run_id).';

-- partners --------------------------------------------------------------------------------
COMMENT ON TABLE partners IS 'One row per company of the channel database (reference.channel_db), as loaded at the last run.';
COMMENT ON COLUMN partners.partner_id IS 'The company''s id in the channel database.';
COMMENT ON COLUMN partners.name IS 'Its name.';
COMMENT ON COLUMN partners.registration IS 'Its registration number (SIREN, SIRET, HRB, KvK...).';
COMMENT ON COLUMN partners.vat IS 'Its VAT number.';
COMMENT ON COLUMN partners.address IS 'Its street address.';
COMMENT ON COLUMN partners.postcode IS 'Its postcode.';
COMMENT ON COLUMN partners.city IS 'Its town.';
COMMENT ON COLUMN partners.country IS 'Its country.';
COMMENT ON COLUMN partners.region IS 'Its region.';
COMMENT ON COLUMN partners.territory IS 'The sales territory it belongs to (reps.territory).';
COMMENT ON COLUMN partners.trade IS 'Its trade (electrician, DIY store, IT reseller...).';
COMMENT ON COLUMN partners.size_band IS 'Its size band (staff), as the channel database writes it.';
COMMENT ON COLUMN partners.potential IS 'Its annual purchases in our category, base currency, as the channel database gives it; NULL when unknown (partner_scores estimates one).';
COMMENT ON COLUMN partners.sales_rep IS 'The sales rep in charge of it (reps.sales_rep).';

-- partner_matches -------------------------------------------------------------------------
COMMENT ON TABLE partner_matches IS 'One row per distinct reseller as a distributor reports it (a spelling: distributor, reseller_id, reseller_name, reseller_postcode), and the channel-database partner matching found for it.';
COMMENT ON COLUMN partner_matches.distributor IS 'The distributor''s code.';
COMMENT ON COLUMN partner_matches.reseller_id IS 'The distributor''s account number for the reseller.';
COMMENT ON COLUMN partner_matches.reseller_name IS 'The reseller''s name as the distributor wrote it.';
COMMENT ON COLUMN partner_matches.reseller_postcode IS 'The reseller''s postcode as reported.';
COMMENT ON COLUMN partner_matches.partner_id IS 'The partner it was matched to; NULL when unmatched (then its lines count in no partner, territory or rep).';
COMMENT ON COLUMN partner_matches.method IS 'The cascade step that decided: override, registration, vat, siren, reseller_id, exact_name or probabilistic; NULL when unmatched.';
COMMENT ON COLUMN partner_matches.confidence IS 'Confidence of the match, 0-1 (the score of the chosen partner); NULL when unmatched.';
COMMENT ON COLUMN partner_matches.lines IS 'Current sales_out lines of this spelling.';
COMMENT ON COLUMN partner_matches.matched_at IS 'When this spelling was last decided.';
COMMENT ON COLUMN partner_matches.score IS 'Probability of the best candidate, 0-1 (1 for identifiers and overrides), matched or not.';
COMMENT ON COLUMN partner_matches.weight IS 'Match weight of the best candidate in bits (log2 of the likelihood ratio; see match_weights).';
COMMENT ON COLUMN partner_matches.runner_up_partner_id IS 'The second-best candidate, if any.';
COMMENT ON COLUMN partner_matches.runner_up_score IS 'Its probability, 0-1.';
COMMENT ON COLUMN partner_matches.evidence IS 'Which fields agreed, how, and the weight each brought (name token-set 0.93 (+11.2 bits); postcode 86000 exact (+7.9)...).';
COMMENT ON COLUMN partner_matches.review IS 'true: unmatched or ambiguous, in match_review for an analyst to decide.';
COMMENT ON COLUMN partner_matches.review_reason IS 'Why it needs review (no candidate, below threshold, ambiguous, chain...).';
COMMENT ON COLUMN partner_matches.reseller_city IS 'The reseller''s town as reported.';
COMMENT ON COLUMN partner_matches.reseller_country IS 'The reseller''s country as reported.';

-- match_review ----------------------------------------------------------------------------
COMMENT ON TABLE match_review IS 'One row per reseller spelling an analyst should decide (unmatched, or matched with a small margin), most revenue first, with its three best candidates; rebuilt at each match. Decide with salesout review export / import.';
COMMENT ON COLUMN match_review.rank IS 'Position in the queue: 1 = the most revenue at stake.';
COMMENT ON COLUMN match_review.distributor IS 'The distributor''s code (the spelling, with the next three columns).';
COMMENT ON COLUMN match_review.reseller_id IS 'The distributor''s account number for the reseller.';
COMMENT ON COLUMN match_review.reseller_name IS 'The reseller''s name as the distributor wrote it.';
COMMENT ON COLUMN match_review.reseller_postcode IS 'The reseller''s postcode as reported.';
COMMENT ON COLUMN match_review.reseller_city IS 'The reseller''s town as reported.';
COMMENT ON COLUMN match_review.reseller_country IS 'The reseller''s country as reported.';
COMMENT ON COLUMN match_review.lines IS 'Current sales_out lines of the spelling.';
COMMENT ON COLUMN match_review.revenue IS 'Their revenue, base currency: what is at stake.';
COMMENT ON COLUMN match_review.reason IS 'Why it is to review (partner_matches.review_reason).';
COMMENT ON COLUMN match_review.candidate_1_partner_id IS 'Best candidate: its partner_id.';
COMMENT ON COLUMN match_review.candidate_1_name IS 'Best candidate: its name.';
COMMENT ON COLUMN match_review.candidate_1_town IS 'Best candidate: its postcode and town.';
COMMENT ON COLUMN match_review.candidate_1_score IS 'Best candidate: its probability, 0-1.';
COMMENT ON COLUMN match_review.candidate_1_evidence IS 'Best candidate: which fields agreed and the weight each brought.';
COMMENT ON COLUMN match_review.candidate_2_partner_id IS 'Second candidate: its partner_id.';
COMMENT ON COLUMN match_review.candidate_2_name IS 'Second candidate: its name.';
COMMENT ON COLUMN match_review.candidate_2_town IS 'Second candidate: its postcode and town.';
COMMENT ON COLUMN match_review.candidate_2_score IS 'Second candidate: its probability, 0-1.';
COMMENT ON COLUMN match_review.candidate_2_evidence IS 'Second candidate: which fields agreed and the weight each brought.';
COMMENT ON COLUMN match_review.candidate_3_partner_id IS 'Third candidate: its partner_id.';
COMMENT ON COLUMN match_review.candidate_3_name IS 'Third candidate: its name.';
COMMENT ON COLUMN match_review.candidate_3_town IS 'Third candidate: its postcode and town.';
COMMENT ON COLUMN match_review.candidate_3_score IS 'Third candidate: its probability, 0-1.';
COMMENT ON COLUMN match_review.candidate_3_evidence IS 'Third candidate: which fields agreed and the weight each brought.';

-- match_coverage --------------------------------------------------------------------------
COMMENT ON TABLE match_coverage IS 'One row per distributor and matching method: how many reseller spellings, current lines and how much revenue matching recognised; rebuilt at each match.';
COMMENT ON COLUMN match_coverage.distributor IS 'The distributor''s code.';
COMMENT ON COLUMN match_coverage.method IS 'A cascade step (override, registration, vat, siren, reseller_id, exact_name, probabilistic), or not_a_partner (an analyst said so), review (unmatched, in the review queue), unmatched.';
COMMENT ON COLUMN match_coverage.resellers IS 'Reseller spellings.';
COMMENT ON COLUMN match_coverage.lines IS 'Their current sales_out lines.';
COMMENT ON COLUMN match_coverage.revenue IS 'Their revenue, base currency.';
COMMENT ON COLUMN match_coverage.lines_pct IS 'Share of the distributor''s current lines, percent.';
COMMENT ON COLUMN match_coverage.revenue_pct IS 'Share of the distributor''s revenue, percent.';

-- match_changes ---------------------------------------------------------------------------
COMMENT ON TABLE match_changes IS 'One row per change of a reseller spelling''s partner: from what, to what, when and why (a match never changes silently).';
COMMENT ON COLUMN match_changes.distributor IS 'The distributor''s code (the spelling, with the next three columns).';
COMMENT ON COLUMN match_changes.reseller_id IS 'The distributor''s account number for the reseller.';
COMMENT ON COLUMN match_changes.reseller_name IS 'The reseller''s name as the distributor wrote it.';
COMMENT ON COLUMN match_changes.reseller_postcode IS 'The reseller''s postcode as reported.';
COMMENT ON COLUMN match_changes.from_partner_id IS 'The partner until then.';
COMMENT ON COLUMN match_changes.to_partner_id IS 'The new partner; NULL when no longer matched.';
COMMENT ON COLUMN match_changes.from_method IS 'The method of the earlier decision.';
COMMENT ON COLUMN match_changes.to_method IS 'The method of the new decision; NULL when no longer matched.';
COMMENT ON COLUMN match_changes.changed_at IS 'When it changed.';
COMMENT ON COLUMN match_changes.run_id IS 'The run that changed it (runs.run_id).';
COMMENT ON COLUMN match_changes.why IS 'The new decision''s method and evidence, or why it is no longer matched.';

-- match_weights ---------------------------------------------------------------------------
COMMENT ON TABLE match_weights IS 'One row per comparison level of the probabilistic matching model (Fellegi-Sunter), as the last match learnt it from the data.';
COMMENT ON COLUMN match_weights.comparison IS 'The field compared (name, legal form, postcode, town, street, house number, country).';
COMMENT ON COLUMN match_weights.level IS 'The level of agreement (exact, token set, Jaro-Winkler >= 0.95, else...).';
COMMENT ON COLUMN match_weights.m IS 'How often the level holds among pairs that are the same company (m probability).';
COMMENT ON COLUMN match_weights.u IS 'How often it holds among pairs that are not (u probability).';
COMMENT ON COLUMN match_weights.weight IS 'log2(m / u), in bits: what the level adds to (or takes from) a pair''s match weight.';
COMMENT ON COLUMN match_weights.trained_on IS 'Labelled pairs (joined by a registration or VAT number) at this level: the learnt part of m; 0 when m is the documented prior.';

-- partner_scores --------------------------------------------------------------------------
COMMENT ON TABLE partner_scores IS 'One row per channel-database partner and as_of: behaviour over the window (default 12 months to as_of) and the window before, loyalty class, share of wallet, score and action plan. sql/score/partner_scores.sql gives every rule.';
COMMENT ON COLUMN partner_scores.as_of IS 'The date the row was computed at (--as-of): the end of the window.';
COMMENT ON COLUMN partner_scores.partner_id IS 'The partner (partners.partner_id).';
COMMENT ON COLUMN partner_scores.revenue_12m IS 'Net revenue in the window, base currency (sum of amount_base of its lines, returns included); 0 without lines.';
COMMENT ON COLUMN partner_scores.units_12m IS 'Net units in the window.';
COMMENT ON COLUMN partner_scores.active_months_12m IS 'Calendar months of the window with net revenue > 0.';
COMMENT ON COLUMN partner_scores.first_purchase IS 'First invoice_date of a line with amount > 0, all history up to as_of; NULL: never bought.';
COMMENT ON COLUMN partner_scores.last_purchase IS 'Last invoice_date of a line with amount > 0 up to as_of; NULL: never bought.';
COMMENT ON COLUMN partner_scores.loyalty IS 'Loyalty class, the first rule that applies: none (never bought), lost, new, loyal, opportunistic, occasional.';
COMMENT ON COLUMN partner_scores.potential IS 'Annual purchases in our category, base currency: the channel database''s, else an estimate (potential_estimated).';
COMMENT ON COLUMN partner_scores.share_of_wallet IS 'revenue_12m / potential (0.25 = 25 %); NULL when the potential is unknown or not positive.';
COMMENT ON COLUMN partner_scores.score IS 'Score 0-100 from revenue, loyalty, growth, regularity, share of wallet and potential, weighted by scoring.weights.';
COMMENT ON COLUMN partner_scores.plan IS 'Action plan: retention, development, prospecting or support.';
COMMENT ON COLUMN partner_scores.window_months IS 'Months of the window (the *_12m columns are over it, whatever its length).';
COMMENT ON COLUMN partner_scores.orders_12m IS 'Distinct invoices with a purchase (amount > 0) in the window.';
COMMENT ON COLUMN partner_scores.regularity_cv IS 'Coefficient of variation of the window''s monthly net revenue: 0 = the same every month, 3.32 (for 12 months) = all in one month; NULL without revenue.';
COMMENT ON COLUMN partner_scores.recency_days IS 'Days from last_purchase to as_of; NULL: never bought.';
COMMENT ON COLUMN partner_scores.previous_as_of IS 'End of the previous window: window_months before as_of.';
COMMENT ON COLUMN partner_scores.revenue_prev_12m IS 'Net revenue in the previous window.';
COMMENT ON COLUMN partner_scores.units_prev_12m IS 'Net units in the previous window.';
COMMENT ON COLUMN partner_scores.orders_prev_12m IS 'Orders in the previous window.';
COMMENT ON COLUMN partner_scores.active_months_prev_12m IS 'Active months in the previous window.';
COMMENT ON COLUMN partner_scores.growth IS 'Revenue against the previous window: 0.25 = +25 %; NULL when the previous window''s revenue is not positive.';
COMMENT ON COLUMN partner_scores.loyalty_prev IS 'Loyalty class at previous_as_of, same rules and data.';
COMMENT ON COLUMN partner_scores.plan_prev IS 'Plan at previous_as_of, same rules and data.';
COMMENT ON COLUMN partner_scores.potential_estimated IS 'true: the channel database gives no potential and potential is the median of similar partners (same trade and size band, else trade).';
COMMENT ON COLUMN partner_scores.high_potential IS 'Potential at or above the scoring.high_potential_quantile of partners'' potentials.';
COMMENT ON COLUMN partner_scores.rank IS 'Rank by score at as_of, 1 = highest; ties share a rank.';

-- territory_coverage and trade_coverage ---------------------------------------------------
COMMENT ON TABLE territory_coverage IS 'One row per territory of the channel database and as_of: its partners, how many bought in the window, revenue against potential, and the white spaces (potential of the partners that bought nothing).';
COMMENT ON COLUMN territory_coverage.as_of IS 'The date the row was computed at (--as-of).';
COMMENT ON COLUMN territory_coverage.territory IS 'The territory; (none) for the partners without one.';
COMMENT ON COLUMN territory_coverage.partners IS 'Companies of the channel database in it.';
COMMENT ON COLUMN territory_coverage.active_partners IS 'Of which bought in the window (revenue_12m > 0).';
COMMENT ON COLUMN territory_coverage.coverage_pct IS '100 x active_partners / partners.';
COMMENT ON COLUMN territory_coverage.revenue_12m IS 'Sum of its partners'' revenue_12m.';
COMMENT ON COLUMN territory_coverage.potential IS 'Sum of the potentials the channel database gives (estimates not included).';
COMMENT ON COLUMN territory_coverage.share_of_wallet IS 'revenue_12m / potential; NULL when potential is NULL or 0.';
COMMENT ON COLUMN territory_coverage.white_space_potential IS 'Sum of the channel database''s potentials of the partners that bought nothing in the window.';
COMMENT ON COLUMN territory_coverage.prospecting_partners IS 'Partners whose plan is prospecting.';
COMMENT ON COLUMN territory_coverage.estimated_potential IS 'Sum of the potentials estimated for partners without one (0 when none).';
COMMENT ON COLUMN territory_coverage.white_spaces IS 'High-potential partners (estimates included) that bought nothing in the window: where one more active partner would add most.';

COMMENT ON TABLE trade_coverage IS 'One row per trade of the channel database and as_of: territory_coverage''s measures per trade.';
COMMENT ON COLUMN trade_coverage.as_of IS 'The date the row was computed at (--as-of).';
COMMENT ON COLUMN trade_coverage.trade IS 'The trade; (none) for the partners without one.';
COMMENT ON COLUMN trade_coverage.partners IS 'Companies of the channel database of that trade.';
COMMENT ON COLUMN trade_coverage.active_partners IS 'Of which bought in the window (revenue_12m > 0).';
COMMENT ON COLUMN trade_coverage.coverage_pct IS '100 x active_partners / partners.';
COMMENT ON COLUMN trade_coverage.revenue_12m IS 'Sum of its partners'' revenue_12m.';
COMMENT ON COLUMN trade_coverage.potential IS 'Sum of the potentials the channel database gives (estimates not included).';
COMMENT ON COLUMN trade_coverage.share_of_wallet IS 'revenue_12m / potential; NULL when potential is NULL or 0.';
COMMENT ON COLUMN trade_coverage.white_space_potential IS 'Sum of the channel database''s potentials of the partners that bought nothing in the window.';
COMMENT ON COLUMN trade_coverage.prospecting_partners IS 'Partners whose plan is prospecting.';
COMMENT ON COLUMN trade_coverage.estimated_potential IS 'Sum of the potentials estimated for partners without one (0 when none).';
COMMENT ON COLUMN trade_coverage.white_spaces IS 'High-potential partners (estimates included) that bought nothing in the window.';

-- programme_kpis --------------------------------------------------------------------------
COMMENT ON TABLE programme_kpis IS 'One row per programme KPI and as_of: the action plans'' KPIs of the compuBase method (top partners retained, occasionals become loyal, base renewed, volume of the development top), the window against the previous one.';
COMMENT ON COLUMN programme_kpis.as_of IS 'The date the row was computed at (--as-of).';
COMMENT ON COLUMN programme_kpis.previous_as_of IS 'The end of the previous window, compared with.';
COMMENT ON COLUMN programme_kpis.kpi IS 'top_retained, occasional_to_loyal, base_renewed or development_top_volume.';
COMMENT ON COLUMN programme_kpis.plan IS 'The plan the KPI measures (retention, prospecting, development).';
COMMENT ON COLUMN programme_kpis.partners IS 'The partners the KPI looks at.';
COMMENT ON COLUMN programme_kpis.base IS 'What the KPI is relative to: a count of partners, or a revenue for development_top_volume.';
COMMENT ON COLUMN programme_kpis.value IS 'The count or revenue reached.';
COMMENT ON COLUMN programme_kpis.pct IS 'value against base, percent (for development_top_volume, the growth); NULL when base is 0.';

-- postcode_territories --------------------------------------------------------------------
COMMENT ON TABLE postcode_territories IS 'One row per place (country, postcode as written) of a partner or of an unmatched sales-out line: the territory it belongs to, as the channel database''s partners draw the territories'' areas; rebuilt at each score.';
COMMENT ON COLUMN postcode_territories.country IS 'The country, as written.';
COMMENT ON COLUMN postcode_territories.postcode IS 'The postcode, as written.';
COMMENT ON COLUMN postcode_territories.area IS 'The postcode without spaces, upper case (France: five digits, leading zero restored).';
COMMENT ON COLUMN postcode_territories.departement IS 'France: the departement (first two digits, three overseas); NULL elsewhere.';
COMMENT ON COLUMN postcode_territories.territory IS 'The territory with the most partners in the area, else in the departement; NULL when neither has a partner.';
COMMENT ON COLUMN postcode_territories.placed_by IS 'postcode or departement: which rule placed it; NULL when unplaced.';
COMMENT ON COLUMN postcode_territories.partners IS 'Partners of that territory in the area (or departement).';
COMMENT ON COLUMN postcode_territories.area_partners IS 'Partners of any territory there.';

-- kpi_deviations --------------------------------------------------------------------------
COMMENT ON TABLE kpi_deviations IS 'One row per target (scope, scope_id, kpi) of as_of''s year, period and as_of: the actual against the part of the target due by as_of, with last year and the pace to the year end. sql/score/kpi_deviations.sql gives every rule.';
COMMENT ON COLUMN kpi_deviations.as_of IS 'The date the row was computed at (--as-of).';
COMMENT ON COLUMN kpi_deviations.scope IS 'As in targets: total, territory, sales_rep, partner, product_line or distributor.';
COMMENT ON COLUMN kpi_deviations.scope_id IS 'The territory, rep, partner, product line or distributor; for total, the target''s label (empty when none).';
COMMENT ON COLUMN kpi_deviations.kpi IS 'revenue (base currency) or units.';
COMMENT ON COLUMN kpi_deviations.period IS 'ytd (year to date), qtd (quarter to date) or mtd (month to date), each to as_of included; alerts are raised on ytd only.';
COMMENT ON COLUMN kpi_deviations.actual IS 'Revenue or units of the lines in scope over the period; territory, sales_rep and partner scopes count matched lines only.';
COMMENT ON COLUMN kpi_deviations.target IS 'The part of the annual target due in the period by as_of, by phasing.';
COMMENT ON COLUMN kpi_deviations.annual_target IS 'The annual target (or the sum of the monthly ones).';
COMMENT ON COLUMN kpi_deviations.deviation_pct IS '(actual - target) / target x 100: -60 means 60 % below; NULL when target is 0.';
COMMENT ON COLUMN kpi_deviations.severity IS 'critical (deviation_pct <= -scoring critical_pct, 25), warning (<= -warning_pct, 10), else ok.';
COMMENT ON COLUMN kpi_deviations.period_start IS 'First day of the period.';
COMMENT ON COLUMN kpi_deviations.phasing IS 'How the annual target was spread over the months: monthly (monthly targets given), even, or last_year (last year''s monthly profile of the scope).';
COMMENT ON COLUMN kpi_deviations.last_year_actual IS 'Actual over the same dates one year earlier.';
COMMENT ON COLUMN kpi_deviations.yoy_pct IS '(actual - last_year_actual) / last_year_actual x 100; NULL when last_year_actual <= 0.';
COMMENT ON COLUMN kpi_deviations.projected_year_end IS 'The year''s actual if the rest of the year kept the period''s pace; NULL when target is 0.';
COMMENT ON COLUMN kpi_deviations.unmatched_revenue IS 'Territory rows: revenue of the period''s unmatched lines whose reseller''s postcode is in the territory (postcode_territories): up to that much of its sales was not recognised. NULL for other scopes.';
COMMENT ON COLUMN kpi_deviations.unmatched_units IS 'Territory rows: the units of those lines. NULL for other scopes.';

-- alerts ----------------------------------------------------------------------------------
COMMENT ON TABLE alerts IS 'One row per alert ever raised, per thing it is about: a warning or critical ytd KPI deviation (kind kpi_deviation) or a feed from which no file came (missing_feed).';
COMMENT ON COLUMN alerts.alert_id IS 'The alert''s id.';
COMMENT ON COLUMN alerts.kind IS 'kpi_deviation or missing_feed.';
COMMENT ON COLUMN alerts.scope IS 'The deviation''s scope, or feed.';
COMMENT ON COLUMN alerts.scope_id IS 'The deviation''s scope_id, or the feed''s name.';
COMMENT ON COLUMN alerts.kpi IS 'The deviation''s kpi (revenue, units), or files.';
COMMENT ON COLUMN alerts.period IS 'The deviation''s period (ytd), or latest.';
COMMENT ON COLUMN alerts.severity IS 'warning or critical, as last seen.';
COMMENT ON COLUMN alerts.deviation_pct IS 'The deviation, percent, as last seen; NULL for missing_feed.';
COMMENT ON COLUMN alerts.sent_severity IS 'The severity of the last e-mail.';
COMMENT ON COLUMN alerts.sent_deviation_pct IS 'The deviation of the last e-mail: a new one is sent when it got worse by alerts.worsen_points.';
COMMENT ON COLUMN alerts.first_seen IS 'The as_of it was first raised.';
COMMENT ON COLUMN alerts.last_seen IS 'The last as_of it still held.';
COMMENT ON COLUMN alerts.last_sent IS 'When it was last e-mailed; NULL: never.';
COMMENT ON COLUMN alerts.status IS 'open, or resolved (the deviation is back to ok, or a file came).';
COMMENT ON COLUMN alerts.recipients IS 'Comma-separated addresses of the last e-mail.';
COMMENT ON COLUMN alerts.delivery IS 'sending while its e-mail is being written, sent once written; NULL when nothing is under way.';
COMMENT ON COLUMN alerts.outbox_file IS 'The .eml file of the e-mail under way or last written, in alerts.outbox.';
COMMENT ON COLUMN alerts.pending_severity IS 'The severity the e-mail under way says (becomes sent_severity once written).';
COMMENT ON COLUMN alerts.pending_deviation_pct IS 'The deviation the e-mail under way says.';
COMMENT ON COLUMN alerts.pending_recipients IS 'The addresses of the e-mail under way.';
COMMENT ON COLUMN alerts.pending_at IS 'When the e-mail under way was recorded.';

-- runs ------------------------------------------------------------------------------------
COMMENT ON TABLE runs IS 'One row per run of the pipeline (salesout run, a serve schedule, demo).';
COMMENT ON COLUMN runs.run_id IS 'The run''s id, also in the logs.';
COMMENT ON COLUMN runs.started_at IS 'When it started.';
COMMENT ON COLUMN runs.finished_at IS 'When it ended; NULL while running (or if it was killed).';
COMMENT ON COLUMN runs.status IS 'running, succeeded or failed (error says why).';
COMMENT ON COLUMN runs.as_of IS 'The date it computed scores and deviations at (--as-of, default today in the config''s timezone).';
COMMENT ON COLUMN runs.steps IS 'The steps requested, comma-separated (fetch, load, match, score, export, alert).';
COMMENT ON COLUMN runs.error IS 'Why it failed; NULL otherwise.';

-- reference data --------------------------------------------------------------------------
COMMENT ON TABLE products IS 'One row per product (reference.products), or per cross-reference from a distributor''s own SKU when distributor and distributor_sku are set.';
COMMENT ON COLUMN products.sku IS 'The manufacturer''s SKU.';
COMMENT ON COLUMN products.product_line IS 'Its product line.';
COMMENT ON COLUMN products.gtin IS 'Its GTIN (EAN/UPC barcode).';
COMMENT ON COLUMN products.description IS 'Its description.';
COMMENT ON COLUMN products.distributor IS 'Cross-reference rows: the distributor whose SKU it is.';
COMMENT ON COLUMN products.distributor_sku IS 'Cross-reference rows: that distributor''s own code for the SKU.';

COMMENT ON TABLE fx_rates IS 'One row per currency and date (reference.fx_rates): a line takes the rate of its invoice date, else the latest before it.';
COMMENT ON COLUMN fx_rates.date IS 'The date the rate applies from.';
COMMENT ON COLUMN fx_rates.currency IS 'ISO 4217 code.';
COMMENT ON COLUMN fx_rates.rate IS '1 unit of currency = rate base currency.';

COMMENT ON TABLE targets IS 'One row per target (reference.targets): an annual target, or a month''s when month is set.';
COMMENT ON COLUMN targets.year IS 'The target''s year.';
COMMENT ON COLUMN targets.scope IS 'total, territory, sales_rep, partner, product_line or distributor.';
COMMENT ON COLUMN targets.scope_id IS 'The territory, rep, partner, product line or distributor; for total, a label or empty.';
COMMENT ON COLUMN targets.kpi IS 'revenue (base currency) or units.';
COMMENT ON COLUMN targets.target IS 'The target: for the year, or for the month when month is set.';
COMMENT ON COLUMN targets.month IS '1-12 for a monthly target; NULL for an annual one.';

COMMENT ON TABLE reps IS 'One row per sales rep and territory (reference.reps): a rep who covers several territories has several rows, with the same name and e-mail.';
COMMENT ON COLUMN reps.sales_rep IS 'The rep''s id (partners.sales_rep).';
COMMENT ON COLUMN reps.name IS 'The rep''s name.';
COMMENT ON COLUMN reps.email IS 'The rep''s e-mail address.';
COMMENT ON COLUMN reps.manager_email IS 'The e-mail address of the rep''s manager for this territory.';
COMMENT ON COLUMN reps.territory IS 'A territory the rep covers (partners.territory).';

-- unknown_products (a view) ---------------------------------------------------------------
COMMENT ON VIEW unknown_products IS 'One row per product a distributor reports that products does not know (no SKU, cross-reference or GTIN matched), most revenue first: the list to complete the products reference with.';
COMMENT ON COLUMN unknown_products.distributor IS 'The distributor''s code.';
COMMENT ON COLUMN unknown_products.sku IS 'The SKU as reported.';
COMMENT ON COLUMN unknown_products.distributor_sku IS 'The distributor''s own product code, as reported.';
COMMENT ON COLUMN unknown_products.gtin IS 'The GTIN, as reported.';
COMMENT ON COLUMN unknown_products.lines IS 'Current sales_out lines of it.';
COMMENT ON COLUMN unknown_products.units IS 'Their units.';
COMMENT ON COLUMN unknown_products.revenue_base IS 'Their revenue, base currency: what is at stake.';
COMMENT ON COLUMN unknown_products.first_seen IS 'First invoice_date.';
COMMENT ON COLUMN unknown_products.last_seen IS 'Last invoice_date.';
