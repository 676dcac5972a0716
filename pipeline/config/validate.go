package config

import (
	"fmt"
	"net"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/salesout/salesout/pipeline/canon"
	"github.com/salesout/salesout/pipeline/formats"
)

// Steps of a run, in the order they always execute.
var Steps = []string{"fetch", "load", "match", "score", "export", "alert"}

// Encodings accepted in feeds[].csv.encoding.
var Encodings = []string{"utf-8", "windows-1252", "iso-8859-1", "iso-8859-15"}

var (
	nameRe     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
	currencyRe = regexp.MustCompile(`^[A-Z]{3}$`)
	memoryRe   = regexp.MustCompile(`(?i)^[0-9]+(\.[0-9]+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$`)
	dateFmtRe  = regexp.MustCompile(`%[^aAbBcdHIjmMpSyYzZfGuVwWxX%-]`)
)

func (c *Config) applyDefaults() {
	if c.Export.Iceberg != nil && c.Export.Iceberg.Namespace == "" {
		c.Export.Iceberg.Namespace = "salesout"
	}
	if c.Timezone == "" {
		c.Timezone = "UTC"
	}
	if c.BaseCurrency == "" {
		c.BaseCurrency = "EUR"
	}
	if c.HTTP.Listen == "" {
		c.HTTP.Listen = "127.0.0.1:9464"
	}
	for i := range c.Sources {
		s := &c.Sources[i]
		if s.AfterLoad == "" {
			s.AfterLoad = "leave"
		}
		if s.Type == "sftp" && s.MinimumAge.Duration == 0 {
			s.MinimumAge.Duration = 2 * time.Minute
		}
	}
	for i := range c.Feeds {
		f := &c.Feeds[i]
		if f.Format == "" {
			f.Format = "csv"
		}
		if f.Mode == "" {
			f.Mode = "append"
		}
		if f.CSV.Delimiter == "" {
			f.CSV.Delimiter = ","
		}
		if f.CSV.Quote == "" {
			f.CSV.Quote = `"`
		}
		if f.CSV.Encoding == "" {
			f.CSV.Encoding = "utf-8"
		}
		f.CSV.Encoding = strings.ToLower(f.CSV.Encoding)
		if f.CSV.Decimal == "" {
			f.CSV.Decimal = "."
		}
		if f.CSV.HeaderRow == 0 {
			f.CSV.HeaderRow = 1
		}
		if f.CSV.DateFormat == "" {
			f.CSV.DateFormat = "%Y-%m-%d"
		}
		if f.XLSX.HeaderRow == 0 {
			f.XLSX.HeaderRow = 1
		}
		if f.XLSX.Decimal == "" {
			f.XLSX.Decimal = "."
		}
		if f.XLSX.DateFormat == "" {
			f.XLSX.DateFormat = "%Y-%m-%d"
		}
	}
	c.Scoring.applyDefaults()
	c.Alerts.applyDefaults()
	c.Load.applyDefaults()
}

func (s *Scoring) applyDefaults() {
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	deff := func(p *float64, v float64) {
		if *p == 0 {
			*p = v
		}
	}
	def(&s.LoyalMinMonths, 9)
	def(&s.NewWithinMonths, 3)
	def(&s.LostAfterMonths, 6)
	def(&s.OpportunisticMaxMonths, 2)
	deff(&s.OpportunisticMinShare, 0.6)
	deff(&s.ShareHigh, 0.3)
	deff(&s.HighPotentialQuantile, 0.5)
	def(&s.RetentionTopN, 50)
	deff(&s.WarningPct, 10)
	deff(&s.CriticalPct, 25)
	if s.Phasing == "" {
		s.Phasing = PhasingEven
	}
	def(&s.WindowMonths, 12)
	deff(&s.OpportunisticMinPotentialShare, 0.1)
	def(&s.DevelopmentTopN, 10)
	def(&s.StockWindowMonths, 3)
	if s.Weights == (Weights{}) {
		s.Weights = Weights{Revenue: 0.3, Growth: 0.15, Regularity: 0.15, Share: 0.2, Potential: 0.2}
	}
}

