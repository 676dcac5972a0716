package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const validYAML = `
timezone: Europe/Paris
base_currency: EUR
warehouse:
  path: var/warehouse.duckdb
  publish: var/analytics.duckdb
  memory_limit: 2GB
sources:
  - name: drop
    type: local
    dir: drop
feeds:
  - name: acme-daily
    distributor: ACME
    source: drop
    match: "ACME_*.csv"
    csv:
      delimiter: ";"
      encoding: windows-1252
      decimal: ","
      thousands: " "
      header_row: 2
      date_format: "%d/%m/%Y"
    columns:
      invoice_date: Date facture
      reseller_name: Raison sociale
      sku: Réf
      quantity: Qté
      amount: Montant
    defaults:
      currency: EUR
reference:
  channel_db: ref/channel.csv
alerts:
  outbox: var/outbox
  default_to: [director@example.com]
  smtp:
    address: smtp.example.com:587
    username: ${SMTP_USER}
    password: ${SMTP_PASSWORD}
    from: "Alerts <alerts@example.com>"
export:
  dir: var/export
schedule:
  - name: nightly
    cron: "30 2 * * *"
    steps: [fetch, load]
`

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestLoadValid(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "salesout.yaml")
	if err := os.WriteFile(path, []byte(validYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, env(map[string]string{"SMTP_USER": "u", "SMTP_PASSWORD": "s3cret"}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, want := c.Warehouse.Path, filepath.Join(dir, "var/warehouse.duckdb"); got != want {
		t.Errorf("warehouse.path = %q, want %q (relative to the config file)", got, want)
	}
	if got := c.Sources[0].Dir; got != filepath.Join(dir, "drop") {
		t.Errorf("sources[0].dir = %q", got)
	}
	if got := c.Reference.ChannelDB.File; got != filepath.Join(dir, "ref/channel.csv") {
		t.Errorf("reference.channel_db = %q", got)
	}
	if c.Alerts.SMTP.Password != "s3cret" || c.Alerts.SMTP.TLS != "starttls" {
		t.Errorf("smtp = %+v", c.Alerts.SMTP)
	}
	if s := c.Alerts.SMTP.Password.String(); s != "***" {
		t.Errorf("secret prints as %q", s)
	}
	f := c.Feeds[0]
	if f.CSV.Quote != `"` || f.Mode != "append" || f.Format != "csv" || f.CSV.DelimiterRune() != ';' {
		t.Errorf("feed defaults not applied: %+v", f)
	}
	if c.Scoring.LoyalMinMonths != 9 || c.Scoring.CriticalPct != 25 {
		t.Errorf("scoring defaults not applied: %+v", c.Scoring)
	}
}

// TestErrors checks that each problem is reported with its key path, all at once.
func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		env  map[string]string
		want []string
	}{
		{"unknown encoding", repl(`encoding: windows-1252`, `encoding: utf8x`), nil,
			[]string{`feeds[0].csv.encoding: unknown encoding "utf8x"`}},
		{"unknown key", repl(`decimal: ","`, `decimal: ","`+"\n      delimter: \";\""), nil,
			[]string{`feeds[0].csv.delimter: unknown key`}},
		{"unknown top-level key", func(s string) string { return s + "\nwarehose: {}\n" }, nil,
			[]string{`warehose: unknown key`}},
		{"unset variable", nil, map[string]string{"SMTP_USER": "u"},
			[]string{`alerts.smtp.password: environment variable SMTP_PASSWORD is not set`}},
		{"unknown source", repl(`source: drop`, `source: nowhere`), nil,
			[]string{`feeds[0].source: unknown source "nowhere"`}},
		{"bad delimiter", repl(`delimiter: ";"`, `delimiter: ";;"`), nil,
			[]string{`feeds[0].csv.delimiter: ";;" must be one character`}},
		{"tab delimiter is fine", repl(`delimiter: ";"`, `delimiter: "\t"`), nil, nil},
		{"escaped tab delimiter is fine", repl(`delimiter: ";"`, `delimiter: '\t'`), nil, nil},
		{"unknown canonical field", repl(`amount: Montant`, `amount: Montant`+"\n      amout: X"), nil,
			[]string{`feeds[0].columns.amout: unknown canonical field`}},
		{"missing required mapping", repl(`      quantity: Qté`+"\n", ``), nil,
			[]string{`feeds[0].columns: no column mapped for quantity (required)`}},
		{"bad mode and format", repl(`match: "ACME_*.csv"`, `match: "ACME_*.csv"`+"\n    mode: replace\n    format: json"), nil,
			[]string{`feeds[0].mode: unknown mode "replace"`, `feeds[0].format: unknown format "json"`}},
		{"bad glob", repl(`match: "ACME_*.csv"`, `match: "ACME_[.csv"`), nil,
			[]string{`feeds[0].match: bad glob`}},
		{"bad date format", repl(`date_format: "%d/%m/%Y"`, `date_format: "dd/mm/yyyy"`), nil,
			[]string{`feeds[0].csv.date_format: "dd/mm/yyyy" is not a strptime format`}},
		{"bad cron", repl(`cron: "30 2 * * *"`, `cron: "61 2 * * *"`), nil,
			[]string{`schedule[0].cron: "61 2 * * *"`}},
		{"malformed TZ cron does not panic", repl(`cron: "30 2 * * *"`, `cron: "TZ="`), nil,
			[]string{`schedule[0].cron: "TZ="`}},
		{"unknown step", repl(`steps: [fetch, load]`, `steps: [fetch, lod]`), nil,
			[]string{`schedule[0].steps[1]: unknown step "lod"`}},
		{"bad time zone", repl(`timezone: Europe/Paris`, `timezone: Europe/Pariss`), nil,
			[]string{`timezone: unknown time zone "Europe/Pariss"`}},
		{"bad currency", repl(`base_currency: EUR`, `base_currency: euro`), nil,
			[]string{`base_currency: "euro" is not an ISO 4217 code`}},
		{"bad default_to", repl(`default_to: [director@example.com]`, `default_to: [not-an-address]`), nil,
			[]string{`alerts.default_to[0]: "not-an-address" is not an e-mail address`}},
		{"sftp without known_hosts", repl(`  - name: drop`, "  - name: bravo\n    type: sftp\n    address: sftp.example.com:22\n    user: u\n    key_file: k\n  - name: drop"), nil,
			[]string{`sources[0].known_hosts: required: host keys are always checked`}},
		{"duplicate source", repl(`  - name: drop`, "  - name: drop\n    type: local\n    dir: x\n  - name: drop"), nil,
			[]string{`sources[1].name: duplicate source name "drop"`}},
		{"bad reference extension", repl(`channel_db: ref/channel.csv`, `channel_db: ref/channel.txt`), nil,
			[]string{`reference.channel_db: "ref/channel.txt": reference files are .csv, .parquet or .xlsx`}},
		{"postgres reference needs a query", repl(`channel_db: ref/channel.csv`, `channel_db: {postgres: {dsn: "postgres://x"}}`), nil,
			[]string{`reference.channel_db.postgres.query: required`}},
		{"several problems at once", func(s string) string {
			return repl(`encoding: windows-1252`, `encoding: utf8x`)(repl(`base_currency: EUR`, `base_currency: euro`)(s))
		}, nil, []string{`base_currency:`, `feeds[0].csv.encoding:`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := validYAML
			if tt.edit != nil {
				text = tt.edit(text)
			}
			e := tt.env
			if e == nil {
				e = map[string]string{"SMTP_USER": "u", "SMTP_PASSWORD": "p"}
			}
			_, err := Parse([]byte(text), filepath.Join(t.TempDir(), "c.yaml"), env(e))
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error %T is not Errors: %v", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
			for _, e := range errs {
				var ke *KeyError
				if errors.As(e, &ke) && ke.Path == "" && !strings.Contains(ke.Msg, "line") {
					t.Errorf("error without key path: %v", e)
				}
			}
		})
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := Source{Name: "x", Password: "hunter2"}
	for _, out := range []string{s.Password.String(), fmt.Sprintf("%v %s %+v %#v", s.Password, s.Password, s, s)} {
		if strings.Contains(out, "hunter2") {
			t.Fatalf("secret leaked: %s", out)
		}
	}
}

func repl(old, new string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			panic("test edit does not apply: " + old)
		}
		return strings.Replace(s, old, new, 1)
	}
}
