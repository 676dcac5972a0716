// Package iceberg is the export.iceberg output: it writes the tables of output.Catalog
// as Apache Iceberg tables (format version 2) through iceberg-go, registered in a SQL
// catalog on PostgreSQL (the tables of Iceberg's JDBC catalog) or a REST catalog, with
// their data in a folder or on S3. Spark, Trino, Flink, DuckDB and others then read
// them, with time travel.
//
// Each run adds at most one snapshot to each table, and only to tables whose content
// changed: the rows of the partitions that changed since the table's current snapshot
// are written again (DuckDB stages them as Parquet sorted by partition, iceberg-go
// writes one partition at a time), and one overwrite snapshot swaps the files of those
// partitions for the new ones (a restated month replaces the old rows of that month,
// it does not add to them). To know what changed, every snapshot salesout writes points
// (summary property salesout.fingerprints) to a small JSON file beside the table's
// metadata with one fingerprint per partition: its row count and two order-independent
// hashes of its rows, as DuckDB computes them. sales_out partitions belong to the
// distributors of the writer's own warehouse: workers that each run a shard of the feeds
// can share one table. A commit that loses a race is written again, up to 3 times.
//
// It is its own package because iceberg-go brings the AWS SDK's S3 through gocloud, bun
// and a SQL catalog (about 50 MB of the stripped binary): only what imports it links it.
package iceberg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/apache/iceberg-go/catalog"
	"github.com/apache/iceberg-go/catalog/rest"
	sqlcat "github.com/apache/iceberg-go/catalog/sql"
	icebergio "github.com/apache/iceberg-go/io"
	_ "github.com/apache/iceberg-go/io/gocloud/s3" // s3:// warehouses; not gocloud's GCS and Azure SDKs
	"github.com/apache/iceberg-go/table"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver of the SQL catalog
	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/output"
)

// CatalogName is the name the tables are registered under in a SQL catalog (its
// catalog_name column): a Spark or Trino JDBC catalog that reads them must use it.
const CatalogName = "salesout"

// Output writes the catalog's tables as Iceberg tables.
type Output struct {
	SQLDSN    string // a SQL catalog on PostgreSQL; or
	RESTURI   string // a REST catalog
	Warehouse string // a folder, or s3://bucket/prefix
	Namespace string // default "salesout"
	S3        S3     // for an s3:// warehouse
	StageDir  string // where the rows are staged as Parquet before they are written (default: the system's)
	// Tables limits the output to these catalog tables (nil: all). A worker that
	// runs a shard of the feeds writes sales_out only: see the README's "Scaling".
	Tables []string
}

// S3 is where an s3:// warehouse is: the settings of an s3 source (export.source).
// Credentials come from the AWS SDK's default chain, as for the sources.
type S3 struct {
	Region    string
	Endpoint  string // an S3-compatible server; empty for AWS
	PathStyle bool
}

// Name is "iceberg".
func (Output) Name() string { return "iceberg" }

// Write writes every table of the catalog (or of o.Tables) whose content changed and
// returns the warehouse. Each table is committed on its own: a reader sees each
// table's previous or new snapshot, never a partial one; the snapshots of one run
// carry its run id (summary property salesout.run-id).
func (o Output) Write(ctx context.Context, conn *sql.Conn, run output.Run) (string, error) {
	cat, closeCat, err := o.open(ctx)
	if err != nil {
		return "", err
	}
	defer closeCat()
	ns := table.Identifier{o.namespace()}
	if err := ensureNamespace(ctx, cat, ns); err != nil {
		return "", err
	}
	stage, err := os.MkdirTemp(o.StageDir, "iceberg-")
	if err != nil {
		return "", fmt.Errorf("iceberg: staging folder: %w", err)
	}
	defer os.RemoveAll(stage)
	log := zerolog.Ctx(ctx)
	for _, t := range output.Catalog {
		if o.Tables != nil && !slices.Contains(o.Tables, t.Name) {
			continue
		}
		start := time.Now()
		var res result
		for attempt := 1; ; attempt++ {
			w := tableWriter{cat: cat, ident: append(ns, t.Name), t: t, run: run, stage: stage}
			res, err = w.write(ctx, conn)
			if err == nil || !conflict(err) || attempt == 3 {
				break
			}
			log.Warn().Err(err).Str("table", t.Name).Int("attempt", attempt).Msg("iceberg commit conflict: retrying")
		}
		if err != nil {
			return "", fmt.Errorf("iceberg %s: %w", t.Name, err)
		}
		ev := log.Debug()
		if !res.unchanged {
			ev = log.Info()
		}
		ev.Str("table", t.Name).Bool("unchanged", res.unchanged).Bool("full", res.full).
			Int("partitions", res.partitions).Int64("rows", res.rows).Int64("snapshot_id", res.snapshotID).
			Dur("fingerprint", res.fingerprintTook).Dur("stage", res.stageTook).Dur("write", res.writeTook).
			Dur("took", time.Since(start)).Msg("iceberg table written")
	}
	return o.Warehouse, nil
}

