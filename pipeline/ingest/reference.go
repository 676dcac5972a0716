package ingest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/salesout/salesout/connectors/postgres"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/formats"
	"github.com/salesout/salesout/pipeline/warehouse"
)

type refCol struct {
	name     string
	typ      string // DuckDB type the text must cast to; "" for VARCHAR
	required bool
}

// refSpec is one reference data set: its canonical columns and the checks its rows pass.
type refSpec struct {
	key    string
	table  string
	cols   []refCol
	checks []string // queries over ref_raw returning (line_no, message)
}

var refSpecs = []refSpec{
	{
		key: "channel_db", table: "partners",
		cols: []refCol{{"partner_id", "", true}, {"name", "", true}, {"registration", "", false}, {"vat", "", false},
			{"address", "", false}, {"postcode", "", false}, {"city", "", false}, {"country", "", false},
			{"region", "", false}, {"territory", "", false}, {"trade", "", false}, {"size_band", "", false},
			{"potential", "DECIMAL(18,2)", false}, {"sales_rep", "", false}},
		checks: []string{
			`SELECT line_no, 'duplicate partner_id "' || partner_id || '" (first on line ' || first_line || ')'
			 FROM (SELECT line_no, partner_id, min(line_no) OVER (PARTITION BY partner_id) AS first_line FROM ref_raw WHERE partner_id IS NOT NULL)
			 WHERE line_no > first_line`,
			`SELECT line_no, 'potential ' || potential || ' is negative' FROM ref_raw WHERE TRY_CAST(potential AS DOUBLE) < 0`,
		},
	},
	{
		key: "products", table: "products",
		cols: []refCol{{"sku", "", true}, {"product_line", "", false}, {"gtin", "", false}, {"description", "", false},
			{"distributor", "", false}, {"distributor_sku", "", false}},
		checks: []string{
			`SELECT line_no, 'duplicate sku "' || sku || '" (first on line ' || first_line || ')'
			 FROM (SELECT line_no, sku, min(line_no) OVER (PARTITION BY sku) AS first_line FROM ref_raw WHERE sku IS NOT NULL AND distributor IS NULL AND distributor_sku IS NULL)
			 WHERE line_no > first_line`,
			`SELECT line_no, 'duplicate cross-reference ' || distributor || ' / ' || distributor_sku || ' (first on line ' || first_line || ')'
			 FROM (SELECT line_no, distributor, distributor_sku, min(line_no) OVER (PARTITION BY distributor, distributor_sku) AS first_line FROM ref_raw WHERE distributor IS NOT NULL AND distributor_sku IS NOT NULL)
			 WHERE line_no > first_line`,
			`SELECT line_no, 'distributor and distributor_sku go together' FROM ref_raw WHERE (distributor IS NULL) <> (distributor_sku IS NULL)`,
		},
	},
	{
		key: "fx_rates", table: "fx_rates",
		cols: []refCol{{"date", "DATE", true}, {"currency", "", true}, {"rate", "DECIMAL(18,8)", true}},
		checks: []string{
			`SELECT line_no, 'rate ' || rate || ' must be positive' FROM ref_raw WHERE TRY_CAST(rate AS DOUBLE) <= 0`,
			`SELECT line_no, 'currency "' || currency || '" is not an ISO 4217 code' FROM ref_raw WHERE NOT regexp_full_match(currency, '[A-Z]{3}')`,
			`SELECT line_no, 'duplicate rate for ' || currency || ' on ' || date || ' (first on line ' || first_line || ')'
			 FROM (SELECT line_no, currency, date, min(line_no) OVER (PARTITION BY currency, date) AS first_line FROM ref_raw)
			 WHERE line_no > first_line`,
		},
	},
	{
		key: "targets", table: "targets",
		cols: []refCol{{"year", "INTEGER", true}, {"scope", "", true}, {"scope_id", "", true}, {"kpi", "", true},
			{"target", "DECIMAL(18,2)", true}, {"month", "INTEGER", false}},
		checks: []string{
			`SELECT line_no, 'unknown scope "' || scope || '" (want total, territory, sales_rep, partner, product_line or distributor)' FROM ref_raw WHERE scope NOT IN ('total', 'territory', 'sales_rep', 'partner', 'product_line', 'distributor')`,
			`SELECT line_no, 'unknown kpi "' || kpi || '" (want revenue or units)' FROM ref_raw WHERE kpi NOT IN ('revenue', 'units')`,
			`SELECT line_no, 'month ' || month || ' is not between 1 and 12' FROM ref_raw WHERE TRY_CAST(month AS INTEGER) NOT BETWEEN 1 AND 12`,
			`SELECT line_no, 'target ' || target || ' is negative' FROM ref_raw WHERE TRY_CAST(target AS DOUBLE) < 0`,
			`SELECT line_no, 'duplicate target for ' || scope || ' ' || scope_id || ' ' || kpi || ' ' || year || coalesce(' month ' || month, '') || ' (first on line ' || first_line || ')'
			 FROM (SELECT line_no, scope, scope_id, kpi, year, month, min(line_no) OVER (PARTITION BY year, scope, scope_id, kpi, month) AS first_line FROM ref_raw)
			 WHERE line_no > first_line`,
		},
	},
	{
		key: "reps", table: "reps",
		cols: []refCol{{"sales_rep", "", true}, {"name", "", false}, {"email", "", false}, {"manager_email", "", false}, {"territory", "", false}},
		checks: []string{
			`SELECT line_no, 'duplicate sales_rep "' || sales_rep || '" (first on line ' || first_line || ')'
			 FROM (SELECT line_no, sales_rep, min(line_no) OVER (PARTITION BY sales_rep) AS first_line FROM ref_raw WHERE sales_rep IS NOT NULL)
			 WHERE line_no > first_line`,
			`SELECT line_no, 'email "' || email || '" is not an e-mail address' FROM ref_raw WHERE email IS NOT NULL AND NOT regexp_full_match(email, '[^@\s<>]+@[^@\s<>]+')`,
			`SELECT line_no, 'manager_email "' || manager_email || '" is not an e-mail address' FROM ref_raw WHERE manager_email IS NOT NULL AND NOT regexp_full_match(manager_email, '[^@\s<>]+@[^@\s<>]+')`,
		},
	},
}

