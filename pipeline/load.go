package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/config"
	sqlfiles "github.com/salesout/salesout/sql"
)

// LoadResult counts what the load step did.
type LoadResult struct {
	Files       int   // files loaded
	Failed      int   // files that could not be read at all
	Lines       int64 // lines loaded
	Quarantined int64 // lines quarantined
	Superseded  int64 // earlier lines replaced by restatements
}

type pendingFile struct {
	ID          int64
	Feed        string
	Name        string
	LandingPath string
	Size        int64
}

// load reads every pending file (and every failed file whose feed settings changed
// since it failed) into lines and quarantine, one transaction per file: a crash leaves
// each file either wholly loaded or still pending.
func (r *Runner) load(ctx context.Context, conn *sql.Conn, runID int64) (LoadResult, error) {
	var res LoadResult
	feeds := map[string]config.Feed{}
	prints := map[string]string{}
	for _, f := range r.Cfg.Feeds {
		feeds[f.Name] = f
		prints[f.Name] = r.fingerprint(f)
	}
	rows, err := conn.QueryContext(ctx, `
		SELECT file_id, feed, name, landing_path, size, status, coalesce(feed_fingerprint, '')
		FROM files WHERE status IN ('pending', 'failed') ORDER BY file_id`)
	if err != nil {
		return res, fmt.Errorf("list pending files: %w", err)
	}
	var todo []pendingFile
	var total int64
	for rows.Next() {
		var p pendingFile
		var status, print string
		if err := rows.Scan(&p.ID, &p.Feed, &p.Name, &p.LandingPath, &p.Size, &status, &print); err != nil {
			rows.Close()
			return res, err
		}
		_, ok := feeds[p.Feed]
		if !ok || (status == "failed" && print == prints[p.Feed]) {
			continue // feed removed from the config, or failed with the same settings
		}
		todo = append(todo, p)
		total += p.Size
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}
	bar := r.progress("load", total)
	defer bar.Done()
	var done int64
	for _, p := range todo {
		fr, err := r.loadFile(ctx, conn, runID, p, feeds[p.Feed], prints[p.Feed], func(n int64) { bar.Set(done + n) })
		done += p.Size
		bar.Set(done)
		if err != nil {
			return res, err
		}
		if fr.failed {
			res.Failed++
		} else {
			res.Files++
		}
		res.Lines += fr.lines
		res.Quarantined += fr.quarantined
		res.Superseded += fr.superseded
	}
	return res, nil
}

type fileResult struct {
	failed                         bool
	lines, quarantined, superseded int64
}

