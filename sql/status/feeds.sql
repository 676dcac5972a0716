-- feeds: per feed, its newest new file (a duplicate is not new: the same rule as the
-- missing-feed alert, notify/feed_last_file.sql; of files received together, the last
-- fetched) and its files and lines since a time.
-- Reads: files. Writes: nothing.
-- Parameters: 1 since (a timestamp: start of the recent window), 2 since, 3 since, 4 since.
-- Columns: feed, distributor, newest file name and received_at, files received since,
-- files failed since, lines loaded since, lines quarantined since.
SELECT feed,
       any_value(distributor),
       arg_max(name, (received_at, file_id)) FILTER (WHERE status <> 'duplicate'),
       max(received_at) FILTER (WHERE status <> 'duplicate'),
       count(*) FILTER (WHERE received_at >= ?),
       count(*) FILTER (WHERE received_at >= ? AND status = 'failed'),
       coalesce(sum(lines_loaded) FILTER (WHERE received_at >= ?), 0)::BIGINT,
       coalesce(sum(lines_quarantined) FILTER (WHERE received_at >= ?), 0)::BIGINT
FROM files
GROUP BY feed
ORDER BY feed
