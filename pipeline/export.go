package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"

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
		return ExportResult{}, fmt.Errorf("export to %s: S3 export is not available in this version (export to a folder)", dir)
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
	type entry struct {
		Table string `json:"table"`
		Path  string `json:"path"`
		Rows  int64  `json:"rows"`
	}
	var manifest []entry
	for _, t := range warehouse.Published {
		var q, target string
		if t.Name == "sales_out" {
			q = "COPY (SELECT *, year(invoice_date) AS year, month(invoice_date) AS month FROM sales_out) TO ? (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (distributor, year, month))"
			target = filepath.Join(stage, t.Name)
		} else {
			q = "COPY (" + t.Query + ") TO ? (FORMAT parquet, COMPRESSION zstd)"
			if err := os.MkdirAll(filepath.Join(stage, t.Name), 0o750); err != nil {
				return ExportResult{}, err
			}
			target = filepath.Join(stage, t.Name, t.Name+".parquet")
		}
		res, err := conn.ExecContext(ctx, q, target)
		if err != nil {
			return ExportResult{}, fmt.Errorf("export %s: %w", t.Name, err)
		}
		n, _ := res.RowsAffected()
		manifest = append(manifest, entry{Table: t.Name, Path: t.Name, Rows: n})
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
	b, _ := json.MarshalIndent(struct {
		RunID      int64     `json:"run_id"`
		ExportedAt time.Time `json:"exported_at"`
		Tables     []entry   `json:"tables"`
	}{runID, r.now().UTC(), manifest}, "", "  ")
	if err := writeFileAtomic(filepath.Join(dir, "_manifest.json"), b); err != nil {
		return ExportResult{}, err
	}
	zerolog.Ctx(ctx).Info().Str("dir", dir).Int("tables", len(manifest)).Msg("exported")
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
