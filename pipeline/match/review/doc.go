// Package review is the file side of the match review queue: it writes the resellers
// that matching could not place with confidence to a spreadsheet for analysts (CSV or
// XLSX, see WriteCSV and WriteXLSX), reads their decisions back from the filled-in file
// (ReadDecisions) and keeps the decisions in the overrides file named by the config key
// matching.overrides (ReadOverrides, MergeOverrides). It does not touch the database:
// the caller builds the items from the review queue and checks that the partner ids
// decided exist in the channel database.
//
// # The export
//
// One row per reseller spelling, in the order given (most revenue first), with these
// columns:
//
//	distributor, reseller_id, reseller_name, reseller_postcode, reseller_city,
//	reseller_country, lines, revenue, reason,
//	candidate_1_partner_id, candidate_1_name, candidate_1_town, candidate_1_score,
//	candidate_1_evidence, the same for candidates 2 and 3,
//	decision, note
//
// candidate_N_town is the candidate's postcode and city. decision and note are empty,
// for the analyst. The four key columns (distributor, reseller_id, reseller_name,
// reseller_postcode) identify the reseller spelling: analysts must not edit them.
//
// # Accepted decisions
//
// In the decision column the analyst writes one of (case, surrounding spaces and
// underscores for spaces do not matter):
//
//	1, 2 or 3                         that candidate is the reseller's partner
//	any other partner id              that partner (one not among the candidates)
//	not a partner, not_a_partner      the reseller is no partner of ours
//	none of these, none_of_these,     none of the candidates shown is right; the
//	none                              reseller stays unmatched and these candidates
//	                                  are not proposed again
//
// A single digit always means a candidate number, never a partner id. A row whose
// decision cell is empty is skipped; note is free text kept with the decision.
//
// # Spreadsheet safety
//
// A spreadsheet may run a cell that starts with =, +, -, @, tab, carriage return or line
// feed as a formula (CSV or formula injection). Reseller names come from distributors'
// files, so every text cell that starts with one of these, possibly after single
// quotes, gets one more single quote in front, in the CSV, in the XLSX and in the
// overrides file (the OWASP advice); the XLSX also writes every text as a string cell,
// never as a formula. Reading removes that one quote again, so names round-trip
// exactly: =SUM(A1) is written '=SUM(A1) and read back =SUM(A1); '=x is written with
// two quotes; 't Hoekje is written as is. A value typed without the quote is read as
// typed. Numbers (lines, revenue, scores) are numeric cells in the XLSX and plain
// decimals in the CSV.
//
// # Files read back
//
// ReadDecisions takes the filled-in export: an .xlsx workbook (the sheet "Review", else
// the first sheet; header in row 1) or a .csv file (UTF-8, with or without a byte-order
// mark, separated by commas, semicolons or tabs as Excel saves it in some locales).
// Columns are found by name, in any order; extra columns are ignored. Errors name the
// file, the line (CSV) or row (XLSX) and the field, and all of a file's row errors are
// reported together.
//
// The overrides file is CSV with the header
//
//	distributor,reseller_id,reseller_name,reseller_postcode,decision,partner_id,rejected,decided_at,note
//
// where decision is partner, not_a_partner or none_of_these, partner_id is set for
// partner only, rejected lists the rejected partner ids separated by ";" for
// none_of_these only, and decided_at is an RFC 3339 time. It may be edited by hand, so
// reading it validates every field.
//
// The CSV export hazard: Excel opening a CSV turns ids and postcodes such as 00123 into
// numbers (123) and saves them so; the XLSX export keeps every text as text. Prefer the
// XLSX for analysts working in Excel.
package review