func (c *Config) validate() Errors {
	var errs Errors
	add := func(path, format string, args ...any) { errs = append(errs, keyErr(path, format, args...)) }

	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		add("timezone", "unknown time zone %q", c.Timezone)
	}
	c.Location = loc
	if !currencyRe.MatchString(c.BaseCurrency) {
		add("base_currency", "%q is not an ISO 4217 code (three capital letters)", c.BaseCurrency)
	}

	if c.Warehouse.Path == "" {
		add("warehouse.path", "required")
	}
	if c.Warehouse.Publish == "" {
		add("warehouse.publish", "required")
	}
	if c.Warehouse.Path != "" && c.Warehouse.Path == c.Warehouse.Publish {
		add("warehouse.publish", "must differ from warehouse.path")
	}
	if c.Warehouse.MemoryLimit != "" && !memoryRe.MatchString(c.Warehouse.MemoryLimit) {
		add("warehouse.memory_limit", "%q is not a size such as 4GB or 512MB", c.Warehouse.MemoryLimit)
	}
	if c.Warehouse.Threads < 0 {
		add("warehouse.threads", "must be positive")
	}

	sources := map[string]*Source{}
	for i := range c.Sources {
		s := &c.Sources[i]
		p := fmt.Sprintf("sources[%d]", i)
		if !nameRe.MatchString(s.Name) {
			add(p+".name", "%q must be 1-64 letters, digits, '.', '_' or '-'", s.Name)
		} else if sources[s.Name] != nil {
			add(p+".name", "duplicate source name %q", s.Name)
		} else {
			sources[s.Name] = s
		}
		errs = append(errs, s.validate(p)...)
	}

	feeds := map[string]bool{}
	for i := range c.Feeds {
		f := &c.Feeds[i]
		p := fmt.Sprintf("feeds[%d]", i)
		if !nameRe.MatchString(f.Name) {
			add(p+".name", "%q must be 1-64 letters, digits, '.', '_' or '-'", f.Name)
		} else if feeds[f.Name] {
			add(p+".name", "duplicate feed name %q", f.Name)
		}
		feeds[f.Name] = true
		if f.Distributor == "" {
			add(p+".distributor", "required")
		}
		if f.Source == "" {
			add(p+".source", "required")
		} else if sources[f.Source] == nil {
			add(p+".source", "unknown source %q", f.Source)
		}
		if f.Match == "" {
			add(p+".match", "required (a glob such as \"*.csv\")")
		} else if _, err := path.Match(f.Match, "x"); err != nil {
			add(p+".match", "bad glob %q: %v", f.Match, err)
		}
		// The formats accepted are those registered in package formats; a tabular one
		// maps its fields from the columns named in `columns`.
		format, known := formats.Lookup(f.Format)
		if !known {
			add(p+".format", "unknown format %q (want one of %s)", f.Format, strings.Join(formats.Names(), ", "))
		}
		if f.Mode != "append" && f.Mode != "replace_period" {
			add(p+".mode", "unknown mode %q (want append or replace_period)", f.Mode)
		}
		errs = append(errs, f.CSV.validate(p+".csv")...)
		if f.XLSX.HeaderRow < 1 {
			add(p+".xlsx.header_row", "must be 1 or more")
		}
		if f.XLSX.Decimal != "." && f.XLSX.Decimal != "," {
			add(p+".xlsx.decimal", "must be \".\" or \",\"")
		}
		for _, k := range sortedKeys(f.Columns) {
			if canon.Index(k) < 0 {
				add(p+".columns."+k, "unknown canonical field (want one of %s)", strings.Join(canon.Fields, ", "))
			} else if strings.TrimSpace(f.Columns[k]) == "" && format.Tabular {
				add(p+".columns."+k, "empty column name")
			}
		}
		for _, k := range sortedKeys(f.Defaults) {
			if canon.Index(k) < 0 {
				add(p+".defaults."+k, "unknown canonical field")
			}
		}
		if format.Tabular {
			for _, group := range canon.Required {
				if !slices.ContainsFunc(group, func(k string) bool { return f.Columns[k] != "" || f.Defaults[k] != "" }) {
					add(p+".columns", "no column mapped for %s (required)", strings.Join(group, " or "))
				}
			}
		}
		if cur, ok := f.Defaults["currency"]; ok && !currencyRe.MatchString(cur) {
			add(p+".defaults.currency", "%q is not an ISO 4217 code", cur)
		}
		if f.ExpectedEvery.Duration < 0 {
			add(p+".expected_every", "must be positive")
		}
	}

	r := &c.Reference
	for _, ref := range []struct {
		key      string
		src      RefSource
		required bool
	}{
		{"channel_db", r.ChannelDB, true},
		{"products", r.Products, false},
		{"fx_rates", r.FXRates, false},
		{"targets", r.Targets, false},
		{"sales_in", r.SalesIn, false},
		{"reps", r.Reps, false},
	} {
		p := "reference." + ref.key
		switch {
		case ref.src.File == "" && ref.src.Postgres == nil:
			if ref.required {
				add(p, "required")
			}
		case ref.src.File != "" && ref.src.Postgres != nil:
			add(p, "give either a file or postgres, not both")
		case ref.src.Postgres != nil:
			if ref.src.Postgres.DSN == "" {
				add(p+".postgres.dsn", "required")
			}
			if strings.TrimSpace(ref.src.Postgres.Query) == "" {
				add(p+".postgres.query", "required")
			}
		default:
			switch strings.ToLower(filepath.Ext(ref.src.File)) {
			case ".csv", ".parquet", ".xlsx":
			default:
				add(p, "%q: reference files are .csv, .parquet or .xlsx", ref.src.File)
			}
		}
	}

	sc := c.Scoring
	if sc.WindowMonths < 3 || sc.WindowMonths > 36 {
		add("scoring.window_months", "must be between 3 and 36")
	}
	if sc.LoyalMinMonths < 1 || sc.LoyalMinMonths > sc.WindowMonths {
		add("scoring.loyal_min_months", "must be between 1 and window_months (%d)", sc.WindowMonths)
	}
	if sc.OpportunisticMaxMonths < 1 || sc.OpportunisticMaxMonths >= sc.LoyalMinMonths {
		add("scoring.opportunistic_max_months", "must be between 1 and loyal_min_months-1")
	}
	if sc.NewWithinMonths < 1 || sc.NewWithinMonths > 12 {
		add("scoring.new_within_months", "must be between 1 and 12")
	}
	if sc.LostAfterMonths < 1 || sc.LostAfterMonths > 24 {
		add("scoring.lost_after_months", "must be between 1 and 24")
	}
	for _, f := range []struct {
		key string
		v   float64
	}{{"opportunistic_min_share", sc.OpportunisticMinShare}, {"opportunistic_min_potential_share", sc.OpportunisticMinPotentialShare},
		{"share_high", sc.ShareHigh}, {"high_potential_quantile", sc.HighPotentialQuantile}} {
		if f.v <= 0 || f.v > 1 {
			add("scoring."+f.key, "must be in (0, 1]")
		}
	}
	w := sc.Weights
	if w.Revenue < 0 || w.Loyalty < 0 || w.Growth < 0 || w.Regularity < 0 || w.Share < 0 || w.Potential < 0 || w.Sum() == 0 {
		add("scoring.weights", "weights must be non-negative and not all zero")
	}
	if sc.DevelopmentTopN < 1 {
		add("scoring.development_top_n", "must be at least 1")
	}
	if sc.StockWindowMonths < 1 || sc.StockWindowMonths > 12 {
		add("scoring.stock_window_months", "must be between 1 and 12")
	}
	if sc.WarningPct <= 0 || sc.CriticalPct <= sc.WarningPct {
		add("scoring.critical_pct", "need 0 < warning_pct (%g) < critical_pct (%g)", sc.WarningPct, sc.CriticalPct)
	}
	if sc.Phasing != PhasingEven && sc.Phasing != PhasingLastYear {
		add("scoring.phasing", "unknown phasing %q (want %s or %s)", sc.Phasing, PhasingEven, PhasingLastYear)
	}

	c.Alerts.validate(add)
	c.Load.validate(add)

	if c.Export.Dir == "" {
		add("export.dir", "required")
	} else if strings.HasPrefix(c.Export.Dir, "s3://") {
		src := sources[c.Export.Source]
		if src == nil || src.Type != "s3" {
			add("export.source", "an s3:// export needs the name of an s3 source")
		}
	}
	if ice := c.Export.Iceberg; ice != nil {
		validateIceberg(ice, sources[c.Export.Source], add)
	}

	parser := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	for i, s := range c.Schedule {
		p := fmt.Sprintf("schedule[%d]", i)
		if s.Name == "" {
			add(p+".name", "required")
		}
		if err := parseCron(parser, s.Cron); err != nil {
			add(p+".cron", "%q: %v", s.Cron, err)
		}
		for j, st := range s.Steps {
			if !slices.Contains(Steps, st) {
				add(fmt.Sprintf("%s.steps[%d]", p, j), "unknown step %q (want %s)", st, strings.Join(Steps, ", "))
			}
		}
	}
	if _, _, err := net.SplitHostPort(c.HTTP.Listen); err != nil {
		add("http.listen", "%q is not host:port", c.HTTP.Listen)
	}
	return errs
}

