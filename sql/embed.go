// Package sqlfiles embeds the .sql files of this folder: schema migrations
// (migrations/NNN_*.sql) and the set-based work of each pipeline step (ingest/, match/,
// score/), each readable on its own by an analyst. A step file declares the DuckDB
// variables it reads in its header (`-- Variables: a, b, c`); package warehouse runs it
// with exactly those set, and resets them afterwards.
package sqlfiles

import "embed"

// FS holds every .sql file of this folder.
//
//go:embed migrations/*.sql ingest/*.sql match/*.sql score/*.sql
var FS embed.FS

// Read returns the text of one embedded file ("score/partner_scores.sql"); it panics on
// a missing name, which is a programming error caught by any test that runs the step.
func Read(name string) string {
	b, err := FS.ReadFile(name)
	if err != nil {
		panic("sqlfiles: " + err.Error())
	}
	return string(b)
}
