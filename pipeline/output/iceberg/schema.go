package iceberg

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/salesout/salesout/pipeline/warehouse"
)

// column is one column of a catalog table's query, with its DuckDB type.
type column struct{ name, typ string }

// describe returns the columns of query, with DuckDB's type names.
func describe(ctx context.Context, conn *sql.Conn, query string) ([]column, error) {
	rows, err := conn.QueryContext(ctx, "DESCRIBE "+query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	colNames, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var cols []column
	for rows.Next() {
		vals := make([]any, len(colNames))
		for i := range vals {
			vals[i] = new(sql.NullString)
		}
		if err := rows.Scan(vals...); err != nil {
			return nil, err
		}
		cols = append(cols, column{name: vals[0].(*sql.NullString).String, typ: vals[1].(*sql.NullString).String})
	}
	return cols, rows.Err()
}

// exportExpr is the SQL expression that turns column c into a type Iceberg's format
// version 2 has, and the DuckDB type it then has. DuckDB writes it to Parquet, which
// arrow-go reads and iceberg-go writes again:
//
//	BOOLEAN, INTEGER, BIGINT, FLOAT, DOUBLE, DATE, TIME, BLOB  as they are
//	TINYINT, SMALLINT, UTINYINT, USMALLINT                     INTEGER (int)
//	UINTEGER                                                   BIGINT (long)
//	UBIGINT, HUGEINT, UHUGEINT                                 DECIMAL(38,0)
//	DECIMAL(p,s)                                               decimal(p,s)
//	TIMESTAMP, TIMESTAMP_S/_MS/_NS                             TIMESTAMP (µs, no zone)
//	TIMESTAMP WITH TIME ZONE                                   timestamptz (µs, UTC)
//	VARCHAR, ENUM, UUID, INTERVAL, JSON and the rest           VARCHAR (string)
//	LIST, STRUCT, MAP, ARRAY, UNION                            their JSON text (string)
func exportExpr(c column) (expr, typ string) {
	q := warehouse.QuoteIdent(c.name)
	t := strings.ToUpper(c.typ)
	as := func(typ string) (string, string) { return "CAST(" + q + " AS " + typ + ")", typ }
	switch {
	case strings.HasSuffix(t, "[]") || strings.HasSuffix(t, "]") || strings.HasPrefix(t, "STRUCT") ||
		strings.HasPrefix(t, "MAP") || strings.HasPrefix(t, "UNION"):
		return "CAST(to_json(" + q + ") AS VARCHAR)", "VARCHAR"
	case t == "BOOLEAN", t == "INTEGER", t == "BIGINT", t == "FLOAT", t == "DOUBLE", t == "DATE",
		t == "TIME", t == "BLOB", t == "VARCHAR", t == "TIMESTAMP", t == "TIMESTAMP WITH TIME ZONE",
		strings.HasPrefix(t, "DECIMAL("):
		return q, t
	case t == "TINYINT", t == "SMALLINT", t == "UTINYINT", t == "USMALLINT":
		return as("INTEGER")
	case t == "UINTEGER":
		return as("BIGINT")
	case t == "UBIGINT", t == "HUGEINT", t == "UHUGEINT":
		return as("DECIMAL(38,0)")
	case t == "TIMESTAMP_S", t == "TIMESTAMP_MS", t == "TIMESTAMP_NS":
		return as("TIMESTAMP")
	default:
		return as("VARCHAR")
	}
}

// partitionField is one field of a table's Iceberg partition spec.
type partitionField struct {
	column    string
	transform string // "identity" (a VARCHAR column) or "month" (a DATE column)
}

// asOfTables are the analytics tables that keep one set of rows per as_of date: they
// are partitioned by month(as_of), so that a run rewrites the current month only.
var asOfTables = []string{"partner_scores", "territory_coverage", "trade_coverage", "programme_kpis",
	"kpi_deviations", "channel_stock", "product_adoption"}

// partitioning is the partition spec of a catalog table: sales_out by distributor and
// month of invoice_date (the Parquet export's distributor/year/month folders), the
// as_of tables by month(as_of), and the others (small, or keyed by something other
// than time) unpartitioned.
func partitioning(table string) []partitionField {
	if table == "sales_out" {
		return []partitionField{{"distributor", "identity"}, {"invoice_date", "month"}}
	}
	for _, t := range asOfTables {
		if t == table {
			return []partitionField{{"as_of", "month"}}
		}
	}
	return nil
}

// partitionParts are the SQL expressions of a row's partition values, typed, named
// __p0, __p1...: the column itself (identity, VARCHAR) or the first day of its month
// (month, DATE). keyParts are the same values taken from k, a partition key as a
// VARCHAR list.
func partitionParts(fields []partitionField) (parts, keyParts []string) {
	for i, f := range fields {
		q := warehouse.QuoteIdent(f.column)
		k := fmt.Sprintf("k[%d]", i+1)
		switch f.transform {
		case "month":
			parts = append(parts, "CAST(date_trunc('month', "+q+") AS DATE)")
			keyParts = append(keyParts, "CAST("+k+" AS DATE)")
		default:
			parts = append(parts, q)
			keyParts = append(keyParts, k)
		}
	}
	return parts, keyParts
}

// partName is the name of the i-th partition value in the staging queries.
func partName(i int) string { return fmt.Sprintf("__salesout_p%d", i) }

// checkPartitioning says whether the table's columns can carry its partition spec.
func checkPartitioning(fields []partitionField, cols []column) error {
	for _, f := range fields {
		var typ string
		for _, c := range cols {
			if c.name == f.column {
				typ = strings.ToUpper(c.typ)
			}
		}
		switch {
		case typ == "":
			return fmt.Errorf("partition column %s is missing", f.column)
		case f.transform == "identity" && typ != "VARCHAR":
			return fmt.Errorf("partition column %s is %s: identity partitions need VARCHAR", f.column, typ)
		case f.transform == "month" && typ != "DATE":
			return fmt.Errorf("partition column %s is %s: month partitions need DATE", f.column, typ)
		}
	}
	return nil
}
