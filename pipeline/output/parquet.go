package output

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

	"github.com/salesout/salesout/connectors/s3"
	"github.com/salesout/salesout/pipeline/internal/atomicfile"
)

// Parquet is the export of every catalog table as Parquet (export.dir): to a folder, or
// to S3 through an S3 source's settings.
type Parquet struct {
	Dir      string     // a folder, or s3://bucket/prefix
	S3       *s3.Source // the source whose settings an s3:// Dir uses
	StageDir string     // where an S3 export is written before upload
}

// Name is "parquet".
func (Parquet) Name() string { return "parquet" }

// Write writes one Parquet folder per published table under export.dir, sales_out
// partitioned Hive-style by distributor, invoice year and month. The new folders are
// written aside, swapped in table by table, and the manifest (_manifest.json) is
// written last: a reader that starts from the manifest never sees a partial export.
func (p Parquet) Write(ctx context.Context, conn *sql.Conn, run Run) (string, error) {
	dir, runID := p.Dir, run.ID
	if strings.HasPrefix(dir, "s3://") {
		return p.exportS3(ctx, conn, run)
	}
	if err := recoverExport(dir); err != nil {
		return "", err
	}
	stage := filepath.Join(dir, fmt.Sprintf(".run-%d", runID))
	old := filepath.Join(dir, fmt.Sprintf(".old-%d", runID))
	for _, p := range []string{stage, old} {
		if err := os.RemoveAll(p); err != nil {
			return "", err
		}
		if err := os.MkdirAll(p, 0o750); err != nil {
			return "", err
		}
	}
	defer os.RemoveAll(stage)
	defer os.RemoveAll(old)
	manifest, err := writeParquet(ctx, conn, stage, "")
	if err != nil {
		return "", err
	}
	for _, t := range Catalog {
		cur := filepath.Join(dir, t.Name)
		if _, err := os.Stat(cur); err == nil {
			if err := os.Rename(cur, filepath.Join(old, t.Name)); err != nil {
				return "", fmt.Errorf("export %s: %w", t.Name, err)
			}
		}
		if err := os.Rename(filepath.Join(stage, t.Name), cur); err != nil {
			return "", fmt.Errorf("export %s: %w", t.Name, err)
		}
	}
	if err := atomicfile.Write(filepath.Join(dir, "_manifest.json"), manifestJSON(run, manifest), 0o600); err != nil {
		return "", err
	}
	return dir, nil
}

// recoverExport undoes what an export killed before its end left in dir (its deferred
// clean-up never ran): a table folder it had moved aside to .old-<run> comes back when
// the new one was not swapped in yet, and the .run-<run> and .old-<run> folders go
// (TestCrash).
func recoverExport(dir string) error {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || (!strings.HasPrefix(name, ".run-") && !strings.HasPrefix(name, ".old-")) {
			continue
		}
		if strings.HasPrefix(name, ".old-") {
			for _, t := range Catalog {
				cur, aside := filepath.Join(dir, t.Name), filepath.Join(dir, name, t.Name)
				if _, err := os.Stat(cur); !os.IsNotExist(err) {
					continue
				}
				if _, err := os.Stat(aside); err == nil {
					if err := os.Rename(aside, cur); err != nil {
						return fmt.Errorf("export: restore %s: %w", t.Name, err)
					}
				}
			}
		}
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("export: remove what an interrupted export left: %w", err)
		}
	}
	return nil
}

type manifestEntry struct {
	Table string `json:"table"`
	Path  string `json:"path"` // relative to the export folder or prefix
	Rows  int64  `json:"rows"`
}

func manifestJSON(run Run, tables []manifestEntry) []byte {
	b, _ := json.MarshalIndent(struct {
		RunID      int64           `json:"run_id"`
		ExportedAt time.Time       `json:"exported_at"`
		Tables     []manifestEntry `json:"tables"`
	}{run.ID, run.Now.UTC(), tables}, "", "  ")
	return b
}

// writeParquet writes one Parquet folder per published table under dir; pathPrefix is
// put before each table's path in the manifest.
func writeParquet(ctx context.Context, conn *sql.Conn, dir, pathPrefix string) ([]manifestEntry, error) {
	var manifest []manifestEntry
	for _, t := range Catalog {
		var q, target string
		if len(t.PartitionBy) > 0 {
			q = "COPY (SELECT *, " + t.Derived + " FROM (" + t.Query + ")) TO ? (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (" + strings.Join(t.PartitionBy, ", ") + "))"
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
func (p Parquet) exportS3(ctx context.Context, conn *sql.Conn, run Run) (string, error) {
	dir, runID := p.Dir, run.ID
	bucket, prefix, err := s3.ParseURL(dir)
	if err != nil {
		return "", fmt.Errorf("export.dir: %w", err)
	}
	if p.S3 == nil {
		return "", fmt.Errorf("export.dir %s needs export.source: an s3 source", dir)
	}
	dst := p.S3.WithLocation(bucket, prefix)
	stage := filepath.Join(p.StageDir, fmt.Sprintf("export-run-%d", runID))
	if err := os.RemoveAll(stage); err != nil {
		return "", err
	}
	if err := os.MkdirAll(stage, 0o750); err != nil {
		return "", err
	}
	defer os.RemoveAll(stage)
	runDir := fmt.Sprintf("runs/%d/", runID)
	manifest, err := writeParquet(ctx, conn, stage, runDir)
	if err != nil {
		return "", err
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
		return "", fmt.Errorf("export to %s: %w", dir, err)
	}
	if err := dst.Upload(ctx, "_manifest.json", bytes.NewReader(manifestJSON(run, manifest))); err != nil {
		return "", fmt.Errorf("export to %s: manifest: %w", dir, err)
	}
	return dir, nil
}
