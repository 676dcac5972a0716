// Package ingest is the first half of a run: fetch copies every new file of every
// feed's source into the landing folder and records it in the files ledger; the
// reference files replace their tables; load reads each pending file, whatever its
// format, into lines and quarantine, one transaction per file.
package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/connectors"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// Ingest fetches and loads. Its fields are the parts of the config it reads and the
// open sources.
type Ingest struct {
	Feeds         []config.Feed
	SourceConfigs []config.Source
	Reference     config.Reference
	BaseCurrency  string
	Sources       map[string]connectors.Source
	Landing       Landing
	Progress      bool             // draw progress bars (stderr is a terminal)
	Now           func() time.Time // the clock; time.Now when nil
	// Dates is the plausible window of invoice dates (load.dates; the default window
	// when zero), AsOf the run's as_of date it ends after (midnight UTC; when zero, today
	// in Location, UTC when nil).
	Dates    config.DateWindow
	AsOf     time.Time
	Location *time.Location
	// BatchLines is how many lines of a file are typed and written into lines at a time
	// (default 200,000); tests make it small to cross batch boundaries.
	BatchLines int

	// AfterBatch, when set, is called after each batch written into lines (a test hook).
	AfterBatch func()

	// beforeRecord, when set, runs in a file's transaction just before its ledger row
	// is written (Reload sets it: see reload.go).
	beforeRecord func(tx rawTx, runID int64, p pendingFile, status string) error
}

// New opens the config's sources (remote ones connect when first listed).
func New(ctx context.Context, cfg *config.Config) (*Ingest, error) {
	in := &Ingest{
		Feeds: cfg.Feeds, SourceConfigs: cfg.Sources, Reference: cfg.Reference, BaseCurrency: cfg.BaseCurrency,
		Dates: cfg.Load.Dates, Location: cfg.Location,
		Sources: map[string]connectors.Source{}, Landing: Landing{Dir: cfg.Landing},
	}
	for _, s := range cfg.Sources {
		src, err := OpenSource(ctx, s)
		if err != nil {
			in.Close()
			return nil, err
		}
		in.Sources[s.Name] = src
	}
	return in, nil
}

// Close releases the source connections.
func (in *Ingest) Close() error {
	var errs []error
	for _, s := range in.Sources {
		if c, ok := s.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

func (in *Ingest) now() time.Time {
	if in.Now != nil {
		return in.Now()
	}
	return time.Now()
}

// dateWindow is the plausible window of the invoice dates loaded now.
func (in *Ingest) dateWindow() dateWindow {
	asOf := in.AsOf
	if asOf.IsZero() {
		loc := in.Location
		if loc == nil {
			loc = time.UTC
		}
		n := in.now().In(loc)
		asOf = time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	}
	return newDateWindow(in.Dates.Bounds(asOf))
}

func (in *Ingest) sourceConfig(name string) *config.Source {
	for i := range in.SourceConfigs {
		if in.SourceConfigs[i].Name == name {
			return &in.SourceConfigs[i]
		}
	}
	return nil
}

// LoadReferences replaces the reference tables in tx (in run runID) and converts the lines whose base
// amount is missing, or all foreign-currency lines when the exchange rates changed.
func (in *Ingest) LoadReferences(ctx context.Context, tx *sql.Tx, runID int64) (RefResult, error) {
	res, err := LoadReference(ctx, tx, &in.Reference)
	if err != nil {
		return res, err
	}
	if _, err := warehouse.RunScript(ctx, tx, "ingest/amount_base.sql", warehouse.Vars{
		"base_currency": in.BaseCurrency, "recompute_all": res.Changed.FXRates, "run_id": runID,
		"file_id": warehouse.Typed{Value: nil, Type: "BIGINT"},
	}); err != nil {
		return res, fmt.Errorf("convert amounts: %w", err)
	}
	zerolog.Ctx(ctx).Info().Interface("rows", res.Rows).Msg("reference loaded")
	return res, nil
}
