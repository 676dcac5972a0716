-- match_partners: resolves each distinct reseller, as each distributor reports it, to a
-- company of the channel database, with exact keys only:
--   registration  the registration number (SIRET/SIREN digits) equals the partner's   1.00
--   vat           the VAT number (letters and digits only, a Swiss MWST/TVA/IVA suffix
--                 dropped) equals the partner's                                       1.00
--   siren         the first 9 digits (SIREN) of a SIRET or of a French VAT number
--                 equal the partner's SIREN, and only one partner has it (else the one
--                 in the same postcode)                                               0.95
--   reseller_id   the distributor's own account number, learned from another line of
--                 the same distributor matched by one of the keys above               0.90
-- Unmatched resellers keep partner_id NULL; their lines stay in sales_out.
-- Reads: lines, partners. Writes: partner_matches (rebuilt), lines.partner_id.

CREATE OR REPLACE TEMP TABLE partner_keys AS
SELECT partner_id, postcode,
       nullif(regexp_replace(coalesce(registration, ''), '[^0-9]', '', 'g'), '') AS reg,
       nullif(regexp_replace(upper(regexp_replace(coalesce(vat, ''), '[^A-Za-z0-9]', '', 'g')), '(MWST|TVA|IVA)$', ''), '') AS vat
FROM partners;

CREATE OR REPLACE TEMP TABLE partner_sirens AS
SELECT siren, partner_id, postcode FROM (
    SELECT left(reg, 9) AS siren, partner_id, postcode FROM partner_keys WHERE length(reg) IN (9, 14)
    UNION
    SELECT substr(vat, 5, 9), partner_id, postcode FROM partner_keys WHERE vat SIMILAR TO 'FR[0-9A-Z]{2}[0-9]{9}'
);

CREATE OR REPLACE TEMP TABLE resellers AS
SELECT distributor, reseller_id, reseller_name, reseller_postcode,
       max(nullif(regexp_replace(coalesce(reseller_registration, ''), '[^0-9]', '', 'g'), '')) AS reg,
       max(nullif(regexp_replace(upper(regexp_replace(coalesce(reseller_vat, ''), '[^A-Za-z0-9]', '', 'g')), '(MWST|TVA|IVA)$', ''), '')) AS vat,
       count(*) AS lines
FROM lines
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE reseller_candidates AS
WITH r AS (
    SELECT *,
           CASE WHEN length(reg) IN (9, 14) THEN left(reg, 9)
                WHEN vat SIMILAR TO 'FR[0-9A-Z]{2}[0-9]{9}' THEN substr(vat, 5, 9) END AS siren
    FROM resellers
),
by_key AS (
    SELECT r.distributor, r.reseller_id, r.reseller_name, r.reseller_postcode, p.partner_id, 'registration' AS method, 1.0 AS confidence, 1 AS priority
    FROM r JOIN partner_keys p ON p.reg = r.reg
    UNION ALL
    SELECT r.distributor, r.reseller_id, r.reseller_name, r.reseller_postcode, p.partner_id, 'vat', 1.0, 2
    FROM r JOIN partner_keys p ON p.vat = r.vat
    UNION ALL
    SELECT distributor, reseller_id, reseller_name, reseller_postcode, partner_id, 'siren', 0.95, 3
    FROM (
        SELECT r.distributor, r.reseller_id, r.reseller_name, r.reseller_postcode, s.partner_id,
               count(*) OVER w AS n,
               count(*) FILTER (WHERE s.postcode = r.reseller_postcode) OVER w AS same_postcode,
               s.postcode = r.reseller_postcode AS here
        FROM r JOIN partner_sirens s ON s.siren = r.siren
        WINDOW w AS (PARTITION BY r.distributor, r.reseller_id, r.reseller_name, r.reseller_postcode)
    )
    WHERE n = 1 OR (same_postcode = 1 AND here)
)
SELECT distributor, reseller_id, reseller_name, reseller_postcode,
       arg_min(partner_id, priority) AS partner_id,
       arg_min(method, priority) AS method,
       arg_min(confidence, priority) AS confidence
FROM by_key
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE learned_ids AS
SELECT distributor, reseller_id, min(partner_id) AS partner_id
FROM reseller_candidates
WHERE reseller_id IS NOT NULL
GROUP BY ALL
HAVING count(DISTINCT partner_id) = 1;

DELETE FROM partner_matches;

INSERT INTO partner_matches (distributor, reseller_id, reseller_name, reseller_postcode,
                             partner_id, method, confidence, lines, matched_at)
SELECT r.distributor, r.reseller_id, r.reseller_name, r.reseller_postcode,
       coalesce(c.partner_id, l.partner_id),
       coalesce(c.method, CASE WHEN l.partner_id IS NOT NULL THEN 'reseller_id' END),
       coalesce(c.confidence, CASE WHEN l.partner_id IS NOT NULL THEN 0.9 END),
       r.lines, now()
FROM resellers r
LEFT JOIN reseller_candidates c
       ON c.distributor = r.distributor
      AND c.reseller_id IS NOT DISTINCT FROM r.reseller_id
      AND c.reseller_name IS NOT DISTINCT FROM r.reseller_name
      AND c.reseller_postcode IS NOT DISTINCT FROM r.reseller_postcode
LEFT JOIN learned_ids l ON l.distributor = r.distributor AND l.reseller_id = r.reseller_id;

UPDATE lines AS x
SET partner_id = m.partner_id
FROM partner_matches m
WHERE m.distributor = x.distributor
  AND m.reseller_id IS NOT DISTINCT FROM x.reseller_id
  AND m.reseller_name IS NOT DISTINCT FROM x.reseller_name
  AND m.reseller_postcode IS NOT DISTINCT FROM x.reseller_postcode
  AND x.partner_id IS DISTINCT FROM m.partner_id;

-- lines whose reseller no longer matches anything lose their partner
UPDATE lines AS x
SET partner_id = NULL
WHERE x.partner_id IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM partner_matches m
    WHERE m.partner_id IS NOT NULL AND m.distributor = x.distributor
      AND m.reseller_id IS NOT DISTINCT FROM x.reseller_id
      AND m.reseller_name IS NOT DISTINCT FROM x.reseller_name
      AND m.reseller_postcode IS NOT DISTINCT FROM x.reseller_postcode);
