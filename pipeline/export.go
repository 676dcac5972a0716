package pipeline

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/connectors/s3"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// ExportResult says where the Parquet files went.
type ExportResult struct {
	Dir    string
	Tables int
}

// export writes one Parquet folder per published table under export.dir, sales_out
// partitioned Hive-style by distributor, invoice year and month. The new folders are
// written aside, swapped in table by table, and the manifest (_manifest.json) is
// written last: a reader that starts from the manifest never sees a partial export.
func (r *Runner) export(ctx context.Context, conn *sql.Conn, runID int64) (ExportResult, error) {
	dir := r.Cfg.Export.Dir
	if strings.HasPrefix(dir, "s3://") {
		return r.exportS3(ctx, conn, runID)
	}
	stage := filepath.Join(dir, fmt.Sprintf(".run-%d", runID))
	old := filepath.Join(dir, fmt.Sprintf(".old-%d", runID))
	for _, p := range []string{stage, old} {
		if err := os.RemoveAll(p); err != nil {
			return ExportResult{}, err
		}
		if err := os.MkdirAll(p, 0o750); err != nil {
			return ExportResult{}, err
		}
	}
	defer os.RemoveAll(stage)
	defer os.RemoveAll(old)
	manifest, err := writeParquet(ctx, conn, stage, "")
	if err != nil {
		return ExportResult{}, err
	}
	for _, t := range warehouse.Published {
		cur := filepath.Join(dir, t.Name)
		if _, err := os.Stat(cur); err == nil {
			if err := os.Rename(cur, filepath.Join(old, t.Name)); err != nil {
				return ExportResult{}, fmt.Errorf("export %s: %w", t.Name, err)
			}
		}
		if err := os.Rename(filepath.Join(stage, t.Name), cur); err != nil {
			return ExportResult{}, fmt.Errorf("export %s: %w", t.Name, err)
		}
	}
	if err := writeFileAtomic(filepath.Join(dir, "_manifest.json"), r.manifest(runID, manifest)); err != nil {
		return ExportResult{}, err
	}
	zerolog.Ctx(ctx).Info().Str("dir", dir).Int("tables", len(manifest)).Msg("exported")
	return ExportResult{Dir: dir, Tables: len(manifest)}, nil
}

type manifestEntry struct {
	Table string `json:"table"`
	Path  string `json:"path"` // relative to the export folder or prefix
	Rows  int64  `json:"rows"`
}

func (r *Runner) manifest(runID int64, tables []manifestEntry) []byte {
	b, _ := json.MarshalIndent(struct {
		RunID      int64           `json:"run_id"`
		ExportedAt time.Time       `json:"exported_at"`
		Tables     []manifestEntry `json:"tables"`
	}{runID, r.now().UTC(), tables}, "", "  ")
	return b
}

// writeParquet writes one Parquet folder per published table under dir; pathPrefix is
// put before each table's path in the manifest.
func writeParquet(ctx context.Context, conn *sql.Conn, dir, pathPrefix string) ([]manifestEntry, error) {
	var manifest []manifestEntry
	for _, t := range warehouse.Published {
		var q, target string
		if t.Name == "sales_out" {
			q = "COPY (SELECT *, year(invoice_date) AS year, month(invoice_date) AS month FROM sales_out) TO ? (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (distributor, year, month))"
			target = filepath.Join(dir, t.Name)
		} else {
			q = "COPY (" + t.Query + ") TO ? (FORMAT parquet, COMPRESSION zstd)"
			if err := os.MkdirAll(filepath.Join(dir, t.Name), 0o750); err != nil {
				return nil, err
			}
			target = filepath.Join(dir, t.Name, t.Name+".parquet")
		}
		res, err := conn.ExecContext(ctx, q, target)
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", t.Name, err)
		}
		n, _ := res.RowsAffected()
		manifest = append(manifest, manifestEntry{Table: t.Name, Path: pathPrefix + t.Name, Rows: n})
	}
	return manifest, nil
}

// exportS3 writes the Parquet files locally, uploads them under
// <prefix>/runs/<run_id>/ (large files in parts) and writes <prefix>/_manifest.json
// last, pointing at that run: a reader that starts from the manifest never sees a
// partial export. Earlier runs' folders are left for a bucket lifecycle rule to expire.
func (r *Runner) exportS3(ctx context.Context, conn *sql.Conn, runID int64) (ExportResult, error) {
	dir := r.Cfg.Export.Dir
	bucket, prefix, err := s3.ParseURL(dir)
	if err != nil {
		return ExportResult{}, fmt.Errorf("export.dir: %w", err)
	}
	src, ok := r.Sources[r.Cfg.Export.Source].(*s3.Source)
	if !ok {
		return ExportResult{}, fmt.Errorf("export.source %q is not an s3 source", r.Cfg.Export.Source)
	}
	dst := src.WithLocation(bucket, prefix)
	stage := filepath.Join(filepath.Dir(r.Cfg.Warehouse.Path), fmt.Sprintf("export-run-%d", runID))
	if err := os.RemoveAll(stage); err != nil {
		return ExportResult{}, err
	}
	if err := os.MkdirAll(stage, 0o750); err != nil {
		return ExportResult{}, err
	}
	defer os.RemoveAll(stage)
	runDir := fmt.Sprintf("runs/%d/", runID)
	manifest, err := writeParquet(ctx, conn, stage, runDir)
	if err != nil {
		return ExportResult{}, err
	}
	files := 0
	err = filepath.WalkDir(stage, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(stage, p)
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		files++
		return dst.Upload(ctx, runDir+filepath.ToSlash(rel), f)
	})
	if err != nil {
		return ExportResult{}, fmt.Errorf("export to %s: %w", dir, err)
	}
	if err := dst.Upload(ctx, "_manifest.json", bytes.NewReader(r.manifest(runID, manifest))); err != nil {
		return ExportResult{}, fmt.Errorf("export to %s: manifest: %w", dir, err)
	}
	zerolog.Ctx(ctx).Info().Str("dir", dir).Int("tables", len(manifest)).Int("files", files).Msg("exported")
	return ExportResult{Dir: dir, Tables: len(manifest)}, nil
}

// writeFileAtomic writes data to path through a synced temporary file and a rename.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
