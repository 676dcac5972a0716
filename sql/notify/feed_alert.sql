-- feed_alert: a feed's missing-feed alert, if it has one.
-- Reads: alerts (kind missing_feed). Writes: nothing.
-- Parameters: 1 feed (the feed's name in the config: the alert's scope_id).
-- Columns: alert_id, status, sent_severity (no row when the feed never had an alert).
SELECT alert_id, status, sent_severity FROM alerts
WHERE kind = 'missing_feed' AND scope = 'feed' AND scope_id = ?