func (o Output) namespace() string {
	if o.Namespace == "" {
		return "salesout"
	}
	return o.Namespace
}

// open opens the catalog; the returned function closes it.
func (o Output) open(ctx context.Context) (catalog.Catalog, func(), error) {
	props, err := o.properties()
	if err != nil {
		return nil, nil, err
	}
	switch {
	case o.SQLDSN != "" && o.RESTURI == "":
		db, err := sql.Open("pgx", o.SQLDSN)
		if err != nil {
			return nil, nil, fmt.Errorf("iceberg SQL catalog: %w", err)
		}
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, nil, fmt.Errorf("iceberg SQL catalog: connect to PostgreSQL: %w", err)
		}
		cat, err := sqlcat.NewCatalog(CatalogName, db, sqlcat.Postgres, props)
		if err != nil {
			db.Close()
			return nil, nil, fmt.Errorf("iceberg SQL catalog: %w", err)
		}
		return cat, func() { cat.Close(); db.Close() }, nil
	case o.RESTURI != "" && o.SQLDSN == "":
		cat, err := rest.NewCatalog(ctx, CatalogName, o.RESTURI, rest.WithWarehouseLocation(props["warehouse"]),
			rest.WithAdditionalProps(props))
		if err != nil {
			return nil, nil, fmt.Errorf("iceberg REST catalog %s: %w", o.RESTURI, err)
		}
		return cat, func() {}, nil
	default:
		return nil, nil, errors.New("iceberg: set one catalog, sql or rest")
	}
}

// properties are the catalog's properties: where new tables go, and how to reach S3.
func (o Output) properties() (map[string]string, error) {
	w := strings.TrimRight(o.Warehouse, "/")
	props := map[string]string{}
	switch {
	case strings.HasPrefix(w, "s3://"):
		props["warehouse"] = w
		if o.S3.Region != "" {
			props[icebergio.S3Region] = o.S3.Region
		}
		if o.S3.Endpoint != "" {
			props[icebergio.S3EndpointURL] = o.S3.Endpoint
			// S3-compatible stores reject or mangle the SDK's default checksums.
			props[icebergio.S3CompatMode] = "true"
			props[icebergio.S3ForceVirtualAddressing] = fmt.Sprint(!o.S3.PathStyle)
			if o.S3.Region == "" {
				props[icebergio.S3Region] = "us-east-1" // S3-compatible stores sign with any region
			}
		}
	case strings.HasPrefix(w, "/"):
		props["warehouse"] = "file://" + w
	default:
		return nil, fmt.Errorf("iceberg: warehouse %q is neither an absolute folder nor s3://bucket/prefix", o.Warehouse)
	}
	return props, nil
}

// ensureNamespace creates the namespace unless it exists.
func ensureNamespace(ctx context.Context, cat catalog.Catalog, ns table.Identifier) error {
	ok, err := cat.CheckNamespaceExists(ctx, ns)
	if err != nil {
		return fmt.Errorf("iceberg namespace %s: %w", ns[0], err)
	}
	if ok {
		return nil
	}
	if err := cat.CreateNamespace(ctx, ns, nil); err != nil && !errors.Is(err, catalog.ErrNamespaceAlreadyExists) {
		return fmt.Errorf("iceberg namespace %s: %w", ns[0], err)
	}
	return nil
}
