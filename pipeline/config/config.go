// Package config is the YAML contract of salesout as Go types: the whole schema of
// shared/docs/contract.md, including the sections that later stages implement.
//
// A Config is read once by Load, which expands ${VAR}, resolves relative paths against
// the config file's folder, rejects unknown keys and validates everything, returning
// every problem at once with its key path. After Load the rest of the program trusts it.
package config

import (
	"fmt"
	"slices"
	"time"

	"github.com/salesout/salesout/connectors"
)

// Secret is a credential from the config: it prints and marshals as ***; only the
// client library that needs it gets string(s).
type Secret = connectors.Secret

// Config is one salesout configuration file.
type Config struct {
	Timezone     string         `yaml:"timezone"`
	BaseCurrency string         `yaml:"base_currency"`
	Warehouse    Warehouse      `yaml:"warehouse"`
	Sources      []Source       `yaml:"sources"`
	Feeds        []Feed         `yaml:"feeds"`
	Reference    Reference      `yaml:"reference"`
	Scoring      Scoring        `yaml:"scoring"`
	Matching     Matching       `yaml:"matching"`
	Alerts       Alerts         `yaml:"alerts"`
	Export       Export         `yaml:"export"`
	Schedule     []Schedule     `yaml:"schedule"`
	HTTP         HTTP           `yaml:"http"`
	Load         LoadSettings   `yaml:"load"`
	Landing      string         `yaml:"landing"` // content-addressed copies of fetched files; default next to warehouse.path
	Location     *time.Location `yaml:"-"`
	// Dir is the folder of the config file; relative paths were resolved against it.
	Dir string `yaml:"-"`
	// File is the config file's path as given.
	File string `yaml:"-"`
	// Shard is the feeds a run is limited to (salesout run --feeds), nil for all: see
	// LimitFeeds.
	Shard []string `yaml:"-"`
}

// LimitFeeds keeps only the named feeds, for a worker that runs a shard of them
// (salesout run --feeds): fetch, load and the missing-feed alerts see those feeds only,
// and the Iceberg export writes sales_out only (its other tables need every feed). An
// unknown name is an error.
func (c *Config) LimitFeeds(names []string) error {
	var kept []Feed
	for _, n := range names {
		i := slices.IndexFunc(c.Feeds, func(f Feed) bool { return f.Name == n })
		if i < 0 {
			return fmt.Errorf("no feed named %q in %s", n, c.File)
		}
		if !slices.ContainsFunc(kept, func(f Feed) bool { return f.Name == n }) {
			kept = append(kept, c.Feeds[i])
		}
	}
	c.Feeds, c.Shard = kept, names
	return nil
}

// Warehouse is the worker's DuckDB database and the analysts' snapshot.
type Warehouse struct {
	Path        string `yaml:"path"`
	Publish     string `yaml:"publish"`
	MemoryLimit string `yaml:"memory_limit"`
	Threads     int    `yaml:"threads"`
	TempDir     string `yaml:"temp_directory"` // spill folder; default next to path
}

// Source is where files come from. Type selects which fields apply.
type Source struct {
	Name string `yaml:"name"`
	Type string `yaml:"type"` // s3 | sftp | local

	// local and sftp
	Dir string `yaml:"dir"`

	// s3
	Bucket    string `yaml:"bucket"`
	Prefix    string `yaml:"prefix"`
	Region    string `yaml:"region"`
	Endpoint  string `yaml:"endpoint"`
	PathStyle bool   `yaml:"path_style"`

	// sftp
	Address    string   `yaml:"address"`
	User       string   `yaml:"user"`
	KeyFile    string   `yaml:"key_file"`
	Passphrase Secret   `yaml:"passphrase"`
	Password   Secret   `yaml:"password"`
	KnownHosts string   `yaml:"known_hosts"`
	MinimumAge Duration `yaml:"minimum_age"`

	// after loading: leave (default) | archive | delete
	AfterLoad string `yaml:"after_load"`
	ArchiveTo string `yaml:"archive_to"`
}

