package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// export.iceberg: a SQL or REST catalog, a folder or an s3:// warehouse (with an s3
// export.source), a plain namespace (default salesout); every mistake named by its key.
func TestExportIceberg(t *testing.T) {
	s3src := "\n  - name: lake\n    type: s3\n    bucket: lake\n    region: eu-west-3\n    endpoint: http://127.0.0.1:9000\n    path_style: true"
	for _, tc := range []struct {
		name, edit string
		errs       []string
	}{
		{name: "sql catalog, folder", edit: "\n  iceberg:\n    catalog: {sql: {dsn: 'postgres://u:p@db:5432/lake'}}\n    warehouse: var/lake"},
		{name: "rest catalog, s3", edit: "\n  source: lake\n  iceberg:\n    catalog: {rest: {uri: 'https://catalog.example.com/api'}}\n    warehouse: s3://lake/iceberg\n    namespace: sales_2026"},
		{name: "no catalog", edit: "\n  iceberg:\n    warehouse: var/lake",
			errs: []string{"export.iceberg.catalog: required"}},
		{name: "both catalogs", edit: "\n  iceberg:\n    catalog: {sql: {dsn: 'postgres://db/lake'}, rest: {uri: 'http://x'}}\n    warehouse: var/lake",
			errs: []string{"export.iceberg.catalog: set sql or rest, not both"}},
		{name: "not postgres", edit: "\n  iceberg:\n    catalog: {sql: {dsn: 'mysql://db/lake'}}\n    warehouse: var/lake",
			errs: []string{"export.iceberg.catalog.sql.dsn: only PostgreSQL is supported"}},
		{name: "empty dsn", edit: "\n  iceberg:\n    catalog: {sql: {dsn: ''}}\n    warehouse: var/lake",
			errs: []string{"export.iceberg.catalog.sql.dsn: required"}},
		{name: "bad uri", edit: "\n  iceberg:\n    catalog: {rest: {uri: 'catalog:8181'}}\n    warehouse: var/lake",
			errs: []string{`export.iceberg.catalog.rest.uri: "catalog:8181" is not an http:// or https:// URL`}},
		{name: "no warehouse", edit: "\n  iceberg:\n    catalog: {sql: {dsn: 'postgres://db/lake'}}",
			errs: []string{"export.iceberg.warehouse: required"}},
		{name: "s3 without source", edit: "\n  iceberg:\n    catalog: {sql: {dsn: 'postgres://db/lake'}}\n    warehouse: s3://lake/iceberg",
			errs: []string{"export.source: an s3:// Iceberg warehouse needs the name of an s3 source"}},
		{name: "gcs", edit: "\n  iceberg:\n    catalog: {sql: {dsn: 'postgres://db/lake'}}\n    warehouse: gs://lake/iceberg",
			errs: []string{`export.iceberg.warehouse: "gs://lake/iceberg": want a folder or s3://bucket/prefix`}},
		{name: "dotted namespace", edit: "\n  iceberg:\n    catalog: {sql: {dsn: 'postgres://db/lake'}}\n    warehouse: var/lake\n    namespace: a.b",
			errs: []string{`export.iceberg.namespace: "a.b": letters, digits and _ only`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			y := strings.Replace(validYAML, "    dir: drop\n", "    dir: drop"+s3src+"\n", 1)
			y = strings.Replace(y, "  dir: var/export", "  dir: var/export"+tc.edit, 1)
			path := filepath.Join(dir, "salesout.yaml")
			if err := os.WriteFile(path, []byte(y), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := Load(path, env(map[string]string{"SMTP_USER": "u", "SMTP_PASSWORD": "p"}))
			if len(tc.errs) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				ice := c.Export.Iceberg
				if ice == nil || !filepath.IsAbs(ice.Warehouse) && !strings.HasPrefix(ice.Warehouse, "s3://") {
					t.Fatalf("export.iceberg = %+v: the warehouse folder should be absolute", ice)
				}
				if ice.Namespace == "" {
					t.Error("namespace has no default")
				}
				if ice.Catalog.SQL != nil && strings.Contains(ice.Catalog.SQL.DSN.String(), "p@") {
					t.Error("the DSN's password prints")
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.errs)
			}
			for _, e := range tc.errs {
				if !strings.Contains(err.Error(), e) {
					t.Errorf("error %q lacks %q", err, e)
				}
			}
		})
	}
}
