package iceberg

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/apache/iceberg-go"
	icebergio "github.com/apache/iceberg-go/io"
	"github.com/apache/iceberg-go/table"
	"github.com/google/uuid"
)

// fingerprints describe a table's content as written in one snapshot: its columns and,
// per partition, a fingerprint of its rows.
type fingerprints struct {
	Version    int               `json:"version"`
	RunID      int64             `json:"run_id"`
	Columns    []string          `json:"columns"`    // "name TYPE", as exported
	Partitions map[string]string `json:"partitions"` // partition key (JSON list) → rows:xor:sum
}

// fingerprint computes the fingerprint of each partition of query's rows: the number
// of rows, the XOR and the sum of DuckDB's hash of each row. Any change of a value, a
// row added or a row removed changes it (up to hash collisions); the row order does not.
func fingerprint(ctx context.Context, conn *sql.Conn, query string, fields []partitionField) (*fingerprints, error) {
	parts, _ := partitionParts(fields)
	var named, names []string
	for i, p := range parts {
		named = append(named, p+" AS "+partName(i))
		names = append(names, "CAST("+partName(i)+" AS VARCHAR)")
	}
	key, group := "'[]'", ""
	if len(parts) > 0 {
		key = "CAST(to_json([" + strings.Join(names, ", ") + "]) AS VARCHAR)"
		group = " GROUP BY ALL"
	}
	rows, err := conn.QueryContext(ctx, `SELECT `+key+`,
		CAST(count(*) AS VARCHAR) || ':' || CAST(bit_xor(h) AS VARCHAR) || ':' || CAST(sum(CAST(h AS HUGEINT)) AS VARCHAR)
		FROM (SELECT `+strings.Join(append(named, "hash(COLUMNS(*)) AS h"), ", ")+` FROM (`+query+`) AS q)`+group+`
		HAVING count(*) > 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fp := &fingerprints{Version: 1, Partitions: map[string]string{}}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		var vals []*string
		if err := json.Unmarshal([]byte(k), &vals); err != nil {
			return nil, fmt.Errorf("partition key %s: %w", k, err)
		}
		fp.Partitions[canonicalKey(vals)] = v
	}
	return fp, rows.Err()
}

// readFingerprints returns the fingerprints the table's current snapshot points at;
// nil when there are none (no snapshot, a snapshot another writer made, a file that
// cannot be read): then every partition is written again.
func readFingerprints(ctx context.Context, tbl *table.Table) *fingerprints {
	snap := tbl.CurrentSnapshot()
	if snap == nil || snap.Summary == nil {
		return nil
	}
	path := snap.Summary.Properties[propFingerprints]
	if path == "" {
		return nil
	}
	fs, err := tbl.FS(ctx)
	if err != nil {
		return nil
	}
	f, err := fs.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var fp fingerprints
	if err := json.NewDecoder(io.LimitReader(f, 64<<20)).Decode(&fp); err != nil || fp.Version != 1 {
		return nil
	}
	return &fp
}

// writeFingerprints writes fp beside the table's metadata and returns its location.
func writeFingerprints(ctx context.Context, tbl *table.Table, fp *fingerprints) (string, error) {
	fs, err := tbl.FS(ctx)
	if err != nil {
		return "", fmt.Errorf("fingerprints: %w", err)
	}
	wfs, ok := fs.(icebergio.WriteFileIO)
	if !ok {
		return "", fmt.Errorf("fingerprints: the table's storage cannot be written")
	}
	path := strings.TrimRight(tbl.Location(), "/") + fmt.Sprintf("/metadata/salesout-fingerprints-%d-%s.json", fp.RunID, uuid.NewString())
	b, err := json.Marshal(fp)
	if err != nil {
		return "", err
	}
	if err := wfs.WriteFile(path, b); err != nil {
		return "", fmt.Errorf("fingerprints: write %s: %w", path, err)
	}
	return path, nil
}

// ownedDistributors returns whether a partition key (its first element the
// distributor) belongs to this worker: a distributor of its files or of query's rows.
func ownedDistributors(ctx context.Context, conn *sql.Conn, query string) (func(key string) bool, error) {
	rows, err := conn.QueryContext(ctx, `SELECT distributor FROM files WHERE distributor IS NOT NULL
		UNION SELECT distributor FROM (`+query+`) WHERE distributor IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("distributors: %w", err)
	}
	defer rows.Close()
	owned := map[string]bool{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		owned[d] = true
	}
	return func(key string) bool {
		var vals []*string
		if json.Unmarshal([]byte(key), &vals) != nil || len(vals) == 0 || vals[0] == nil {
			return false
		}
		return owned[*vals[0]]
	}, rows.Err()
}

// addIcebergPartitions adds to fp, with an empty fingerprint, the partitions of the
// table's current data files that owns accepts: the partitions to compare with when a
// snapshot has no usable fingerprints.
func (w tableWriter) addIcebergPartitions(ctx context.Context, tbl *table.Table, fp *fingerprints, owns func(string) bool) error {
	tasks, err := tbl.Scan().PlanFiles(ctx)
	if err != nil {
		return fmt.Errorf("list the table's files: %w", err)
	}
	for _, task := range tasks {
		key, err := partitionKeyOf(tbl.Spec(), task.File)
		if err != nil {
			return err
		}
		if owns(key) {
			fp.Partitions[key] = ""
		}
	}
	return nil
}

// partitionKeyOf is the partition key (as fingerprint spells it) of
// a data file. Only identity (strings) and month partitions are known.
func partitionKeyOf(spec iceberg.PartitionSpec, df iceberg.DataFile) (string, error) {
	part := df.Partition()
	vals := []*string{}
	for _, f := range spec.Fields() {
		v, ok := part[f.FieldID]
		var s *string
		switch x := v.(type) {
		case nil:
		case string:
			s = &x
		case int32: // month: months since 1970-01
			m := time.Date(1970, time.Month(1+x), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
			s = &m
		default:
			ok = false
		}
		if !ok {
			return "", fmt.Errorf("partition field %s of %s: unexpected value %v (%T)", f.Name, df.FilePath(), v, v)
		}
		vals = append(vals, s)
	}
	return canonicalKey(vals), nil
}

// canonicalKey is the one spelling of a partition key (a JSON list of strings and
// nulls), whoever computed it: DuckDB and Go escape JSON differently.
func canonicalKey(vals []*string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if vals == nil {
		vals = []*string{}
	}
	enc.Encode(vals)
	return strings.TrimSuffix(b.String(), "\n")
}