func (r *Runner) loadFile(ctx context.Context, conn *sql.Conn, runID int64, p pendingFile, feed config.Feed, print string, progress func(int64)) (fileResult, error) {
	log := zerolog.Ctx(ctx).With().Str("feed", feed.Name).Str("file", p.Name).Int64("file_id", p.ID).Logger()
	start := time.Now()
	path := r.Landing.Path(p.LandingPath)
	if _, err := os.Stat(path); err != nil {
		return fileResult{}, fmt.Errorf("load %s: landing copy missing: %w", p.Name, err)
	}
	staged, err := withStager(ctx, conn, func(s *Stager) error {
		switch feed.Format {
		case "csv":
			return stageCSV(ctx, path, feed, s, progress)
		default:
			return fileErrorf("format %q is not supported by this version of salesout", feed.Format)
		}
	})
	stagedIn := time.Since(start)
	var fileErr *FileError
	if err != nil && !errors.As(err, &fileErr) {
		return fileResult{}, fmt.Errorf("load %s: %w", p.Name, err)
	}

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fileResult{}, fmt.Errorf("load %s: %w", p.Name, err)
	}
	defer tx.Rollback()
	var res fileResult
	if _, err := tx.ExecContext(ctx, `DELETE FROM quarantine WHERE file_id = ?`, p.ID); err != nil {
		return res, fmt.Errorf("load %s: %w", p.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM lines WHERE file_id = ?`, p.ID); err != nil {
		return res, fmt.Errorf("load %s: %w", p.Name, err)
	}
	if fileErr == nil {
		res, err = r.normalise(ctx, tx, runID, p, feed)
		if err != nil {
			return res, fmt.Errorf("load %s: %w", p.Name, err)
		}
		if res.lines == 0 && res.quarantined > 0 {
			var first string
			tx.QueryRowContext(ctx, `SELECT reason FROM quarantine WHERE file_id = ? ORDER BY line_no LIMIT 1`, p.ID).Scan(&first)
			fileErr = &FileError{Reason: fmt.Sprintf("none of its %d lines could be loaded (check the feed's settings); first reason: %s", res.quarantined, first)}
		}
	}
	status, reason := "loaded", any(nil)
	if fileErr != nil {
		status, reason = "failed", fileErr.Reason
		res.failed = true
		if res.quarantined == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO quarantine (file_id, line_no, field, reason, raw, run_id) VALUES (?, NULL, NULL, ?, NULL, ?)`, p.ID, fileErr.Reason, runID); err != nil {
				return res, fmt.Errorf("load %s: %w", p.Name, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE files SET status = ?, reason = ?, feed_fingerprint = ?, lines_loaded = ?, lines_quarantined = ?,
		       period_start = (SELECT min(invoice_date) FROM lines WHERE file_id = ?),
		       period_end = (SELECT max(invoice_date) FROM lines WHERE file_id = ?),
		       loaded_at = ?, run_id = ?
		WHERE file_id = ?`,
		status, reason, print, res.lines, res.quarantined, p.ID, p.ID, r.now(), runID, p.ID); err != nil {
		return res, fmt.Errorf("load %s: record status: %w", p.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("load %s: commit: %w", p.Name, err)
	}
	ev := log.Info()
	if fileErr != nil {
		ev = log.Error().Str("reason", fileErr.Reason)
	}
	ev.Int64("staged", staged).Int64("lines", res.lines).Int64("quarantined", res.quarantined).
		Int64("superseded", res.superseded).Dur("staged_in", stagedIn).Dur("took", time.Since(start)).Msg("file " + status)
	return res, nil
}

// normalise types the staged lines of one file (sql/normalise_lines.sql) and applies
// the feed's mode.
func (r *Runner) normalise(ctx context.Context, tx *sql.Tx, runID int64, p pendingFile, feed config.Feed) (fileResult, error) {
	var res fileResult
	strip := feed.CSV.Thousands
	if strip == " " {
		strip += "\u00a0\u202f" // French files use no-break spaces as often as spaces
	}
	vars := []struct {
		name string
		val  any
	}{
		{"file_id", p.ID}, {"run_id", runID}, {"distributor", feed.Distributor},
		{"date_format", feed.CSV.DateFormat}, {"decimal_sep", feed.CSV.Decimal},
		{"strip_chars", strip}, {"base_currency", r.Cfg.BaseCurrency},
	}
	for _, v := range vars {
		if _, err := tx.ExecContext(ctx, "SET VARIABLE "+v.name+" = ?", v.val); err != nil {
			return res, fmt.Errorf("set %s: %w", v.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, sqlfiles.Read("normalise_lines.sql")); err != nil {
		return res, fmt.Errorf("normalise: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM lines WHERE file_id = ?), (SELECT count(*) FROM quarantine WHERE file_id = ?)`, p.ID, p.ID).Scan(&res.lines, &res.quarantined); err != nil {
		return res, err
	}
	if feed.Mode == "replace_period" && res.lines > 0 {
		out, err := tx.ExecContext(ctx, sqlfiles.Read("replace_period.sql"))
		if err != nil {
			return res, fmt.Errorf("replace period: %w", err)
		}
		res.superseded, _ = out.RowsAffected()
	}
	return res, nil
}

// fingerprint identifies the settings a feed's files are read with: a failed file is
// retried when they change.
func (r *Runner) fingerprint(f config.Feed) string {
	b, _ := json.Marshal(struct {
		F    config.Feed
		Base string
	}{f, r.Cfg.BaseCurrency})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
