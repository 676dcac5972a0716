// Package sqlfiles embeds the .sql files of this folder: schema migrations (NNN_*.sql)
// and the set-based steps of the pipeline, each readable on its own by an analyst.
package sqlfiles

import "embed"

// FS holds every .sql file of this folder.
//
//go:embed *.sql
var FS embed.FS

// Read returns the text of one embedded file; it panics on a missing name, which is a
// programming error caught by any test that runs the step.
func Read(name string) string {
	b, err := FS.ReadFile(name)
	if err != nil {
		panic("sqlfiles: " + err.Error())
	}
	return string(b)
}
