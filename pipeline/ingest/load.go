package ingest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/formats"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// LoadResult counts what the load step did.
type LoadResult struct {
	Files       int   // files loaded
	Failed      int   // files that could not be read at all
	Lines       int64 // lines loaded
	Quarantined int64 // lines quarantined
	Superseded  int64 // earlier lines replaced by restatements
}

// FileError is a problem that makes a whole file unreadable (binary content, a header
// without the mapped columns, an unknown format). The file is recorded failed; the run
// goes on.
type FileError = formats.FileError

type pendingFile struct {
	ID          int64
	Feed        string
	Name        string
	LandingPath string
	Size        int64
}

// Load reads every pending file (and every failed file whose feed settings changed
// since it failed) into lines and quarantine, one transaction per file: a crash leaves
// each file either wholly loaded or still pending.
func (in *Ingest) Load(ctx context.Context, conn *sql.Conn, runID int64) (LoadResult, error) {
	var res LoadResult
	feeds := map[string]config.Feed{}
	prints := map[string]string{}
	for _, f := range in.Feeds {
		feeds[f.Name] = f
		prints[f.Name] = in.Fingerprint(f)
	}
	rows, err := conn.QueryContext(ctx, warehouse.Statement("ingest/files_to_load.sql"))
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
	bar := in.progress("load", total)
	defer bar.Done()
	var done int64
	for _, p := range todo {
		fr, err := in.loadFile(ctx, conn, runID, p, feeds[p.Feed], prints[p.Feed], func(n int64) { bar.Set(done + n) })
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
	reason                         string
	lines, quarantined, superseded int64
}

func (in *Ingest) loadFile(ctx context.Context, conn *sql.Conn, runID int64, p pendingFile, feed config.Feed, print string, progress func(int64)) (fileResult, error) {
	log := zerolog.Ctx(ctx).With().Str("feed", feed.Name).Str("file", p.Name).Int64("file_id", p.ID).Logger()
	start := time.Now()
	path := in.Landing.Path(p.LandingPath)
	if _, err := os.Stat(path); err != nil {
		return fileResult{}, fmt.Errorf("load %s: landing copy missing: %w", p.Name, err)
	}
	var res fileResult
	var fileErr *FileError
	if err := registerStagedLines(conn); err != nil {
		return fileResult{}, fmt.Errorf("load %s: %w", p.Name, err)
	}
	err := conn.Raw(func(dc any) error {
		tx := rawTx{ctx: ctx, dc: dc.(driver.Conn)}
		for _, q := range stageDDL {
			if _, err := tx.exec(q); err != nil {
				return fmt.Errorf("create staging tables: %w", err)
			}
		}
		if err := emptyStage(tx); err != nil {
			return err
		}

		var err error
		res, err = in.stageAndNormalise(tx, runID, p, feed, print, path, progress)
		if errors.As(err, &fileErr) {
			// Nothing of the file is kept but the reason.
			res = fileResult{failed: true, reason: fileErr.Reason}
			if _, err := tx.exec("BEGIN TRANSACTION"); err != nil {
				return err
			}
			if err := in.recordFile(tx, runID, p, print, "failed", fileErr.Reason, res); err != nil {
				tx.exec("ROLLBACK")
				return err
			}
			_, err := tx.exec("COMMIT")
			return err
		}
		return err
	})
	if err != nil {
		return fileResult{}, fmt.Errorf("load %s: %w", p.Name, err)
	}
	status := "loaded"
	ev := log.Info()
	if res.failed {
		status = "failed"
		ev = log.Error().Str("reason", res.reason)
	}
	ev.Int64("lines", res.lines).Int64("quarantined", res.quarantined).
		Int64("superseded", res.superseded).Dur("took", time.Since(start)).Msg("file " + status)
	return res, nil
}

// stageAndNormalise reads the file batch by batch into lines and quarantine, in one
// transaction committed at the end; any error, a FileError included, rolls it back.
func (in *Ingest) stageAndNormalise(tx rawTx, runID int64, p pendingFile, feed config.Feed, print, path string, progress func(int64)) (res fileResult, err error) {
	if _, err := tx.exec("BEGIN TRANSACTION"); err != nil {
		return res, err
	}
	committed := false
	defer func() {
		if !committed {
			// Roll back even when ctx was cancelled: a cancelled statement must not
			// leave the transaction open for the next statement to commit.
			cleanup := rawTx{ctx: context.WithoutCancel(tx.ctx), dc: tx.dc}
			cleanup.exec("ROLLBACK")
			emptyStage(cleanup)
		}
	}()
	for _, q := range []string{"DELETE FROM quarantine WHERE file_id = ?", "DELETE FROM lines WHERE file_id = ?"} {
		if _, err := tx.exec(q, p.ID); err != nil {
			return res, err
		}
	}
	format, ok := formats.Lookup(feed.Format)
	if !ok {
		return res, &FileError{Reason: fmt.Sprintf("format %q is not supported by this version of salesout", feed.Format)}
	}
	settings := formatSettings(feed)
	settings.Name = p.Name
	var fields []string // the fields the file's lines can have; nil: any
	if format.Tabular {
		fields = slices.Concat(slices.Collect(maps.Keys(feed.Columns)), slices.Collect(maps.Keys(feed.Defaults)))
	}
	target := lineTarget{fileID: p.ID, runID: runID, distributor: feed.Distributor}
	stager, err := newStager(tx, target, in.BatchLines, format.Variables(settings), in.BaseCurrency, fields, !format.Tabular, func() error {
		if in.AfterBatch != nil {
			in.AfterBatch()
		}
		return tx.ctx.Err()
	})
	if err != nil {
		return res, err
	}
	stager.dates = in.dateWindow()
	reports, err := format.Stage(tx.ctx, path, settings, stager, progress)
	if err == nil {
		err = stager.Flush()
	}
	if cerr := stager.close(); err == nil && cerr != nil {
		err = fmt.Errorf("stage: %w", cerr)
	}
	if err != nil {
		return res, err
	}
	if err := tx.scan(`SELECT (SELECT count(*) FROM lines WHERE file_id = ?), (SELECT count(*) FROM quarantine WHERE file_id = ?)`,
		[]any{p.ID, p.ID}, &res.lines, &res.quarantined); err != nil {
		return res, err
	}
	status := "loaded"
	if res.lines == 0 && res.quarantined > 0 {
		var first string
		if err := tx.scan(`SELECT reason FROM quarantine WHERE file_id = ? ORDER BY line_no LIMIT 1`, []any{p.ID}, &first); err != nil {
			return res, err
		}
		status = "failed"
		res.failed = true
		res.reason = fmt.Sprintf("none of its %d lines could be loaded (check the feed's settings); first reason: %s", res.quarantined, first)
	}
	if feed.Mode == "replace_period" && res.lines > 0 {
		if res.superseded, err = warehouse.RunScript(tx.ctx, tx, "ingest/replace_period.sql",
			warehouse.Vars{"file_id": p.ID, "run_id": runID, "distributor": feed.Distributor}); err != nil {
			return res, fmt.Errorf("replace period: %w", err)
		}
	}
	n, err := in.restateReports(tx, runID, p, feed.Distributor, reports)
	if err != nil {
		return res, err
	}
	res.superseded += n
	if err := in.recordFile(tx, runID, p, print, status, res.reason, res); err != nil {
		return res, err
	}
	if _, err := tx.exec("COMMIT"); err != nil {
		return res, fmt.Errorf("commit: %w", err)
	}
	committed = true
	return res, nil
}

// formatSettings are what feed says about reading its files, as formats reads them.
func formatSettings(feed config.Feed) formats.Settings {
	s := formats.Settings{
		CSV: formats.CSVSettings{
			CSVDialect: formats.CSVDialect{Encoding: feed.CSV.Encoding, HeaderRow: feed.CSV.HeaderRow},
			Decimal:    feed.CSV.Decimal, Thousands: feed.CSV.Thousands, DateFormat: feed.CSV.DateFormat,
		},
		XLSX: formats.XLSXSettings{
			XLSXOptions: formats.XLSXOptions{Sheet: feed.XLSX.Sheet, HeaderRow: feed.XLSX.HeaderRow},
			Decimal:     feed.XLSX.Decimal, DateFormat: feed.XLSX.DateFormat,
		},
		Columns:  feed.Columns,
		Defaults: feed.Defaults,
	}
	if feed.CSV.Delimiter != "" {
		s.CSV.Delimiter = feed.CSV.DelimiterRune()
	}
	if feed.CSV.Quote != "" {
		s.CSV.Quote = []rune(feed.CSV.Quote)[0]
	}
	return s
}

// restateReports applies the EDI reports' purposes: a replacement restates its period
// for the distributor, a cancellation removes the earlier lines of its report. A report
// with a structural error (its lines quarantined) changes nothing.
func (in *Ingest) restateReports(tx rawTx, runID int64, p pendingFile, distributor string, reports []formats.Report) (int64, error) {
	var total int64
	for _, rep := range reports {
		if rep.Err != "" || (rep.Purpose != formats.PurposeReplace && rep.Purpose != formats.PurposeCancel) {
			continue
		}
		start, end := any(nil), any(nil)
		if !rep.PeriodStart.IsZero() && !rep.PeriodEnd.IsZero() {
			start, end = rep.PeriodStart.Format(time.DateOnly), rep.PeriodEnd.Format(time.DateOnly)
		} else if rep.Purpose == formats.PurposeReplace {
			var from, to string
			if err := tx.scan(`SELECT min(invoice_date)::VARCHAR, max(invoice_date)::VARCHAR FROM lines WHERE file_id = ? AND report_id = ?`,
				[]any{p.ID, rep.ID}, &from, &to); err != nil {
				return total, err
			}
			if from == "" {
				continue // a replacement without a period and without lines restates nothing
			}
			start, end = from, to
		}
		n, err := warehouse.RunScript(tx.ctx, tx, "ingest/restate_report.sql", warehouse.Vars{
			"file_id": p.ID, "run_id": runID, "distributor": distributor, "purpose": rep.Purpose,
			"report_id":    warehouse.Typed{Value: rep.ID, Type: "VARCHAR"},
			"period_start": warehouse.Typed{Value: start, Type: "DATE"}, "period_end": warehouse.Typed{Value: end, Type: "DATE"},
		})
		if err != nil {
			return total, fmt.Errorf("%s report %s: %w", rep.Purpose, rep.ID, err)
		}
		total += n
	}
	return total, nil
}

// recordFile sets a file's ledger row after its load and appends the load to the
// ledger's history (file_loads); a failed file with no line quarantined gets one
// file-level quarantine row with the reason.
func (in *Ingest) recordFile(tx rawTx, runID int64, p pendingFile, print, status, reason string, res fileResult) error {
	if in.beforeRecord != nil {
		if err := in.beforeRecord(tx, runID, p, status); err != nil {
			return err
		}
	}
	if status == "failed" && res.quarantined == 0 {
		if _, err := tx.exec(`DELETE FROM quarantine WHERE file_id = ?`, p.ID); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO quarantine (file_id, line_no, field, reason, raw, run_id) VALUES (?, NULL, NULL, ?, NULL, ?)`, p.ID, reason, runID); err != nil {
			return err
		}
	}
	var why any
	if reason != "" {
		why = reason
	}
	_, err := tx.exec(warehouse.Statement("ingest/record_load.sql"),
		status, why, print, res.lines, res.quarantined, p.ID, p.ID, in.now(), runID, p.ID)
	if err != nil {
		return fmt.Errorf("record status: %w", err)
	}
	if _, err := tx.exec(warehouse.Statement("ingest/record_file_load.sql"), p.ID); err != nil {
		return fmt.Errorf("record load history: %w", err)
	}
	return nil
}

// Fingerprint identifies the settings that change how a feed's files are read into
// lines: the distributor, format, dialect, column mapping, defaults, mode and the base
// currency. A failed file is retried when they change; scheduling fields (name, source,
// match, expected_every) are not part of it.
func (in *Ingest) Fingerprint(f config.Feed) string {
	b, _ := json.Marshal(struct {
		Distributor, Format, Mode string
		CSV                       config.CSV
		XLSX                      config.XLSX
		Columns, Defaults         map[string]string
		Base                      string
	}{f.Distributor, f.Format, f.Mode, f.CSV, f.XLSX, f.Columns, f.Defaults, in.BaseCurrency})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
