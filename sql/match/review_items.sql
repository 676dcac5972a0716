-- review_items: the review queue as `salesout review export` writes it, most revenue
-- first, with each candidate's name, postcode and city ('' or 0 for a missing field).
-- Reads: match_review, partners (of the published snapshot). Writes: nothing.
-- Parameters: none.
-- Columns: distributor, reseller_id, reseller_name, reseller_postcode, reseller_city,
-- reseller_country, lines, revenue (text: as exact as stored), reason; then for each of
-- the three candidates: partner_id, name, postcode, city, score, evidence.
SELECT r.distributor, coalesce(r.reseller_id, ''), coalesce(r.reseller_name, ''), coalesce(r.reseller_postcode, ''),
       coalesce(r.reseller_city, ''), coalesce(r.reseller_country, ''), r.lines, coalesce(r.revenue::VARCHAR, ''),
       coalesce(r.reason, ''),
       coalesce(r.candidate_1_partner_id, ''), coalesce(p1.name, ''), coalesce(p1.postcode, ''), coalesce(p1.city, ''),
       coalesce(r.candidate_1_score, 0), coalesce(r.candidate_1_evidence, ''),
       coalesce(r.candidate_2_partner_id, ''), coalesce(p2.name, ''), coalesce(p2.postcode, ''), coalesce(p2.city, ''),
       coalesce(r.candidate_2_score, 0), coalesce(r.candidate_2_evidence, ''),
       coalesce(r.candidate_3_partner_id, ''), coalesce(p3.name, ''), coalesce(p3.postcode, ''), coalesce(p3.city, ''),
       coalesce(r.candidate_3_score, 0), coalesce(r.candidate_3_evidence, '')
FROM match_review r
LEFT JOIN partners p1 ON p1.partner_id = r.candidate_1_partner_id
LEFT JOIN partners p2 ON p2.partner_id = r.candidate_2_partner_id
LEFT JOIN partners p3 ON p3.partner_id = r.candidate_3_partner_id
ORDER BY r.rank