// Feed says what the files of one distributor are and how to read them.
type Feed struct {
	Name          string            `yaml:"name"`
	Distributor   string            `yaml:"distributor"`
	Source        string            `yaml:"source"`
	Match         string            `yaml:"match"`
	Format        string            `yaml:"format"` // csv | xlsx | x12-867 | edifact-slsrpt
	CSV           CSV               `yaml:"csv"`
	XLSX          XLSX              `yaml:"xlsx"`
	Columns       map[string]string `yaml:"columns"`
	Defaults      map[string]string `yaml:"defaults"`
	Mode          string            `yaml:"mode"` // append | replace_period
	ExpectedEvery Duration          `yaml:"expected_every"`
}

// CSV is a feed's CSV dialect.
type CSV struct {
	Delimiter  string `yaml:"delimiter"`
	Quote      string `yaml:"quote"`
	Encoding   string `yaml:"encoding"`
	Decimal    string `yaml:"decimal"`
	Thousands  string `yaml:"thousands"`
	HeaderRow  int    `yaml:"header_row"`
	DateFormat string `yaml:"date_format"`
}

// XLSX is a feed's workbook layout.
type XLSX struct {
	Sheet      string `yaml:"sheet"`
	HeaderRow  int    `yaml:"header_row"`
	Decimal    string `yaml:"decimal"`
	DateFormat string `yaml:"date_format"`
}

// Reference lists the reference data sets.
type Reference struct {
	ChannelDB RefSource `yaml:"channel_db"`
	Products  RefSource `yaml:"products"`
	FXRates   RefSource `yaml:"fx_rates"`
	Targets   RefSource `yaml:"targets"`
	SalesIn   RefSource `yaml:"sales_in"`
	Reps      RefSource `yaml:"reps"`
}

// RefSource is a reference file (.csv, .parquet, .xlsx) or a PostgreSQL query.
// In YAML it is either a plain string (the file) or a mapping {postgres: {...}}.
type RefSource struct {
	File     string    `yaml:"file"`
	Postgres *Postgres `yaml:"postgres"`
}

// Postgres is a query against a PostgreSQL database.
type Postgres struct {
	DSN   Secret `yaml:"dsn"`
	Query string `yaml:"query"`
}

// Scoring holds the thresholds of the partner and KPI model. Every field has a default
// (see Defaults) so that the section can be omitted.
type Scoring struct {
	LoyalMinMonths         int     `yaml:"loyal_min_months"`         // active months in 12 to be loyal
	NewWithinMonths        int     `yaml:"new_within_months"`        // first purchase within N months = new
	LostAfterMonths        int     `yaml:"lost_after_months"`        // no purchase for N months after buying before = lost
	OpportunisticMaxMonths int     `yaml:"opportunistic_max_months"` // at most N active months...
	OpportunisticMinShare  float64 `yaml:"opportunistic_min_share"`  // ...with at least this share of the 12-month revenue in the best month
	ShareHigh              float64 `yaml:"share_high"`               // share of wallet at or above this is "high"
	HighPotentialQuantile  float64 `yaml:"high_potential_quantile"`  // potential at or above this quantile of partners is "high"
	RetentionTopN          int     `yaml:"retention_top_n"`          // top N partners by revenue are retained
	Weights                Weights `yaml:"weights"`
	WarningPct             float64 `yaml:"warning_pct"`  // deviation at or below -N % is a warning
	CriticalPct            float64 `yaml:"critical_pct"` // deviation at or below -N % is critical
	// Phasing spreads annual targets without monthly rows over the year: PhasingEven
	// (default) or PhasingLastYear.
	Phasing string `yaml:"phasing"`

	// The partner model beyond the classes' thresholds (sql/score/partner_scores.sql).
	WindowMonths                   int     `yaml:"window_months"`                     // months of the behaviour window, compared with the window before it
	OpportunisticMinPotentialShare float64 `yaml:"opportunistic_min_potential_share"` // a best month of at least this share of the potential is a large deal
	DevelopmentTopN                int     `yaml:"development_top_n"`                 // programme_kpis: volume of the N largest development partners

	// Sales-in against sales-out (sql/score/channel_stock.sql).
	StockWindowMonths int `yaml:"stock_window_months"` // calendar months of sales-out that weeks of stock average
}

