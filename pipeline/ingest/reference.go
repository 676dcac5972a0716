package ingest

import (
	"cmp"
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
	"slices"
	"strings"

	"github.com/rs/zerolog"

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
	checks []string // queries over ref_raw returning (line_no, message): problems that stop the run
	// warnings are queries like checks whose rows are only logged: what is odd but may
	// be meant (a target for a territory nobody covers yet). They may read the tables of
	// the sets loaded before this one in refSpecs.
	warnings []string
	insertAs map[string]string // column: the expression over ref_raw that fills it, instead of the column itself
	// anyOf are optional columns of which the file must have at least one, and each row
	// at least one non-empty (sales_in: sku or product_line).
	anyOf []string
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
		// reps come before targets: the warnings about targets read them.
		key: "reps", table: "reps",
		cols: []refCol{{"sales_rep", "", true}, {"name", "", false}, {"email", "", false}, {"manager_email", "", false}, {"territory", "", false}},
		checks: []string{
			// one row per rep and territory: a rep who covers several territories has several
			// rows, which must agree on who the rep is
			`SELECT line_no, 'duplicate row for sales_rep "' || sales_rep || '" and territory "' || coalesce(territory, '') || '" (first on line ' || first_line || ')'
			 FROM (SELECT line_no, sales_rep, territory, min(line_no) OVER (PARTITION BY sales_rep, territory) AS first_line FROM ref_raw WHERE sales_rep IS NOT NULL)
			 WHERE line_no > first_line`,
			repsAgree("name"),
			repsAgree("email"),
			`SELECT line_no, 'email "' || email || '" is not an e-mail address' FROM ref_raw WHERE email IS NOT NULL AND NOT regexp_full_match(email, '[^@\s<>]+@[^@\s<>]+')`,
			`SELECT line_no, 'manager_email "' || manager_email || '" is not an e-mail address' FROM ref_raw WHERE manager_email IS NOT NULL AND NOT regexp_full_match(manager_email, '[^@\s<>]+@[^@\s<>]+')`,
		},
	},
	{
		key: "targets", table: "targets",
		// scope_id is required but for scope total, where it is only a label: empty, or
		// the column absent, is stored as ''.
		cols: []refCol{{"year", "INTEGER", true}, {"scope", "", true}, {"scope_id", "", false}, {"kpi", "", true},
			{"target", "DECIMAL(18,2)", true}, {"month", "INTEGER", false}},
		checks: []string{
			`SELECT line_no, 'unknown scope "' || scope || '" (want total, territory, sales_rep, partner, product_line or distributor)' FROM ref_raw WHERE scope NOT IN ('total', 'territory', 'sales_rep', 'partner', 'product_line', 'distributor')`,
			`SELECT line_no, 'scope_id is empty (required for scope ' || scope || ')' FROM ref_raw WHERE scope_id IS NULL AND scope <> 'total'`,
			`SELECT line_no, 'unknown kpi "' || kpi || '" (want revenue or units)' FROM ref_raw WHERE kpi NOT IN ('revenue', 'units')`,
			`SELECT line_no, 'month ' || month || ' is not between 1 and 12' FROM ref_raw WHERE TRY_CAST(month AS INTEGER) NOT BETWEEN 1 AND 12`,
			`SELECT line_no, 'target ' || target || ' is negative' FROM ref_raw WHERE TRY_CAST(target AS DOUBLE) < 0`,
			`SELECT line_no, 'duplicate target for ' || scope || coalesce(' ' || scope_id, '') || ' ' || kpi || ' ' || year || coalesce(' month ' || month, '') || ' (first on line ' || first_line || ')'
			 FROM (SELECT line_no, scope, scope_id, kpi, year, month, min(line_no) OVER (PARTITION BY year, scope, scope_id, kpi, month) AS first_line FROM ref_raw)
			 WHERE line_no > first_line`,
		},
		// A target naming what the other reference data do not know compares with no
		// sales: a typo, or a territory or rep not staffed yet. Checked only against
		// reference sets that have rows.
		warnings: []string{
			`SELECT line_no, 'territory "' || scope_id || '" is in neither the channel database nor reps: no sales will count for this target'
			 FROM ref_raw WHERE scope = 'territory' AND scope_id NOT IN (SELECT territory FROM partners WHERE territory IS NOT NULL UNION ALL SELECT territory FROM reps WHERE territory IS NOT NULL)
			   AND (EXISTS (SELECT 1 FROM partners) OR EXISTS (SELECT 1 FROM reps))`,
			`SELECT line_no, 'sales_rep "' || scope_id || '" is in neither reps nor the channel database: no sales will count for this target'
			 FROM ref_raw WHERE scope = 'sales_rep' AND scope_id NOT IN (SELECT sales_rep FROM reps UNION ALL SELECT sales_rep FROM partners WHERE sales_rep IS NOT NULL)
			   AND (EXISTS (SELECT 1 FROM partners) OR EXISTS (SELECT 1 FROM reps))`,
			`SELECT line_no, 'product_line "' || scope_id || '" is not in products: no sales will count for this target'
			 FROM ref_raw WHERE scope = 'product_line' AND scope_id NOT IN (SELECT product_line FROM products WHERE product_line IS NOT NULL)
			   AND EXISTS (SELECT 1 FROM products)`,
			`SELECT line_no, 'partner "' || scope_id || '" is not in the channel database: no sales will count for this target'
			 FROM ref_raw WHERE scope = 'partner' AND scope_id NOT IN (SELECT partner_id FROM partners)
			   AND EXISTS (SELECT 1 FROM partners)`,
		},
		insertAs: map[string]string{"scope_id": "coalesce(scope_id, '')"},
	},
	{
		// sales_in comes after products: its warnings read them. Rows of the same
		// distributor, product and month add up (invoice lines may be given one by one);
		// a negative quantity is a credit note or a return to the manufacturer.
		key: "sales_in", table: "sales_in",
		cols: []refCol{{"distributor", "", true}, {"sku", "", false}, {"product_line", "", false}, {"month", "", true},
			{"quantity", "DECIMAL(18,3)", true}, {"amount", "DECIMAL(18,2)", false}},
		anyOf: []string{"sku", "product_line"},
		checks: []string{
			`SELECT line_no, 'month "' || month || '" is not a month (YYYY-MM) or a date (YYYY-MM-DD)' FROM ref_raw WHERE month IS NOT NULL AND ` + salesInMonth + ` IS NULL`,
		},
		// What is odd but may be meant: each leaves rows out of channel_stock or makes
		// its stock only grow.
		warnings: []string{
			`SELECT line_no, 'quantity ' || quantity || ' and amount ' || amount || ' have opposite signs' FROM ref_raw
			 WHERE TRY_CAST(quantity AS DOUBLE) * TRY_CAST(amount AS DOUBLE) < 0`,
			`SELECT r.line_no, CASE WHEN r.product_line IS NULL AND p.sku IS NULL
			                       THEN 'sku "' || r.sku || '" is not in products and the row gives no product_line: left out of channel_stock'
			                       WHEN r.product_line IS NULL
			                       THEN 'sku "' || r.sku || '" has no product_line in products and the row gives none: left out of channel_stock'
			                       ELSE 'sku "' || r.sku || '" is in product line "' || p.product_line || '" in products, not "' || r.product_line || '": counted in "' || p.product_line || '"' END
			 FROM ref_raw r LEFT JOIN (SELECT sku, any_value(product_line) AS product_line FROM products WHERE distributor IS NULL GROUP BY sku) p ON p.sku = r.sku
			 WHERE r.sku IS NOT NULL AND (p.product_line IS NULL AND r.product_line IS NULL OR p.product_line <> r.product_line)`,
			`SELECT line_no, 'product_line "' || product_line || '" is not a product line of products: no sales-out will count against it' FROM ref_raw
			 WHERE product_line NOT IN (SELECT product_line FROM products WHERE product_line IS NOT NULL)
			   AND (sku IS NULL OR sku NOT IN (SELECT sku FROM products WHERE distributor IS NULL AND product_line IS NOT NULL))
			   AND EXISTS (SELECT 1 FROM products WHERE product_line IS NOT NULL)`,
			`SELECT min(line_no), 'distributor "' || distributor || '" has sent no sales-out lines: its channel stock will only grow (first of its rows)' FROM ref_raw
			 WHERE distributor NOT IN (SELECT distributor FROM files WHERE lines_loaded > 0) AND EXISTS (SELECT 1 FROM files WHERE lines_loaded > 0)
			 GROUP BY distributor`,
		},
		insertAs: map[string]string{"month": salesInMonth},
	},
}

