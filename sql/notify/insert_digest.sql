-- insert_digest: records a digest, whole message included, before anything is written or
-- sent (pipeline/notify/deliver.go).
-- Reads: nothing. Writes: alert_digests (one row, status pending).
-- Parameters: 1 digest_id, 2 run_id, 3 recipient, 4 alert_ids (a list literal: '[1, 2]'), 5 subject,
-- 6 message_id, 7 outbox_file, 8 message (the encoded e-mail), 9 created_at.
INSERT INTO alert_digests (digest_id, run_id, recipient, alert_ids, subject, message_id, outbox_file, message, status, created_at)
VALUES (?, ?, ?, (?::VARCHAR)::BIGINT[], ?, ?, ?, ?, 'pending', ?)
