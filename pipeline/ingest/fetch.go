package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/connectors"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// FetchResult counts what the fetch step did.
type FetchResult struct {
	New          int // files copied to landing, waiting to be loaded
	Duplicates   int // files whose content was already known
	SourceErrors int // sources that could not be listed
	FileErrors   int // files that could not be downloaded (tried again next run)
}

// errLedger marks a failure to read or write the files ledger: the run cannot go on.
var errLedger = errors.New("files ledger")

// Fetch lists every feed's source, copies each new file into the landing folder once
// and records it in the files ledger: pending, or duplicate when its content (SHA-256)
// is already known under any name.
func (in *Ingest) Fetch(ctx context.Context, conn *sql.Conn, runID int64) (FetchResult, error) {
	var res FetchResult
	listings := map[string][]connectors.Object{}
	failed := map[string]bool{}
	for _, feed := range in.Feeds {
		log := zerolog.Ctx(ctx).With().Str("feed", feed.Name).Str("source", feed.Source).Logger()
		src := in.Sources[feed.Source]
		if failed[feed.Source] {
			continue
		}
		objs, ok := listings[feed.Source]
		if !ok {
			var err error
			objs, err = src.List(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return res, ctx.Err()
				}
				log.Error().Err(err).Msg("source cannot be listed; its feeds are skipped this run")
				failed[feed.Source] = true
				res.SourceErrors++
				continue
			}
			listings[feed.Source] = objs
		}
		for _, obj := range objs {
			if ok, _ := path.Match(feed.Match, path.Base(obj.Name)); !ok {
				continue
			}
			status, err := in.fetchOne(ctx, conn, runID, feed, src, obj)
			if err != nil {
				if ctx.Err() != nil {
					return res, ctx.Err()
				}
				if errors.Is(err, connectors.ErrVanished) {
					log.Warn().Str("file", obj.Name).Err(err).Msg("file vanished or changed between listing and download; it is fetched next run if it is there")
					continue
				}
				if errors.Is(err, errLedger) {
					return res, fmt.Errorf("fetch %s from %s: %w", obj.Name, feed.Source, err)
				}
				// A file that cannot be downloaded now is tried again next run; the
				// other files and feeds go on.
				log.Error().Str("file", obj.Name).Err(err).Msg("file could not be fetched; it is tried again next run")
				res.FileErrors++
				continue
			}
			in.finish(ctx, src, in.sourceConfig(feed.Source), obj)
			switch status {
			case "pending":
				res.New++
			case "duplicate":
				res.Duplicates++
			}
		}
	}
	return res, nil
}

// fetchOne records one listed object; it returns the ledger status given, or "" when
// the object was already in the ledger.
func (in *Ingest) fetchOne(ctx context.Context, conn *sql.Conn, runID int64, feed config.Feed, src connectors.Source, obj connectors.Object) (string, error) {
	log := zerolog.Ctx(ctx).With().Str("feed", feed.Name).Str("file", obj.Name).Logger()
	var modTime any
	if !obj.ModTime.IsZero() {
		modTime = obj.ModTime
	}
	var known int
	err := conn.QueryRowContext(ctx, warehouse.Statement("ingest/file_known.sql"),
		feed.Name, feed.Source, obj.Name, obj.Size, modTime, obj.ETag).Scan(&known)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errLedger, err)
	}
	if known > 0 {
		return "", nil
	}
	rc, err := src.Open(ctx, obj)
	if err != nil {
		return "", err
	}
	stored, err := in.Landing.Store(ctx, rc, obj.Name)
	rc.Close()
	if err != nil {
		return "", err
	}
	var dupOf sql.NullInt64
	err = conn.QueryRowContext(ctx, warehouse.Statement("ingest/file_duplicate_of.sql"), stored.SHA256).Scan(&dupOf)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errLedger, err)
	}
	status := "pending"
	if dupOf.Valid {
		status = "duplicate"
	}
	_, err = conn.ExecContext(ctx, warehouse.Statement("ingest/record_fetched_file.sql"),
		feed.Name, feed.Distributor, feed.Source, obj.Name, stored.Size, modTime, obj.ETag, stored.SHA256,
		stored.Rel, status, dupOf, in.now(), runID)
	if err != nil {
		return "", fmt.Errorf("%w: record: %w", errLedger, err)
	}
	if status == "duplicate" {
		log.Info().Int64("duplicate_of", dupOf.Int64).Str("sha256", stored.SHA256).Msg("content already received: recorded as duplicate, skipped")
	} else {
		log.Info().Int64("bytes", stored.Size).Str("sha256", stored.SHA256).Msg("fetched")
	}
	return status, nil
}