// salesInMonth is the month of a sales_in row as its first day: from YYYY-MM, or from a
// date YYYY-MM-DD (a time after it, as a timestamp column gives, is ignored); NULL when
// month is neither.
const salesInMonth = `date_trunc('month', CASE WHEN regexp_full_match(month, '[0-9]{4}-[0-9]{2}') THEN TRY_CAST(month || '-01' AS DATE)
	WHEN regexp_full_match(month, '[0-9]{4}-[0-9]{2}-[0-9]{2}([ T].*)?') THEN TRY_CAST(left(month, 10) AS DATE) END)::DATE`

// repsAgree is the check that a rep's rows give the same value of col (name or email):
// each row that differs from the rep's first row is a problem.
func repsAgree(col string) string {
	return fmt.Sprintf(`SELECT line_no, 'sales_rep "' || sales_rep || '" has %[1]s "' || coalesce(%[1]s, '') || '" here but "' || coalesce(first_val, '') || '" on line ' || first_line || ' (a rep''s rows must give the same name and email)'
		FROM (SELECT line_no, sales_rep, %[1]s,
		             first_value(%[1]s) OVER w AS first_val, first_value(line_no) OVER w AS first_line
		      FROM ref_raw WHERE sales_rep IS NOT NULL
		      WINDOW w AS (PARTITION BY sales_rep ORDER BY line_no))
		WHERE %[1]s IS DISTINCT FROM first_val`, col)
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
	case "sales_in":
		return r.SalesIn
	}
	return config.RefSource{}
}

