// Package sqlfiles embeds the .sql files of this folder: schema migrations
// (migrations/NNN_*.sql), the SQL of each pipeline step (ingest/, match/, notify/,
// score/) and the analysts' views (views/), each readable on its own by an analyst. The
// header comment of a step's file says, in this order, `-- name: what it does`,
// `-- Reads: tables. Writes: tables.`, then its inputs, in one of two ways, never both:
//
//   - a step file (set-based work, run by warehouse.RunScript) declares the DuckDB
//     variables it reads, if any (`-- Variables: a, b, c`); package warehouse runs it
//     with exactly those set, and resets them afterwards;
//   - a statement file (one statement with bound values, often returning rows, read by
//     warehouse.Statement) declares its positional parameters (?) in the order of its
//     placeholders, numbered from 1, a value used twice declared twice, a note in
//     parentheses: `-- Parameters: 1 as_of (a date), 2 alert_id`, or
//     `-- Parameters: none`. A file that returns rows lists them after `-- Columns:`.
//
// Values are always bound, never formatted into the SQL text.
package sqlfiles

import "embed"

// FS holds every .sql file of this folder.
//
//go:embed migrations/*.sql ingest/*.sql match/*.sql notify/*.sql score/*.sql views/*.sql explain/*.sql report/*.sql sniff/*.sql status/*.sql
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
