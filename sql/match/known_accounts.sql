-- known_accounts: the partner earlier runs learned for a distributor's account number
-- (reseller_id): every spelling of the account that a key or an analyst matched
-- (override, registration, vat, siren) found that same partner.
-- Reads: partner_matches. Writes: nothing.
-- Parameters: none.
-- Columns: distributor, reseller_id, partner_id.
SELECT distributor, reseller_id, min(partner_id)
FROM partner_matches
WHERE reseller_id IS NOT NULL AND partner_id IS NOT NULL
  AND method IN ('override', 'registration', 'vat', 'siren')
GROUP BY distributor, reseller_id
HAVING count(DISTINCT partner_id) = 1