// RefResult tells which reference sets changed since they were last loaded.
type RefResult struct {
	Changed  Changed
	Rows     map[string]int64
	Warnings []string // what is odd but loaded, as "reference.targets (targets.csv) line 7: ..."; each is also logged
}

// Changed says which reference sets differ from the ones loaded by the previous run,
// for the later steps that recompute what depends on them.
type Changed struct {
	ChannelDB, Products, FXRates, Targets, Reps, SalesIn bool
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
	case "sales_in":
		c.SalesIn = v
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
		msgs, warns, n, err := loadRefTable(ctx, tx, spec, file)
		if err != nil {
			return res, fmt.Errorf("%s: %w", label, err)
		}
		for _, w := range warns {
			zerolog.Ctx(ctx).Warn().Str("reference", spec.key).Str("file", cmp.Or(src.File, "postgres query")).
				Int64("line", w.line).Msg(w.msg)
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s line %d: %s", label, w.line, w.msg))
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

// refNote is a row of a check or warning query: a line of the file and what is wrong with it.
type refNote struct {
	line int64
	msg  string
}

// refNotes runs check or warning queries over ref_raw, at most limit rows each.
func refNotes(ctx context.Context, tx *sql.Tx, queries []string, limit int) ([]refNote, error) {
	var notes []refNote
	for _, q := range queries {
		rows, err := tx.QueryContext(ctx, fmt.Sprintf("%s ORDER BY 1 LIMIT %d", q, limit))
		if err != nil {
			return nil, fmt.Errorf("check: %w", err)
		}
		for rows.Next() {
			var n refNote
			if err := rows.Scan(&n.line, &n.msg); err != nil {
				rows.Close()
				return nil, err
			}
			notes = append(notes, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return notes, nil
}

// loadRefTable reads one file into ref_raw (text), checks it, and replaces the table.
// It returns the problems (the table is then left as it was), or the warnings.
func loadRefTable(ctx context.Context, tx *sql.Tx, spec refSpec, file string) ([]string, []refNote, int64, error) {
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
			return []string{": cannot be read: " + err.Error()}, nil, 0, nil
		}
		defer os.Remove(csvPath)
		file = csvPath
		reader = "read_csv(?, all_varchar = true, header = true, parallel = false)"
	default:
		return []string{": reference files are .csv, .parquet or .xlsx"}, nil, 0, nil
	}
	cols, err := describe(ctx, tx, "SELECT * FROM "+reader, file)
	if err != nil {
		return []string{": cannot be read: " + firstLine(err.Error())}, nil, 0, nil
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
		return []string{fmt.Sprintf(": missing required column(s) %s (found: %s)", strings.Join(missing, ", "), strings.Join(cols, ", "))}, nil, 0, nil
	}
	if len(spec.anyOf) > 0 && !slices.ContainsFunc(spec.anyOf, func(c string) bool { _, ok := have[c]; return ok }) {
		return []string{fmt.Sprintf(": missing column %s (one of them is required; found: %s)", strings.Join(spec.anyOf, " or "), strings.Join(cols, ", "))}, nil, 0, nil
	}
	q := "CREATE OR REPLACE TEMP TABLE ref_raw AS SELECT row_number() OVER () + 1 AS line_no, " + strings.Join(sel, ", ") + " FROM " + reader
	if _, err := tx.ExecContext(ctx, q, file); err != nil {
		return []string{": cannot be read: " + firstLine(err.Error())}, nil, 0, nil
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
	if len(spec.anyOf) > 0 {
		checks = append(checks, fmt.Sprintf(`SELECT line_no, 'neither %s is given (one is required)' FROM ref_raw WHERE coalesce(%s) IS NULL`,
			strings.Join(spec.anyOf, " nor "), strings.Join(spec.anyOf, ", ")))
	}
	checks = append(checks, spec.checks...)
	problems, err := refNotes(ctx, tx, checks, 20)
	if err != nil {
		return nil, nil, 0, err
	}
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = fmt.Sprintf("line %d: %s", p.line, p.msg)
		}
		return msgs, nil, 0, nil
	}
	warns, err := refNotes(ctx, tx, spec.warnings, 50)
	if err != nil {
		return nil, nil, 0, err
	}
	names := make([]string, len(spec.cols))
	exprs := make([]string, len(spec.cols))
	for i, c := range spec.cols {
		names[i] = c.name
		exprs[i] = c.name
		if c.typ != "" {
			exprs[i] = fmt.Sprintf("CAST(%s AS %s)", c.name, c.typ)
		}
		if e, ok := spec.insertAs[c.name]; ok {
			exprs[i] = e
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+spec.table); err != nil {
		return nil, nil, 0, err
	}
	out, err := tx.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM ref_raw", spec.table, strings.Join(names, ", "), strings.Join(exprs, ", ")))
	if err != nil {
		return nil, nil, 0, fmt.Errorf("replace %s: %w", spec.table, err)
	}
	n, _ := out.RowsAffected()
	return nil, warns, n, nil
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
