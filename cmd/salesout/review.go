package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/salesout/salesout/pipeline/match/review"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// cmdReview is `salesout review export|import`: the review queue of reseller matches,
// out to a spreadsheet for analysts and their decisions back into the overrides file.
func cmdReview(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{"review: want `review export [--format csv|xlsx] [--out FILE]` or `review import FILE`"}
	}
	switch args[0] {
	case "export":
		return cmdReviewExport(ctx, args[1:])
	case "import":
		return cmdReviewImport(ctx, args[1:])
	}
	return usageError{fmt.Sprintf("review: unknown sub-command %q (want export or import)", args[0])}
}

// cmdReviewExport writes the published snapshot's match_review, most revenue first, as
// CSV or XLSX (safe to open: no cell is ever a live formula).
func cmdReviewExport(ctx context.Context, args []string) error {
	fs := newFlags("review export")
	cfgPath := fs.String("config", "", "config file")
	format := fs.String("format", "", "csv or xlsx (default: xlsx into --out FILE, csv on standard output or into a .csv)")
	out := fs.String("out", "", "file to write (default: standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("review export: unexpected argument %q", fs.Arg(0))}
	}
	// XLSX unless the output is standard output or a .csv file: a CSV opened and saved
	// in a spreadsheet loses the leading zeros of ids and postcodes.
	if *format == "" {
		*format = "xlsx"
		if *out == "" || strings.EqualFold(filepath.Ext(*out), ".csv") {
			*format = "csv"
		}
	}
	if *format != "csv" && *format != "xlsx" {
		return usageError{fmt.Sprintf("review export: --format %q: want csv or xlsx", *format)}
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	db, err := openSnapshot(cfg.Warehouse.Publish)
	if err != nil {
		return err
	}
	defer db.Close()
	items, err := reviewItems(ctx, db)
	if err != nil {
		return err
	}
	var w io.Writer = os.Stdout
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			return err
		}
		w = f
	}
	if *format == "xlsx" {
		err = review.WriteXLSX(w, items)
	} else {
		err = review.WriteCSV(w, items)
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("review export: %w", err)
	}
	if *out != "" {
		fmt.Fprintf(os.Stderr, "%d reseller(s) to review written to %s\n", len(items), *out)
	}
	return nil
}

func openSnapshot(path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("the published snapshot %s is not there yet: run the pipeline with the export step first", path)
	}
	return sql.Open("duckdb", path+"?access_mode=read_only")
}

// reviewItems reads the review queue with each candidate's postcode and city.
func reviewItems(ctx context.Context, db *sql.DB) ([]review.Item, error) {
	rows, err := db.QueryContext(ctx, warehouse.Statement("match/review_items.sql"))
	if err != nil {
		return nil, fmt.Errorf("read match_review: %w", err)
	}
	defer rows.Close()
	var items []review.Item
	for rows.Next() {
		var it review.Item
		var c [3]review.Candidate
		dest := []any{&it.Distributor, &it.ResellerID, &it.ResellerName, &it.ResellerPostcode, &it.ResellerCity,
			&it.ResellerCountry, &it.Lines, &it.Revenue, &it.Reason}
		for i := range c {
			dest = append(dest, &c[i].PartnerID, &c[i].Name, &c[i].Postcode, &c[i].City, &c[i].Score, &c[i].Evidence)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read match_review: %w", err)
		}
		for _, cand := range c {
			if cand.PartnerID != "" {
				it.Candidates = append(it.Candidates, cand)
			}
		}
		items = append(items, it)
	}
	return items, rows.Err()
}

// cmdReviewImport reads an analyst's filled-in export and merges the decisions into
// the overrides file (matching.overrides); the next run applies them first.
func cmdReviewImport(ctx context.Context, args []string) error {
	fs := newFlags("review import")
	cfgPath := fs.String("config", "", "config file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"review import: want one FILE (a filled-in review export, .csv or .xlsx)"}
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	ds, err := review.ReadDecisions(fs.Arg(0))
	if err != nil {
		return invalidError{err}
	}
	// A partner id must be one of the channel database's, as last published.
	if db, err := openSnapshot(cfg.Warehouse.Publish); err == nil {
		defer db.Close()
		var unknown []string
		for _, d := range ds {
			if d.Kind != review.KindPartner {
				continue
			}
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM partners WHERE partner_id = ?`, d.PartnerID).Scan(&n); err != nil {
				return fmt.Errorf("review import: check partner ids: %w", err)
			}
			if n == 0 {
				unknown = append(unknown, fmt.Sprintf("%s: partner %q is not in the channel database", d.Key(), d.PartnerID))
			}
		}
		for _, d := range ds {
			var n int
			if err := db.QueryRowContext(ctx, warehouse.Statement("match/spelling_published.sql"),
				d.Distributor, d.ResellerID, d.ResellerName, d.ResellerPostcode).Scan(&n); err != nil {
				return fmt.Errorf("review import: check reseller keys: %w", err)
			}
			if n == 0 {
				fmt.Fprintf(os.Stderr, "warning: %s: no such reseller in the published matches (a spreadsheet may have dropped a leading zero); the decision is kept but applies only if the distributor reports it so\n", d.Key())
			}
		}
		if len(unknown) > 0 {
			return invalidError{fmt.Errorf("review import %s:\n  %s", fs.Arg(0), strings.Join(unknown, "\n  "))}
		}
	}
	added, replaced, err := review.MergeOverrides(cfg.Matching.Overrides, ds)
	if err != nil {
		return fmt.Errorf("review import: %w", err)
	}
	fmt.Printf("%d decision(s) read from %s: %d added, %d replaced in %s; the next run applies them\n",
		len(ds), fs.Arg(0), added, replaced, cfg.Matching.Overrides)
	return nil
}
