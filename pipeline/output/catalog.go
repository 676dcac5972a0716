package output

// Table is one table analysts get: the query that fills it from the worker's database,
// how the Parquet export partitions it (Hive style), and the columns that identify a row.
type Table struct {
	Name        string
	Query       string
	PartitionBy []string // columns of Query or Derived, in folder order
	Derived     string   // extra columns the Parquet export computes for its partitions
	Key         []string
}

// Catalog lists the tables of every output (the Parquet export and the snapshot), in the
// order they are written.
var Catalog = []Table{
	{Name: "sales_out", Query: "SELECT * FROM sales_out ORDER BY distributor, invoice_date, line_id",
		Derived: "year(invoice_date) AS year, month(invoice_date) AS month", PartitionBy: []string{"distributor", "year", "month"}, Key: []string{"line_id"}},
	{Name: "quarantine", Query: "SELECT * FROM quarantine ORDER BY file_id, line_no", Key: []string{"file_id", "line_no"}},
	{Name: "files", Query: "SELECT * FROM files ORDER BY file_id", Key: []string{"file_id"}},
	{Name: "file_loads", Query: "SELECT * FROM file_loads ORDER BY file_id, loaded_at", Key: []string{"file_id", "loaded_at"}},
	{Name: "partners", Query: "SELECT * FROM partners ORDER BY partner_id", Key: []string{"partner_id"}},
	{Name: "partner_matches", Query: "SELECT * FROM partner_matches ORDER BY distributor, reseller_id, reseller_name",
		Key: []string{"distributor", "reseller_id", "reseller_name", "reseller_postcode"}},
	{Name: "match_review", Query: "SELECT * FROM match_review ORDER BY rank", Key: []string{"rank"}},
	{Name: "match_coverage", Query: "SELECT * FROM match_coverage ORDER BY distributor, method", Key: []string{"distributor", "method"}},
	{Name: "match_changes", Query: "SELECT * FROM match_changes ORDER BY changed_at, distributor, reseller_id, reseller_name",
		Key: []string{"distributor", "reseller_id", "reseller_name", "reseller_postcode", "changed_at"}},
	{Name: "match_weights", Query: "SELECT * FROM match_weights ORDER BY comparison, weight DESC", Key: []string{"comparison", "level"}},
	{Name: "partner_scores", Query: "SELECT * FROM partner_scores ORDER BY as_of, partner_id", Key: []string{"as_of", "partner_id"}},
	{Name: "territory_coverage", Query: "SELECT * FROM territory_coverage ORDER BY as_of, territory", Key: []string{"as_of", "territory"}},
	{Name: "trade_coverage", Query: "SELECT * FROM trade_coverage ORDER BY as_of, trade", Key: []string{"as_of", "trade"}},
	{Name: "programme_kpis", Query: "SELECT * FROM programme_kpis ORDER BY as_of, kpi", Key: []string{"as_of", "kpi"}},
	{Name: "postcode_territories", Query: "SELECT * FROM postcode_territories ORDER BY country, postcode", Key: []string{"country", "postcode"}},
	{Name: "kpi_deviations", Query: "SELECT * FROM kpi_deviations ORDER BY as_of, scope, scope_id, kpi, period",
		Key: []string{"as_of", "scope", "scope_id", "kpi", "period"}},
	{Name: "channel_stock", Query: "SELECT * FROM channel_stock ORDER BY as_of, distributor, product_line, month",
		Key: []string{"as_of", "distributor", "product_line", "month"}},
	{Name: "product_adoption", Query: "SELECT * FROM product_adoption ORDER BY as_of, sku", Key: []string{"as_of", "sku"}},
	{Name: "alerts", Query: "SELECT * FROM alerts ORDER BY alert_id", Key: []string{"alert_id"}},
	{Name: "alert_digests", Query: "SELECT * EXCLUDE (message) FROM alert_digests ORDER BY digest_id", Key: []string{"digest_id"}},
	{Name: "alert_digest_items", Query: "SELECT * FROM alert_digest_items ORDER BY digest_id, alert_id", Key: []string{"digest_id", "alert_id"}},
	{Name: "runs", Query: "SELECT * FROM runs ORDER BY run_id", Key: []string{"run_id"}},
	{Name: "products", Query: "SELECT * FROM products", Key: []string{"sku", "distributor", "distributor_sku"}},
	{Name: "fx_rates", Query: "SELECT * FROM fx_rates ORDER BY currency, date", Key: []string{"currency", "date"}},
	{Name: "sales_in", Query: "SELECT * FROM sales_in ORDER BY distributor, month", Key: []string{"distributor", "sku", "product_line", "month"}},
	{Name: "targets", Query: "SELECT * FROM targets", Key: []string{"year", "scope", "scope_id", "kpi", "month"}},
	{Name: "reps", Query: "SELECT * FROM reps ORDER BY sales_rep, territory", Key: []string{"sales_rep", "territory"}},
	{Name: "unknown_products", Query: "SELECT * FROM unknown_products", Key: []string{"distributor", "sku"}},
}

// Views are the step files (under sql/) that define the views and macros analysts get
// beside the tables, with their comments: the snapshot runs each of them after copying
// the tables, so that they read the snapshot's own tables, and so does the worker's
// database before each snapshot. The Parquet export has no views.
var Views = []string{"score/partner_movements.sql", "views/partner_scorecard.sql", "views/deviations_by_manager.sql"}
