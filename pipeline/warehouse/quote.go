package warehouse

import "strings"

// QuoteIdent quotes a SQL identifier (a column or table name that came from a config or
// a file header) so that it is always read as one name, whatever it contains.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteString quotes a SQL string literal. It is only for the few statements where
// DuckDB accepts no bound parameter (ATTACH, COMMENT ON); values everywhere else are
// bound.
func QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