// parseCron parses spec, turning the parser's panics on some malformed specs into errors.
func parseCron(p cron.Parser, spec string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("invalid cron spec")
		}
	}()
	if strings.Contains(spec, "TZ=") {
		return fmt.Errorf("time zone in the spec is not allowed; set timezone instead")
	}
	_, err = p.Parse(spec)
	return err
}

func (s *Source) validate(p string) Errors {
	var errs Errors
	add := func(path, format string, args ...any) { errs = append(errs, keyErr(path, format, args...)) }
	switch s.Type {
	case "local":
		if s.Dir == "" {
			add(p+".dir", "required for a local source")
		}
	case "s3":
		if s.Bucket == "" {
			add(p+".bucket", "required for an s3 source")
		}
		if s.Password != "" || s.KeyFile != "" {
			add(p, "s3 credentials come from the AWS SDK's default chain, not from the config")
		}
	case "sftp":
		if _, _, err := net.SplitHostPort(s.Address); err != nil {
			add(p+".address", "%q is not host:port", s.Address)
		}
		if s.User == "" {
			add(p+".user", "required for an sftp source")
		}
		if s.KnownHosts == "" {
			add(p+".known_hosts", "required: host keys are always checked")
		}
		if s.KeyFile == "" && s.Password == "" {
			add(p, "give key_file or password")
		}
		if s.KeyFile != "" && s.Password != "" {
			add(p, "give key_file or password, not both")
		}
	default:
		add(p+".type", "unknown source type %q (want s3, sftp or local)", s.Type)
	}
	switch s.AfterLoad {
	case "leave", "delete":
	case "archive":
		if s.ArchiveTo == "" {
			add(p+".archive_to", "required when after_load is archive")
		}
	default:
		add(p+".after_load", "unknown action %q (want leave, archive or delete)", s.AfterLoad)
	}
	return errs
}

