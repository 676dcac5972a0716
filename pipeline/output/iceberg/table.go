package iceberg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/catalog"
	"github.com/apache/iceberg-go/table"

	"github.com/salesout/salesout/pipeline/output"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// Snapshot summary properties salesout sets.
const (
	propRunID        = "salesout.run-id"
	propFingerprints = "salesout.fingerprints"
)

// tableWriter writes one catalog table.
type tableWriter struct {
	cat   catalog.Catalog
	ident table.Identifier
	t     output.Table
	run   output.Run
	stage string
}

// result says what writing a table did.
type result struct {
	unchanged  bool  // nothing to commit
	full       bool  // every partition written (new table, new columns, or no fingerprints)
	partitions int   // partitions replaced, added or removed
	rows       int64 // rows written
	snapshotID int64
	// where the time went: fingerprinting in DuckDB, staging the rows as Parquet, and
	// writing and committing them through iceberg-go
	fingerprintTook, stageTook, writeTook time.Duration
}

// write compares the table's partitions in DuckDB with the fingerprints of the Iceberg
// table's current snapshot and replaces the partitions that differ, in one snapshot.
func (w tableWriter) write(ctx context.Context, conn *sql.Conn) (result, error) {
	cols, err := describe(ctx, conn, w.t.Query)
	if err != nil {
		return result{}, fmt.Errorf("describe: %w", err)
	}
	fields := partitioning(w.t.Name)
	if err := checkPartitioning(fields, cols); err != nil {
		return result{}, err
	}
	exprs := make([]string, len(cols))
	sig := make([]string, len(cols))
	for i, c := range cols {
		e, typ := exportExpr(c)
		exprs[i] = e + " AS " + warehouse.QuoteIdent(c.name)
		sig[i] = c.name + " " + typ
	}
	start := time.Now()
	cur, err := fingerprint(ctx, conn, w.t.Query, fields)
	if err != nil {
		return result{}, fmt.Errorf("fingerprint: %w", err)
	}
	cur.RunID, cur.Columns = w.run.ID, sig
	fingerprintTook := time.Since(start)

	tbl, err := w.cat.LoadTable(ctx, w.ident)
	if errors.Is(err, catalog.ErrNoSuchTable) {
		tbl, err = nil, nil
	}
	if err != nil {
		return result{}, fmt.Errorf("load: %w", err)
	}
	var prev *fingerprints
	if tbl != nil {
		prev = readFingerprints(ctx, tbl)
	}
	full := prev == nil || !slices.Equal(prev.Columns, cur.Columns)
	owns := func(string) bool { return true }
	if len(fields) > 0 && fields[0].column == "distributor" {
		// A worker that runs a shard of the feeds owns the distributors of its own
		// warehouse: it never removes, and carries over, the others' partitions.
		if owns, err = ownedDistributors(ctx, conn, w.t.Query); err != nil {
			return result{}, err
		}
		if full && tbl != nil && tbl.CurrentSnapshot() != nil {
			// Without usable fingerprints, replace the owned distributors' rows.
			full, prev = false, &fingerprints{Columns: cur.Columns, Partitions: map[string]string{}}
			if err := w.addIcebergPartitions(ctx, tbl, prev, owns); err != nil {
				return result{}, err
			}
		}
	}
	var keys []string // the partitions to replace: changed, new or gone
	if !full {
		for k, fp := range cur.Partitions {
			if prev.Partitions[k] != fp {
				keys = append(keys, k)
			}
		}
		for k, fp := range prev.Partitions {
			if _, ok := cur.Partitions[k]; !ok {
				if owns(k) {
					keys = append(keys, k)
				} else {
					cur.Partitions[k] = fp
				}
			}
		}
		if len(keys) == 0 {
			return result{unchanged: true, fingerprintTook: fingerprintTook}, nil
		}
		slices.Sort(keys)
	}

	// Stage the rows of those partitions as Parquet: one file (or a few) per
	// partition, so that they can be written one partition at a time.
	start = time.Now()
	st, err := stageRows(ctx, conn, w.stage, w.t, exprs, fields, full, keys)
	if err != nil {
		return result{}, fmt.Errorf("stage rows: %w", err)
	}
	defer st.close()
	rows := st.rows
	stageTook := time.Since(start)
	start = time.Now()
	rdrSchema := st.schema
	schema, err := table.ArrowSchemaToIcebergWithFreshIDs(rdrSchema, false)
	if err != nil {
		return result{}, fmt.Errorf("schema: %w", err)
	}
	schema = optional(schema)

	if tbl == nil {
		spec, err := partitionSpec(fields, schema)
		if err != nil {
			return result{}, err
		}
		tbl, err = w.cat.CreateTable(ctx, w.ident, schema, catalog.WithPartitionSpec(&spec),
			catalog.WithProperties(iceberg.Properties{"format-version": "2",
				"comment": "salesout " + w.t.Name + ": written by salesout's export.iceberg"}))
		if err != nil {
			return result{}, fmt.Errorf("create: %w", err)
		}
	}
	if !hasColumns(tbl.Schema(), schema) {
		// New columns (a migration): add them first, in a commit of their own (no
		// snapshot); every row is written again below.
		tx := tbl.NewTransaction()
		if err := tx.UpdateSchema(true, false).UnionByNameWith(schema).Commit(); err != nil {
			return result{}, fmt.Errorf("evolve the schema to %s: %w (if a column's type changed, drop the Iceberg table: the next run writes it again)",
				strings.Join(cur.Columns, ", "), err)
		}
		if tbl, err = tx.Commit(ctx); err != nil {
			return result{}, fmt.Errorf("evolve the schema: %w", err)
		}
	}

	// The files to drop: those of the replaced partitions (a data file holds one
	// partition), or all of them.
	var drop []iceberg.DataFile
	if tbl.CurrentSnapshot() != nil {
		replaced := map[string]bool{}
		for _, k := range keys {
			replaced[k] = true
		}
		tasks, err := tbl.Scan().PlanFiles(ctx)
		if err != nil {
			return result{}, fmt.Errorf("list the table's files: %w", err)
		}
		for _, task := range tasks {
			if len(task.DeleteFiles)+len(task.EqualityDeleteFiles)+len(task.DeletionVectorFiles) > 0 {
				return result{}, fmt.Errorf("%s has delete files: salesout writes none; compact the table (rewrite_data_files) first", task.File.FilePath())
			}
			if !full {
				k, err := partitionKeyOf(tbl.Spec(), task.File)
				if err != nil {
					return result{}, err
				}
				if !replaced[k] {
					continue
				}
			}
			drop = append(drop, task.File)
		}
	}

	// Write the new files, one partition at a time (the rows come clustered).
	var add []iceberg.DataFile
	for df, err := range table.WriteRecords(ctx, tbl, rdrSchema, st.records(ctx), table.WithClusteredWrite()) {
		if err != nil {
			removeFiles(ctx, tbl, add)
			return result{}, fmt.Errorf("write: %w", err)
		}
		add = append(add, df)
	}
	if len(drop) == 0 && len(add) == 0 {
		return result{unchanged: true, fingerprintTook: fingerprintTook, stageTook: stageTook}, nil
	}
	fpPath, err := writeFingerprints(ctx, tbl, cur)
	if err != nil {
		return result{}, err
	}
	props := iceberg.Properties{propRunID: strconv.FormatInt(w.run.ID, 10), propFingerprints: fpPath}
	tx := tbl.NewTransaction()
	if err := tx.ReplaceDataFilesWithDataFiles(ctx, drop, add, props); err != nil {
		removeFiles(ctx, tbl, add, fpPath)
		return result{}, fmt.Errorf("replace the partitions' files: %w", err)
	}
	committed, err := tx.Commit(ctx)
	if err != nil {
		if conflict(err) { // certainly not committed (unlike a REST catalog's "state unknown")
			removeFiles(ctx, tbl, add, fpPath)
		}
		return result{}, fmt.Errorf("commit: %w", err)
	}
	tbl = committed
	r := result{full: full, partitions: len(keys), rows: rows,
		fingerprintTook: fingerprintTook, stageTook: stageTook, writeTook: time.Since(start)}
	if full {
		r.partitions = len(cur.Partitions)
	}
	if s := tbl.CurrentSnapshot(); s != nil {
		r.snapshotID = s.SnapshotID
	}
	return r, nil
}

