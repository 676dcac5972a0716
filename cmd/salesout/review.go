package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/salesout/salesout/pipeline/match/review"
	"github.com/salesout/salesout/pipeline/warehouse"
)

func newReviewCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "review export|import",
		Short: "The review queue of reseller matches: out to analysts, their decisions back",
		Long: `The resellers the matcher could not decide on, with their best candidates, go out
to a spreadsheet (review export); the analysts' decisions come back into the overrides
file (matching.overrides) with review import, and the next run applies them first.`,
		Example: `  salesout review export --config salesout.yaml --out review.xlsx
  salesout review import --config salesout.yaml review.xlsx`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{"review: want `review export [--format csv|xlsx] [--out FILE]` or `review import FILE`"}
			}
			return usageError{fmt.Sprintf("review: unknown sub-command %q (want export or import)", args[0])}
		},
		RunE: func(*cobra.Command, []string) error { return nil },
	}
	var cfgPath, format, out string
	export := &cobra.Command{
		Use:   "export --config FILE [--format csv|xlsx] [--out FILE]",
		Short: "Write the review queue, most revenue at stake first, as CSV or XLSX",
		Long: `Write the published snapshot's match_review, most revenue first, with up to three
candidates each, as CSV or XLSX. No cell is ever a live formula.
Default format: xlsx into --out FILE, csv on standard output or into a .csv file.`,
		Example: `  salesout review export --config salesout.yaml --out review.xlsx
  salesout review export --config salesout.yaml --format csv > review.csv`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmdReviewExport(cmd.Context(), cfgPath, format, out)
		},
	}
	addConfigFlag(export, &cfgPath)
	addFormatFlag(export, &format, "", "csv", "xlsx")
	addOutFlag(export, &out, "`FILE` to write (default: standard output)")
	var importCfg string
	imp := &cobra.Command{
		Use:     "import --config FILE FILE",
		Short:   "Merge an analyst's filled-in review export into the overrides file",
		Example: `  salesout review import --config salesout.yaml review.xlsx`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"review import: want one FILE (a filled-in review export, .csv or .xlsx)"}
			}
			return nil
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"xlsx", "csv"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdReviewImport(cmd.Context(), importCfg, args[0])
		},
	}
	addConfigFlag(imp, &importCfg)
	cmd.AddCommand(export, imp)
	return cmd
}

// cmdReviewExport writes the published snapshot's match_review, most revenue first, as
// CSV or XLSX (safe to open: no cell is ever a live formula).
func cmdReviewExport(ctx context.Context, cfgPath, format, out string) error {
	// XLSX unless the output is standard output or a .csv file: a CSV opened and saved
	// in a spreadsheet loses the leading zeros of ids and postcodes.
	if format == "" {
		format = "xlsx"
		if out == "" || strings.EqualFold(filepath.Ext(out), ".csv") {
			format = "csv"
		}
	}
	if format != "csv" && format != "xlsx" {
		return usageError{fmt.Sprintf("review export: --format %q: want csv or xlsx", format)}
	}
	cfg, err := loadConfig(cfgPath)
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
	if out != "" {
		if f, err = os.Create(out); err != nil {
			return err
		}
		w = f
	}
	if format == "xlsx" {
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
	if out != "" {
		fmt.Fprintf(os.Stderr, "%d reseller(s) to review written to %s\n", len(items), out)
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
func cmdReviewImport(ctx context.Context, cfgPath, file string) error {
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		return err
	}
	ds, err := review.ReadDecisions(file)
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
			return invalidError{fmt.Errorf("review import %s:\n  %s", file, strings.Join(unknown, "\n  "))}
		}
	}
	added, replaced, err := review.MergeOverrides(cfg.Matching.Overrides, ds)
	if err != nil {
		return fmt.Errorf("review import: %w", err)
	}
	fmt.Printf("%d decision(s) read from %s: %d added, %d replaced in %s; the next run applies them\n",
		len(ds), file, added, replaced, cfg.Matching.Overrides)
	return nil
}
