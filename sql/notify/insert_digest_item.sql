-- insert_digest_item: records one alert a digest carries and why.
-- Reads: nothing. Writes: alert_digest_items (one row).
-- Parameters: 1 digest_id, 2 alert_id, 3 notice (new | worse | repeat | resolved),
-- 4 severity, 5 deviation_pct.
INSERT INTO alert_digest_items (digest_id, alert_id, notice, severity, deviation_pct) VALUES (?, ?, ?, ?, ?)
