package main

import (
	"strings"
	"testing"
)

// TestRunFeeds runs a shard of the feeds (salesout run --feeds): only their files are
// fetched and loaded; the next full run takes the others; an unknown feed is a usage
// error that changes nothing.
func TestRunFeeds(t *testing.T) {
	dir := workspace(t)
	if r := salesout(t, dir, "run", "--config", "config.yaml", "--feeds", "fr,nope", "--as-of", asOf); r.code != 2 || !strings.Contains(r.stderr, `no feed named "nope"`) {
		t.Fatalf("unknown feed: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	mustRun(t, dir, "run", "--config", "config.yaml", "--feeds", "fr,tab", "--as-of", asOf)
	db := openPublished(t, dir)
	expectRows(t, db, `SELECT feed, count(*) FROM files GROUP BY feed ORDER BY feed`, "fr|3", "tab|1")
	db.Close()

	mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", asOf)
	db = openPublished(t, dir)
	expectRows(t, db, `SELECT feed, count(*) FROM files GROUP BY feed ORDER BY feed`, "be|2", "fr|3", "l15|1", "tab|1")
}
