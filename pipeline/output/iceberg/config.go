package iceberg

import (
	"path/filepath"
	"strings"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/output"
)

// FromConfig is the output of export.iceberg: its catalog and warehouse, the S3
// settings of export.source for an s3:// warehouse, staged beside the warehouse
// database; a shard of the feeds (salesout run --feeds) writes sales_out only.
// cmd/salesout registers it with pipeline.RegisterOutput("iceberg", ...).
func FromConfig(cfg *config.Config) (output.Output, error) {
	ice := cfg.Export.Iceberg
	o := Output{Warehouse: ice.Warehouse, Namespace: ice.Namespace, StageDir: filepath.Dir(cfg.Warehouse.Path)}
	if ice.Catalog.SQL != nil {
		o.SQLDSN = string(ice.Catalog.SQL.DSN)
	}
	if ice.Catalog.REST != nil {
		o.RESTURI = ice.Catalog.REST.URI
	}
	if src := cfg.Source(cfg.Export.Source); src != nil && strings.HasPrefix(ice.Warehouse, "s3://") {
		o.S3 = S3{Region: src.Region, Endpoint: src.Endpoint, PathStyle: src.PathStyle}
	}
	if len(cfg.Shard) > 0 {
		// a shard of the feeds: its scores and deviations see part of the lines; the
		// job that runs every feed writes the analytics tables
		o.Tables = []string{"sales_out"}
	}
	return o, nil
}
