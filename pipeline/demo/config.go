package demo

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// scoringYAML is the scoring section the demo's behaviours are drawn for: a loyal
// partner buys in 10 of 12 months (loyal_min_months 9 leaves a margin), an occasional
// one in 3 to 7, an opportunistic one in 1 or 2 with 60 % or more in the best month, a
// new one started within 3 months, a lost one stopped more than 6 months ago. The
// behind territories come out 15 % (warning) and 35 % (critical) below their pace.
const scoringYAML = `scoring:
  loyal_min_months: 9
  new_within_months: 3
  lost_after_months: 6
  opportunistic_max_months: 2
  opportunistic_min_share: 0.6
  share_high: 0.3
  high_potential_quantile: 0.5
  retention_top_n: 50
  weights: {revenue: 0.4, loyalty: 0.3, share: 0.2, potential: 0.1}
  warning_pct: 10
  critical_pct: 25
`

// writeConfig writes dir/config.yaml, with paths relative to dir, and returns its path.
func writeConfig(dir string, o Options) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "# salesout demo configuration, written by `salesout demo` (seed %d, as of %s).\n", o.Seed, o.AsOf.Format("2006-01-02"))
	b.WriteString(`# Relative paths are relative to this file's folder.
timezone: Europe/Paris
base_currency: EUR

warehouse:
  path: var/warehouse.duckdb
  publish: var/analytics.duckdb

# Each distributor drops its files in its own folder.
sources:
`)
	for _, f := range feeds {
		fmt.Fprintf(&b, "  - name: %s\n    type: local\n    dir: drop/%s\n", f.source, f.source)
	}
	b.WriteString("\nfeeds:\n")
	for i := range feeds {
		f := &feeds[i]
		fmt.Fprintf(&b, "  # %s\n", f.about)
		b.WriteString(indent(f.yaml(f.name, f.source, f.match), "  "))
		fmt.Fprintf(&b, "    expected_every: %s\n", f.every)
	}
	b.WriteString(`
reference:
  channel_db: ref/channel.csv
  products: ref/products.csv
  fx_rates: ref/fx.csv
  targets: ref/targets.csv
  reps: ref/reps.csv

`)
	b.WriteString(scoringYAML)
	b.WriteString(`
alerts:
  outbox: var/outbox
  default_to: [sales.director@example.com]

export:
  dir: var/export

schedule:
  - name: nightly
    cron: "30 2 * * *"
    steps: [fetch, load, match, score, export, alert]
`)
	path := filepath.Join(dir, "config.yaml")
	return path, os.WriteFile(path, []byte(b.String()), 0o644)
}

// yaml is the feed as an item of the feeds list, named name and reading the files of
// source that match match, without expected_every. The EDI formats need no options:
// their separators, currency and purposes come with each file.
func (f *feedDef) yaml(name, source, match string) string {
	d := f.dialect
	format := f.format
	if format == "" {
		format = formatCSV
	}
	var b strings.Builder
	fmt.Fprintf(&b, "- name: %s\n  distributor: %s\n  source: %s\n  match: %s\n  format: %s\n",
		name, f.code, source, strconv.Quote(match), format)
	switch format {
	case formatCSV:
		b.WriteString("  csv:\n")
		fmt.Fprintf(&b, "    delimiter: %s\n    quote: %s\n    encoding: %s\n    decimal: %s\n",
			strconv.Quote(string(d.delimiter)), strconv.Quote(string(d.quote)), d.encoding, strconv.Quote(d.decimal))
		if d.thousands != "" {
			fmt.Fprintf(&b, "    thousands: %s\n", strconv.Quote(d.thousands))
		}
		fmt.Fprintf(&b, "    header_row: %d\n    date_format: %s\n", d.headerRow, strconv.Quote(d.dateFormat))
	case formatXLSX:
		// date_format is for a date typed as text rather than in a date cell.
		fmt.Fprintf(&b, "  xlsx:\n    sheet: %s\n    header_row: %d\n    date_format: %s\n",
			xlsxSheet, d.headerRow, strconv.Quote(d.dateFormat))
	}
	if len(f.columns) > 0 {
		b.WriteString("  columns:\n")
	}
	for _, c := range f.columns {
		if c.field != "description" {
			fmt.Fprintf(&b, "    %s: %s\n", c.field, strconv.Quote(c.header))
		}
	}
	if len(f.defaults) > 0 {
		b.WriteString("  defaults:\n")
		for _, kv := range f.defaults {
			fmt.Fprintf(&b, "    %s: %s\n", kv[0], kv[1])
		}
	}
	fmt.Fprintf(&b, "  mode: %s\n", f.mode)
	return b.String()
}

// indent prefixes every line of s with prefix.
func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "")
}
