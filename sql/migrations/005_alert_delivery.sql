-- 005_alert_delivery: an e-mail is recorded before it is written and after, so that a
-- crash between the two neither sends an alert twice nor loses it.
--   delivery  NULL (nothing under way) | sending (the e-mail below is being written) | sent
--   pending_* what the e-mail under way says: they become sent_* once it is written
ALTER TABLE alerts ADD COLUMN delivery VARCHAR;
ALTER TABLE alerts ADD COLUMN outbox_file VARCHAR;
ALTER TABLE alerts ADD COLUMN pending_severity VARCHAR;
ALTER TABLE alerts ADD COLUMN pending_deviation_pct DOUBLE;
ALTER TABLE alerts ADD COLUMN pending_recipients VARCHAR;
ALTER TABLE alerts ADD COLUMN pending_at TIMESTAMPTZ;
