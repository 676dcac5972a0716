-- feed_last_file: when a feed last sent a new file (a duplicate is not new), and since
-- when salesout runs, for the missing-feed alert.
-- Reads: files, runs. Writes: nothing.
-- Parameters: 1 feed (the feed's name in the config).
-- Columns: received_at of the feed's last new file and its name (NULL when none ever
-- came); the started_at of the first run.
SELECT max(received_at), arg_max(name, received_at),
       (SELECT min(started_at) FROM runs)
FROM files WHERE feed = ? AND status <> 'duplicate'
