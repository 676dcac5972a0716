package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/connectors"
	"github.com/salesout/salesout/connectors/local"
	"github.com/salesout/salesout/connectors/s3"
	"github.com/salesout/salesout/connectors/sftp"
	"github.com/salesout/salesout/pipeline/config"
)

// Checker is a source that can say whether it is reachable, with a message a user can
// act on (salesout validate).
type Checker interface {
	Check(ctx context.Context) error
}

// Finisher is a source that can remove or archive a file once salesout holds it.
type Finisher interface {
	Delete(ctx context.Context, obj connectors.Object) error
	Archive(ctx context.Context, obj connectors.Object, to string) error
}

// OpenSource returns the connector for one configured source: the config is mapped to
// the transport's own options. Remote connectors do
// not touch the network until they are listed.
func OpenSource(ctx context.Context, s config.Source) (connectors.Source, error) {
	log := zerolog.Ctx(ctx).With().Str("source", s.Name).Logger()
	skip := func(name, reason string) {
		log.Warn().Str("file", fmt.Sprintf("%q", name)).Str("reason", reason).Msg("file skipped")
	}
	switch s.Type {
	case "local":
		return local.New(s.Dir), nil
	case "s3":
		src, err := s3.New(ctx, s3.Config{Name: s.Name, Bucket: s.Bucket, Prefix: s.Prefix, Region: s.Region,
			Endpoint: s.Endpoint, PathStyle: s.PathStyle}, s3.OnSkip(skip))
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", s.Name, err)
		}
		return src, nil
	case "sftp":
		src, err := sftp.New(ctx, sftp.Config{Name: s.Name, Address: s.Address, User: s.User, KeyFile: s.KeyFile,
			Passphrase: s.Passphrase, Password: s.Password, KnownHosts: s.KnownHosts, Dir: s.Dir,
			MinimumAge: s.MinimumAge.Duration}, sftp.OnSkip(skip))
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", s.Name, err)
		}
		return src, nil
	default:
		return nil, fmt.Errorf("source %s: unknown type %q", s.Name, s.Type)
	}
}

// finish applies a source's after_load action to a file whose landing copy is durable
// and whose ledger row is committed: leave it, delete it, or move it to archive_to.
func (in *Ingest) finish(ctx context.Context, src connectors.Source, cfg *config.Source, obj connectors.Object) {
	if cfg.AfterLoad == "leave" || cfg.AfterLoad == "" {
		return
	}
	log := zerolog.Ctx(ctx).With().Str("source", cfg.Name).Str("file", obj.Name).Str("after_load", cfg.AfterLoad).Logger()
	f, ok := src.(Finisher)
	if !ok {
		log.Warn().Msg("this source cannot delete or archive files")
		return
	}
	var err error
	if cfg.AfterLoad == "delete" {
		err = f.Delete(ctx, obj)
	} else {
		err = f.Archive(ctx, obj, cfg.ArchiveTo)
	}
	switch {
	case errors.Is(err, connectors.ErrVanished):
		log.Warn().Err(err).Msg("file already gone or changed; left as it is")
	case err != nil:
		log.Error().Err(err).Msg("after-load action failed; it is tried again next run")
	default:
		log.Info().Msg("done with file at its source")
	}
}
