package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// ReloadOptions choose the files a reload reads again.
type ReloadOptions struct {
	Feed  string    // the feed, by its name in the config
	Since time.Time // only the files received on or after this day; all when zero
}

// ReloadResult compares a reload with the loads it replaced.
type ReloadResult struct {
	Feed        string
	Files       int   // files read again and loaded
	Failed      int   // files that failed as a whole with the current settings
	Lines       int64 // lines loaded by the reload
	Quarantined int64 // lines quarantined by the reload
	// LinesBefore and QuarantinedBefore are the same counts for the loads replaced.
	LinesBefore, QuarantinedBefore int64
}

// Reload reads a feed's loaded and failed files again from their landing copies with
// the feed's current settings, oldest first. Each file is replaced in one transaction
// (the unit of Load: its lines and quarantine rows are deleted and read again, its EDI
// restatements applied again); its ledger row says the new load and file_loads keeps
// every load, so the history of which run read it with which settings stays. Lines a
// later restatement had superseded stay superseded. The caller re-matches and re-scores.
func (in *Ingest) Reload(ctx context.Context, conn *sql.Conn, runID int64, opt ReloadOptions) (ReloadResult, error) {
	res := ReloadResult{Feed: opt.Feed}
	feed, err := in.feed(opt.Feed)
	if err != nil {
		return res, err
	}
	print := in.Fingerprint(feed)
	var since any
	if !opt.Since.IsZero() {
		since = opt.Since.Format(time.DateOnly)
	}
	todo, total, err := in.reloadFiles(ctx, conn, feed.Name, since, &res)
	if err != nil {
		return res, err
	}
	// Every landing copy first: a reload stops before changing anything rather than
	// halfway through a feed.
	for _, p := range todo {
		if _, err := os.Stat(in.Landing.Path(p.LandingPath)); err != nil {
			return res, fmt.Errorf("reload %s: file %d (%s): landing copy missing; nothing was reloaded: %w", feed.Name, p.ID, p.Name, err)
		}
	}
	in.beforeRecord = func(tx rawTx, runID int64, p pendingFile, status string) error {
		if status == "failed" {
			// Unreadable as a whole now: none of its earlier lines may stay current.
			_, err := tx.exec(`DELETE FROM lines WHERE file_id = ?`, p.ID)
			return err
		}
		if _, err := tx.exec(warehouse.Statement("ingest/reload_restore_superseded.sql"), runID, p.ID); err != nil {
			return fmt.Errorf("keep superseded lines: %w", err)
		}
		return nil
	}
	defer func() {
		in.beforeRecord = nil
		conn.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS reload_superseded`)
	}()
	bar := in.progress("reload", total)
	defer bar.Done()
	var done int64
	for _, p := range todo {
		if _, err := conn.ExecContext(ctx, warehouse.Statement("ingest/reload_keep_superseded.sql"), p.ID); err != nil {
			return res, fmt.Errorf("reload %s: %w", p.Name, err)
		}
		fr, err := in.loadFile(ctx, conn, runID, p, feed, print, func(n int64) { bar.Set(done + n) })
		done += p.Size
		bar.Set(done)
		if err != nil {
			return res, fmt.Errorf("reload: %w", err)
		}
		if fr.failed {
			res.Failed++
		} else {
			res.Files++
		}
		res.Lines += fr.lines
		res.Quarantined += fr.quarantined
	}
	zerolog.Ctx(ctx).Info().Str("feed", feed.Name).Int("files", res.Files).Int("failed", res.Failed).
		Int64("lines", res.Lines).Int64("lines_before", res.LinesBefore).
		Int64("quarantined", res.Quarantined).Int64("quarantined_before", res.QuarantinedBefore).Msg("feed reloaded")
	return res, nil
}

// feed is the config's feed called name.
func (in *Ingest) feed(name string) (config.Feed, error) {
	names := make([]string, len(in.Feeds))
	for i, f := range in.Feeds {
		if f.Name == name {
			return f, nil
		}
		names[i] = f.Name
	}
	return config.Feed{}, fmt.Errorf("reload: feed %q is not in the config (feeds: %s)", name, strings.Join(names, ", "))
}

// reloadFiles lists the feed's files to read again and adds up their current counts.
func (in *Ingest) reloadFiles(ctx context.Context, conn *sql.Conn, feed string, since any, res *ReloadResult) ([]pendingFile, int64, error) {
	rows, err := conn.QueryContext(ctx, warehouse.Statement("ingest/reload_files.sql"), feed, since, since)
	if err != nil {
		return nil, 0, fmt.Errorf("reload %s: list files: %w", feed, err)
	}
	defer rows.Close()
	var todo []pendingFile
	var total int64
	for rows.Next() {
		var p pendingFile
		var lines, quarantined int64
		if err := rows.Scan(&p.ID, &p.Feed, &p.Name, &p.LandingPath, &p.Size, &lines, &quarantined); err != nil {
			return nil, 0, fmt.Errorf("reload %s: list files: %w", feed, err)
		}
		todo = append(todo, p)
		total += p.Size
		res.LinesBefore += lines
		res.QuarantinedBefore += quarantined
	}
	return todo, total, rows.Err()
}