func (c CSV) validate(p string) Errors {
	var errs Errors
	add := func(path, format string, args ...any) { errs = append(errs, keyErr(path, format, args...)) }
	if d := []rune(c.Delimiter); len(d) != 1 || d[0] == '\n' || d[0] == '\r' {
		if c.Delimiter == `\t` {
			// accepted: the two characters \t mean a tab
		} else {
			add(p+".delimiter", "%q must be one character (use \"\\t\" for tab)", c.Delimiter)
		}
	}
	if q := []rune(c.Quote); len(q) != 1 {
		add(p+".quote", "%q must be one character", c.Quote)
	} else if c.Quote == c.Delimiter {
		add(p+".quote", "must differ from the delimiter")
	}
	if !slices.Contains(Encodings, c.Encoding) {
		add(p+".encoding", "unknown encoding %q (want one of %s)", c.Encoding, strings.Join(Encodings, ", "))
	}
	if c.Decimal != "." && c.Decimal != "," {
		add(p+".decimal", "%q: must be \".\" or \",\"", c.Decimal)
	}
	if len([]rune(c.Thousands)) > 1 {
		add(p+".thousands", "%q must be one character", c.Thousands)
	} else if c.Thousands != "" && c.Thousands == c.Decimal {
		add(p+".thousands", "must differ from decimal")
	}
	if c.HeaderRow < 1 {
		add(p+".header_row", "must be 1 or more")
	}
	if !strings.Contains(c.DateFormat, "%") || dateFmtRe.MatchString(c.DateFormat) {
		add(p+".date_format", "%q is not a strptime format such as %%d/%%m/%%Y", c.DateFormat)
	}
	return errs
}

