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
	// BatchLines is how many lines of a file are staged and normalised at a time
	// (default 500,000); tests make it small to cross batch boundaries.
	BatchLines int

	// AfterBatch, when set, is called after each normalised batch (a test hook).
	AfterBatch func()
}

// New opens the config's sources (remote ones connect when first listed).
func New(ctx context.Context, cfg *config.Config) (*Ingest, error) {
	in := &Ingest{
		Feeds: cfg.Feeds, SourceConfigs: cfg.Sources, Reference: cfg.Reference, BaseCurrency: cfg.BaseCurrency,
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

func (in *Ingest) sourceConfig(name string) *config.Source {
	for i := range in.SourceConfigs {
		if in.SourceConfigs[i].Name == name {
			return &in.SourceConfigs[i]
		}
	}
	return nil
}

// LoadReferences replaces the reference tables in tx and converts the lines whose base
// amount is missing, or all foreign-currency lines when the exchange rates changed.
func (in *Ingest) LoadReferences(ctx context.Context, tx *sql.Tx) (RefResult, error) {
	res, err := LoadReference(ctx, tx, &in.Reference)
	if err != nil {
		return res, err
	}
	if _, err := warehouse.RunScript(ctx, tx, "ingest/amount_base.sql", warehouse.Vars{
		"base_currency": in.BaseCurrency, "recompute_all": res.Changed.FXRates,
	}); err != nil {
		return res, fmt.Errorf("convert amounts: %w", err)
	}
	zerolog.Ctx(ctx).Info().Interface("rows", res.Rows).Msg("reference loaded")
	return res, nil
}