func refSource(r *config.Reference, key string) config.RefSource {
	switch key {
	case "channel_db":
		return r.ChannelDB
	case "products":
		return r.Products
	case "fx_rates":
		return r.FXRates
	case "targets":
		return r.Targets
	case "reps":
		return r.Reps
	}
	return config.RefSource{}
}

// RefResult tells which reference sets changed since they were last loaded.
type RefResult struct {
	Changed Changed
	Rows    map[string]int64
}

// Changed says which reference sets differ from the ones loaded by the previous run,
// for the later steps that recompute what depends on them.
type Changed struct {
	ChannelDB, Products, FXRates, Targets, Reps bool
}

func (c *Changed) set(key string, v bool) {
	switch key {
	case "channel_db":
		c.ChannelDB = v
	case "products":
		c.Products = v
	case "fx_rates":
		c.FXRates = v
	case "targets":
		c.Targets = v
	case "reps":
		c.Reps = v
	}
}

// loadReference replaces each reference table with its file, inside tx, after checking
// every row; all problems of all files are returned together.
func LoadReference(ctx context.Context, tx *sql.Tx, ref *config.Reference) (RefResult, error) {
	res := RefResult{Rows: map[string]int64{}}
	var problems []string
	for _, spec := range refSpecs {
		src := refSource(ref, spec.key)
		if src.File == "" && src.Postgres == nil {
			continue
		}
		label := "reference." + spec.key
		file := src.File
		if src.Postgres != nil {
			// The query's rows are streamed to a CSV file that is then read and
			// checked exactly as a reference file would be.
			tmp, err := postgresToCSV(ctx, *src.Postgres)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", label, err))
				continue
			}
			defer os.Remove(tmp)
			file = tmp
		}
		sum, err := fileSHA256(file)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", label, err))
			continue
		}
		if src.Postgres != nil {
			label += " (postgres query)"
		} else {
			label += " (" + filepath.Base(src.File) + ")"
		}
		var prev string
		err = tx.QueryRowContext(ctx, `SELECT sha256 FROM reference_loads WHERE name = ?`, spec.key).Scan(&prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return res, fmt.Errorf("%s: read the previous load: %w", label, err)
		}
		msgs, n, err := loadRefTable(ctx, tx, spec, file)
		if err != nil {
			return res, fmt.Errorf("%s: %w", label, err)
		}
		for _, m := range msgs {
			if strings.HasPrefix(m, ":") {
				problems = append(problems, label+m)
			} else {
				problems = append(problems, label+" "+m)
			}
		}
		if len(msgs) > 0 {
			continue
		}
		res.Rows[spec.key] = n
		res.Changed.set(spec.key, prev != sum)
		if _, err := tx.ExecContext(ctx, `DELETE FROM reference_loads WHERE name = ?`, spec.key); err != nil {
			return res, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reference_loads VALUES (?, ?, ?, now())`, spec.key, sum, n); err != nil {
			return res, err
		}
	}
	if len(problems) > 0 {
		return res, &RefError{Problems: problems}
	}
	return res, nil
}

// RefError lists every problem found in the reference files.
type RefError struct{ Problems []string }

func (e *RefError) Error() string {
	return "reference data is invalid:\n  " + strings.Join(e.Problems, "\n  ")
}

// loadRefTable reads one file into ref_raw (text), checks it, and replaces the table.
func loadRefTable(ctx context.Context, tx *sql.Tx, spec refSpec, file string) ([]string, int64, error) {
	var reader string
	switch strings.ToLower(filepath.Ext(file)) {
	case ".csv":
		reader = "read_csv(?, all_varchar = true, header = true, parallel = false)"
	case ".parquet":
		reader = "read_parquet(?)"
	case ".xlsx":
		// The first sheet, header on row 1, converted to a CSV that DuckDB reads like
		// the others (date cells become ISO dates, numbers keep their exact value).
		csvPath, err := xlsxToCSV(file)
		if err != nil {
			return []string{": cannot be read: " + err.Error()}, 0, nil
		}
		defer os.Remove(csvPath)
		file = csvPath
		reader = "read_csv(?, all_varchar = true, header = true, parallel = false)"
	default:
		return []string{": reference files are .csv, .parquet or .xlsx"}, 0, nil
	}
	cols, err := describe(ctx, tx, "SELECT * FROM "+reader, file)
	if err != nil {
		return []string{": cannot be read: " + firstLine(err.Error())}, 0, nil
	}
	have := map[string]string{}
	for _, c := range cols {
		have[strings.ToLower(strings.TrimSpace(c))] = c
	}
	var sel []string
	var missing []string
	for _, c := range spec.cols {
		orig, ok := have[c.name]
		switch {
		case ok:
			sel = append(sel, fmt.Sprintf("nullif(trim(CAST(%s AS VARCHAR)), '') AS %s", warehouse.QuoteIdent(orig), c.name))
		case c.required:
			missing = append(missing, c.name)
		default:
			sel = append(sel, "CAST(NULL AS VARCHAR) AS "+c.name)
		}
	}
	if len(missing) > 0 {
		return []string{fmt.Sprintf(": missing required column(s) %s (found: %s)", strings.Join(missing, ", "), strings.Join(cols, ", "))}, 0, nil
	}
	q := "CREATE OR REPLACE TEMP TABLE ref_raw AS SELECT row_number() OVER () + 1 AS line_no, " + strings.Join(sel, ", ") + " FROM " + reader
	if _, err := tx.ExecContext(ctx, q, file); err != nil {
		return []string{": cannot be read: " + firstLine(err.Error())}, 0, nil
	}
	var checks []string
	for _, c := range spec.cols {
		if c.required {
			checks = append(checks, fmt.Sprintf(`SELECT line_no, '%s is empty (required)' FROM ref_raw WHERE %s IS NULL`, c.name, c.name))
		}
		if c.typ != "" {
			checks = append(checks, fmt.Sprintf(`SELECT line_no, '%s "' || %s || '" is not a valid %s' FROM ref_raw WHERE %s IS NOT NULL AND TRY_CAST(%s AS %s) IS NULL`,
				c.name, c.name, strings.ToLower(strings.Fields(strings.ReplaceAll(c.typ, "(", " "))[0]), c.name, c.name, c.typ))
		}
	}
	checks = append(checks, spec.checks...)
	var msgs []string
	for _, q := range checks {
		rows, err := tx.QueryContext(ctx, q+" ORDER BY 1 LIMIT 20")
		if err != nil {
			return nil, 0, fmt.Errorf("check: %w", err)
		}
		for rows.Next() {
			var line int64
			var msg string
			if err := rows.Scan(&line, &msg); err != nil {
				rows.Close()
				return nil, 0, err
			}
			msgs = append(msgs, fmt.Sprintf("line %d: %s", line, msg))
		}
		rows.Close()
	}
	if len(msgs) > 0 {
		return msgs, 0, nil
	}
	names := make([]string, len(spec.cols))
	exprs := make([]string, len(spec.cols))
	for i, c := range spec.cols {
		names[i] = c.name
		exprs[i] = c.name
		if c.typ != "" {
			exprs[i] = fmt.Sprintf("CAST(%s AS %s)", c.name, c.typ)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+spec.table); err != nil {
		return nil, 0, err
	}
	out, err := tx.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM ref_raw", spec.table, strings.Join(names, ", "), strings.Join(exprs, ", ")))
	if err != nil {
		return nil, 0, fmt.Errorf("replace %s: %w", spec.table, err)
	}
	n, _ := out.RowsAffected()
	return nil, n, nil
}

func describe(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, "DESCRIBE "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var name, typ string
		var a, b, c, d sql.NullString
		if err := rows.Scan(&name, &typ, &a, &b, &c, &d); err != nil {
			return nil, err
		}
		cols = append(cols, name)
	}
	return cols, rows.Err()
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// xlsxToCSV writes the first sheet of a workbook to a temporary CSV file.
func xlsxToCSV(path string) (string, error) {
	rd, err := formats.NewXLSXReader(path, formats.XLSXOptions{HeaderRow: 1})
	if err != nil {
		return "", err
	}
	defer rd.Close()
	header, _, err := rd.Header()
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp("", "salesout-ref-*.csv")
	if err != nil {
		return "", err
	}
	w := csv.NewWriter(f)
	w.Write(header)
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil && rec.Err != nil {
			err = fmt.Errorf("row %d: %w", rec.Line, rec.Err)
		}
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			return "", err
		}
		row := make([]string, len(header))
		copy(row, rec.Fields)
		w.Write(row)
	}
	w.Flush()
	if err := errors.Join(w.Error(), f.Close()); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// postgresToCSV streams a reference query's rows into a temporary CSV file (header from
// the query's column names, NULL as an empty field) and returns its path.
func postgresToCSV(ctx context.Context, pg config.Postgres) (string, error) {
	f, err := os.CreateTemp("", "salesout-ref-*.csv")
	if err != nil {
		return "", err
	}
	w := csv.NewWriter(f)
	err = postgres.Query(ctx, postgres.Options{DSN: string(pg.DSN), Query: pg.Query}, func(cols []string, row []*string) error {
		if cols != nil {
			return w.Write(cols)
		}
		rec := make([]string, len(row))
		for i, v := range row {
			if v != nil {
				rec[i] = *v
			}
		}
		return w.Write(rec)
	})
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