// DelimiterRune is the CSV delimiter as a rune, "\t" written out included.
func (c CSV) DelimiterRune() rune {
	if c.Delimiter == `\t` {
		return '\t'
	}
	return []rune(c.Delimiter)[0]
}

// resolvePaths makes every relative path absolute against the config's folder.
func (c *Config) resolvePaths() {
	abs := func(p *string) {
		if *p != "" && !filepath.IsAbs(*p) && !strings.Contains(*p, "://") {
			*p = filepath.Join(c.Dir, *p)
		}
	}
	abs(&c.Warehouse.Path)
	abs(&c.Warehouse.Publish)
	if c.Warehouse.TempDir == "" && c.Warehouse.Path != "" {
		c.Warehouse.TempDir = c.Warehouse.Path + ".tmp"
	}
	abs(&c.Warehouse.TempDir)
	if c.Landing == "" {
		c.Landing = filepath.Join(filepath.Dir(c.Warehouse.Path), "landing")
	}
	abs(&c.Landing)
	for i := range c.Sources {
		s := &c.Sources[i]
		if s.Type == "local" {
			abs(&s.Dir)
			if s.AfterLoad == "archive" {
				abs(&s.ArchiveTo)
			}
		}
		abs(&s.KeyFile)
		abs(&s.KnownHosts)
	}
	for _, r := range []*RefSource{&c.Reference.ChannelDB, &c.Reference.Products, &c.Reference.FXRates, &c.Reference.Targets, &c.Reference.SalesIn, &c.Reference.Reps} {
		abs(&r.File)
	}
	abs(&c.Alerts.Outbox)
	if c.Alerts.SMTP != nil && c.Alerts.SMTP.CAFile != "" {
		abs(&c.Alerts.SMTP.CAFile)
	}
	abs(&c.Export.Dir)
	if c.Export.Iceberg != nil {
		abs(&c.Export.Iceberg.Warehouse)
	}
}

// Source returns the source named name, or nil.
func (c *Config) Source(name string) *Source {
	for i := range c.Sources {
		if c.Sources[i].Name == name {
			return &c.Sources[i]
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// icebergNamespaceRe is what export.iceberg.namespace may be: one plain identifier, so
// that Spark, Trino and the catalog's tables all spell it the same way.
var icebergNamespaceRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// validateIceberg checks export.iceberg; exportSource is the source export.source names.
func validateIceberg(ice *Iceberg, exportSource *Source, add func(path, format string, args ...any)) {
	const p = "export.iceberg"
	switch cat := ice.Catalog; {
	case cat.SQL == nil && cat.REST == nil:
		add(p+".catalog", "required: {sql: {dsn: ...}} or {rest: {uri: ...}}")
	case cat.SQL != nil && cat.REST != nil:
		add(p+".catalog", "set sql or rest, not both")
	case cat.SQL != nil:
		dsn := string(cat.SQL.DSN)
		if dsn == "" {
			add(p+".catalog.sql.dsn", "required (postgres://user:password@host:5432/db)")
		} else if strings.Contains(dsn, "://") && !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
			add(p+".catalog.sql.dsn", "only PostgreSQL is supported: a postgres:// URL or key=value settings")
		}
	case cat.REST != nil:
		if u := cat.REST.URI; !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			add(p+".catalog.rest.uri", "%q is not an http:// or https:// URL", u)
		}
	}
	switch w := ice.Warehouse; {
	case w == "":
		add(p+".warehouse", "required: a folder or s3://bucket/prefix")
	case strings.HasPrefix(w, "s3://"):
		if bucket, _, _ := strings.Cut(strings.TrimPrefix(w, "s3://"), "/"); bucket == "" {
			add(p+".warehouse", "%q has no bucket", w)
		}
		if exportSource == nil || exportSource.Type != "s3" {
			add("export.source", "an s3:// Iceberg warehouse needs the name of an s3 source (its region, endpoint and path_style are used)")
		}
	case strings.Contains(w, "://"):
		add(p+".warehouse", "%q: want a folder or s3://bucket/prefix", w)
	}
	if ice.Namespace != "" && !icebergNamespaceRe.MatchString(ice.Namespace) {
		add(p+".namespace", "%q: letters, digits and _ only, not starting with a digit", ice.Namespace)
	}
}
