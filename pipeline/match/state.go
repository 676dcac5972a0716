package match

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/warehouse"
)

// plan is what a match run reads: the lines changed since the last run whose match step
// completed (match_state), unless something makes every line count.
type plan struct {
	since     int64  // lines with changed_run after it (or unknown) changed; -1: every line
	products  bool   // products changed: every line's product is resolved again (those it changes count as changed)
	channelDB bool   // the channel database changed: every spelling is scored again
	full      string // why the spellings' figures are computed from every line; "" when not (yet)
}

// fullShare is the share of changed lines above which the spellings' figures are
// computed from every line (an exchange-rate change converts every line again): one
// pass is then cheaper than reading the changed lines and then every line of their
// spellings.
const fullShare = 2 // more than 1/fullShare of the lines

// references are the fingerprints (reference_loads) of the reference sets matching reads.
type references struct{ products, channelDB sql.NullString }

func readReferences(ctx context.Context, tx *sql.Tx) (references, error) {
	var r references
	err := tx.QueryRowContext(ctx, `SELECT (SELECT min(sha256) FROM reference_loads WHERE name = 'products'),
		(SELECT min(sha256) FROM reference_loads WHERE name = 'channel_db')`).Scan(&r.products, &r.channelDB)
	if err != nil {
		return r, fmt.Errorf("read the reference fingerprints: %w", err)
	}
	return r, nil
}

// planRun reads match_state and decides what this run reads. The reference sets count as
// changed when this run loaded new ones (changed) or when they differ from those the last
// match matched against (a run that loaded them may have failed before its match).
func planRun(ctx context.Context, tx *sql.Tx, s Settings, changed Changed) (plan, error) {
	p := plan{since: -1, products: changed.Products, channelDB: changed.ChannelDB}
	var last int64
	var prev references
	err := tx.QueryRowContext(ctx, `SELECT run_id, products_sha256, channel_db_sha256 FROM match_state`).Scan(&last, &prev.products, &prev.channelDB)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		p.full = "no earlier match"
	case err != nil:
		return p, fmt.Errorf("read the last match: %w", err)
	default:
		cur, err := readReferences(ctx, tx)
		if err != nil {
			return p, err
		}
		p.products = p.products || cur.products != prev.products
		p.channelDB = p.channelDB || cur.channelDB != prev.channelDB
		switch {
		case s.everyLine:
			p.full, p.products = "asked", true
		case s.RunID <= last:
			p.full = fmt.Sprintf("run %d is not after the last match's run %d", s.RunID, last)
		default:
			p.since = last
		}
	}
	return p, nil
}

// writeState records this run as the last whose match step completed, with the
// reference sets it matched against; it commits with the results.
func writeState(ctx context.Context, tx *sql.Tx, s Settings) error {
	cur, err := readReferences(ctx, tx)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM match_state`); err != nil {
		return fmt.Errorf("record the match: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO match_state VALUES (?, ?, ?, ?)`, s.RunID, cur.products, cur.channelDB, s.Now); err != nil {
		return fmt.Errorf("record the match: %w", err)
	}
	return nil
}

// refreshSpellings brings match_spellings and match_spelling_values up to date with the
// lines: from the lines changed since p.since when it can, else from every line (and
// says why in p.full). A file loaded before p.since and read again after it may have lost
// lines, which nothing else records: that makes a full pass. So do many changed lines,
// and a total that does not add up afterwards (lines deleted some other way).
func refreshSpellings(ctx context.Context, tx *sql.Tx, p *plan) (err error) {
	defer func() {
		// The work tables can hold a night's lines: not kept on the connection.
		if _, derr := tx.ExecContext(ctx, `DROP TABLE IF EXISTS match_changed_lines; DROP TABLE IF EXISTS match_new_files;
			DROP TABLE IF EXISTS match_restated; DROP TABLE IF EXISTS match_tuples; DROP TABLE IF EXISTS match_touched;
			DROP TABLE IF EXISTS match_folded; DROP TABLE IF EXISTS match_folded_values`); derr != nil && err == nil {
			err = fmt.Errorf("reseller spellings: drop the work tables: %w", derr)
		}
	}()
	var total, changed int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE changed_run > ? OR changed_run IS NULL) FROM lines`, p.since).
		Scan(&total, &changed); err != nil {
		return fmt.Errorf("count the changed lines: %w", err)
	}
	if p.full == "" {
		var reloaded int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM file_loads f WHERE f.run_id > ? AND EXISTS (
			SELECT 1 FROM file_loads g WHERE g.file_id = f.file_id AND g.lines_loaded > 0 AND (g.run_id IS NULL OR g.run_id <= ?))`,
			p.since, p.since).Scan(&reloaded); err != nil {
			return fmt.Errorf("find the files read again: %w", err)
		}
		switch {
		case reloaded > 0:
			p.full = "files loaded before were read again"
		case changed*fullShare > total:
			p.full = "most lines changed"
		}
	}
	log := zerolog.Ctx(ctx)
	if p.full == "" {
		if _, err := warehouse.RunScript(ctx, tx, "match/spellings_changed.sql", warehouse.Vars{"since": p.since}); err != nil {
			return fmt.Errorf("reseller spellings: %w", err)
		}
		if _, err := warehouse.RunScript(ctx, tx, "match/spellings_fold.sql", nil); err != nil {
			return fmt.Errorf("reseller spellings: %w", err)
		}
		var counted int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(lines_all), 0) FROM match_spellings`).Scan(&counted); err != nil {
			return fmt.Errorf("reseller spellings: %w", err)
		}
		if counted == total {
			var touched, restated int64
			if err := tx.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE restated) FROM match_touched`).Scan(&touched, &restated); err != nil {
				return fmt.Errorf("reseller spellings: %w", err)
			}
			log.Info().Int64("since_run", p.since).Int64("lines_changed", changed).Int64("spellings", touched).
				Int64("spellings_restated", restated).Msg("reseller spellings updated from the changed lines")
			return nil
		}
		log.Warn().Int64("lines", total).Int64("lines_counted", counted).
			Msg("the reseller spellings' line counts do not add up (lines deleted outside a reload?): computing them from every line")
		p.full = "counts did not add up"
	}
	for _, f := range []string{"match/spellings_all.sql", "match/spellings_fold.sql"} {
		if _, err := warehouse.RunScript(ctx, tx, f, nil); err != nil {
			return fmt.Errorf("reseller spellings: %w", err)
		}
	}
	log.Info().Str("why", p.full).Int64("lines", total).Msg("reseller spellings computed from every line")
	return nil
}