// The values of scoring.phasing.
const (
	PhasingEven     = "even"      // by days: each day of the year is due the same
	PhasingLastYear = "last_year" // by last year's monthly profile of the same scope, even without one
)

// Weights of the 0-100 partner score; they are normalised to sum to 1.
type Weights struct {
	Revenue    float64 `yaml:"revenue"`
	Loyalty    float64 `yaml:"loyalty"`
	Growth     float64 `yaml:"growth"`
	Regularity float64 `yaml:"regularity"`
	Share      float64 `yaml:"share"`
	Potential  float64 `yaml:"potential"`
}

// Sum is the sum of the weights, by which the score divides.
func (w Weights) Sum() float64 {
	return w.Revenue + w.Loyalty + w.Growth + w.Regularity + w.Share + w.Potential
}

// Alerts is how deviations reach people.
type Alerts struct {
	SMTP         *SMTP      `yaml:"smtp"`
	Outbox       string     `yaml:"outbox"`
	DefaultTo    []string   `yaml:"default_to"`
	DataOwner    []string   `yaml:"data_owner"`    // feed and data-quality alerts; default_to when empty
	WorsenPoints float64    `yaml:"worsen_points"` // re-send when the deviation got worse by this many points
	RepeatEvery  Duration   `yaml:"repeat_every"`  // re-send an open alert after this cool-down (default 168h)
	Mute         []Mute     `yaml:"mute"`
	Rules        AlertRules `yaml:"rules"`
}

// SMTP is the mail relay.
type SMTP struct {
	Address  string `yaml:"address"`
	Username string `yaml:"username"`
	Password Secret `yaml:"password"`
	From     string `yaml:"from"`
	TLS      string `yaml:"tls"` // starttls | tls | none
	// Timeout bounds the connection and each SMTP command (default 30s).
	Timeout Duration `yaml:"timeout"`
	// CAFile is a PEM file of the certificate authorities to trust besides the system's
	// (a relay with a private CA).
	CAFile string `yaml:"ca_file"`
}

// Export is where Parquet goes, and optionally Iceberg tables.
type Export struct {
	Dir     string   `yaml:"dir"`
	Source  string   `yaml:"source"` // the S3 source whose settings an s3:// dir (and an s3:// Iceberg warehouse) uses
	Iceberg *Iceberg `yaml:"iceberg"`
}

// Iceberg is export.iceberg: the catalog's tables as Apache Iceberg tables, one snapshot
// per run, registered in a SQL (JDBC-compatible) or REST catalog.
type Iceberg struct {
	Catalog   IcebergCatalog `yaml:"catalog"`
	Warehouse string         `yaml:"warehouse"` // a folder, or s3://bucket/prefix (S3 settings from export.source)
	Namespace string         `yaml:"namespace"` // default "salesout"
}

// IcebergCatalog is the catalog the Iceberg tables are registered in: exactly one of
// SQL and REST.
type IcebergCatalog struct {
	SQL  *IcebergSQL  `yaml:"sql"`
	REST *IcebergREST `yaml:"rest"`
}

// IcebergSQL is a SQL catalog on PostgreSQL (the tables Iceberg's JDBC catalog uses).
type IcebergSQL struct {
	DSN Secret `yaml:"dsn"` // postgres://user:password@host:5432/db
}

// IcebergREST is an Iceberg REST catalog.
type IcebergREST struct {
	URI string `yaml:"uri"`
}

// Schedule is one cron entry for serve.
type Schedule struct {
	Name  string   `yaml:"name"`
	Cron  string   `yaml:"cron"`
	Steps []string `yaml:"steps"`
}

// HTTP is the serve command's listener.
type HTTP struct {
	Listen string `yaml:"listen"`
}

// Duration is a time.Duration written as "24h", "2m30s" in YAML.
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration, plus a "d" suffix for days.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := parseDuration(string(b))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}