// optional makes every field of sc optional: DuckDB's results carry no NOT NULL, and
// a column must not become required because one run happened to have no NULL in it.
func optional(sc *iceberg.Schema) *iceberg.Schema {
	fields := sc.Fields()
	for i := range fields {
		fields[i].Required = false
	}
	return iceberg.NewSchema(sc.ID, fields...)
}

// hasColumns says whether the table's schema has every column of sc, with its type. A
// column the table has and sc has not (dropped in DuckDB) stays, NULL in new rows.
func hasColumns(tbl, sc *iceberg.Schema) bool {
	for _, f := range sc.Fields() {
		t, ok := tbl.FindFieldByName(f.Name)
		if !ok || !t.Type.Equals(f.Type) {
			return false
		}
	}
	return true
}

// partitionSpec is the Iceberg partition spec of fields over schema.
func partitionSpec(fields []partitionField, schema *iceberg.Schema) (iceberg.PartitionSpec, error) {
	var opts []iceberg.PartitionOption
	for _, f := range fields {
		src, ok := schema.FindFieldByName(f.column)
		if !ok {
			return iceberg.PartitionSpec{}, fmt.Errorf("partition column %s is missing", f.column)
		}
		var tr iceberg.Transform = iceberg.IdentityTransform{}
		name := f.column
		if f.transform == "month" {
			tr, name = iceberg.MonthTransform{}, f.column+"_month"
		}
		opts = append(opts, iceberg.AddPartitionFieldBySourceID(src.ID, name, tr, schema, nil))
	}
	return iceberg.NewPartitionSpecOpts(opts...)
}

// removeFiles deletes, as far as it can, the files of a commit that did not happen.
func removeFiles(ctx context.Context, tbl *table.Table, files []iceberg.DataFile, more ...string) {
	fs, err := tbl.FS(ctx)
	if err != nil {
		return
	}
	for _, df := range files {
		fs.Remove(df.FilePath())
	}
	for _, p := range more {
		fs.Remove(p)
	}
}

// conflict says whether a commit was refused because the table changed since it was
// loaded (another writer committed first): nothing was committed, and writing the
// table again from its new state will do. iceberg-go's SQL catalog reports a failed
// requirement with a plain error, the REST catalog with table.ErrCommitFailed.
func conflict(err error) bool {
	return errors.Is(err, table.ErrCommitFailed) || strings.Contains(err.Error(), "requirement failed:")
}
