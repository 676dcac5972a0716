package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/ingest"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// Validate checks what a valid config cannot promise on its own: that the reference
// files load and pass their checks, and that every source can be reached and listed.
// It returns one message per problem.
func Validate(ctx context.Context, cfg *config.Config) []string {
	var problems []string
	db, err := warehouse.Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		return []string{fmt.Sprintf("open a scratch database: %v", err)}
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return []string{err.Error()}
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return []string{err.Error()}
	}
	_, err = ingest.LoadReference(ctx, tx, &cfg.Reference)
	tx.Rollback()
	var re *ingest.RefError
	switch {
	case errors.As(err, &re):
		problems = append(problems, re.Problems...)
	case err != nil:
		problems = append(problems, err.Error())
	}
	for i, s := range cfg.Sources {
		src, err := ingest.OpenSource(ctx, s)
		if err != nil {
			problems = append(problems, fmt.Sprintf("sources[%d] (%s): %v", i, s.Name, err))
			continue
		}
		if c, ok := src.(ingest.Checker); ok {
			err = c.Check(ctx)
		} else {
			_, err = src.List(ctx)
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("sources[%d] (%s): %v", i, s.Name, err))
		}
		if c, ok := src.(io.Closer); ok {
			c.Close()
		}
	}
	return problems
}
