package review

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// decisionItems: row 1 has 3 candidates, row 2 one, row 3 none.
func decisionItems() []Item {
	return []Item{
		{Distributor: "ACME", ResellerID: "R1", ResellerName: "Three", Candidates: []Candidate{
			{PartnerID: "P1", Score: 0.9}, {PartnerID: "-P2", Score: 0.8}, {PartnerID: "P3", Score: 0.7}}},
		{Distributor: "ACME", ResellerID: "R2", ResellerName: "One", Candidates: []Candidate{{PartnerID: "P9", Score: 0.5}}},
		{Distributor: "ACME", ResellerID: "R3", ResellerName: "None"},
	}
}

// fillDecision exports decisionItems to dir in the format of file and writes the
// decision cells given by data row.
func fillDecision(t *testing.T, dir, file string, cells map[int]map[string]string) string {
	t.Helper()
	path := writeExport(t, dir, file, decisionItems())
	if strings.HasSuffix(file, ".xlsx") {
		xlsxEdit(t, path, xlsxSetCells(t, cells))
	} else {
		csvEdit(t, path, csvSave{bom: true}, csvSetCells(cells))
	}
	return path
}

func TestDecisionSpellings(t *testing.T) {
	fixedNow(t)
	for _, tc := range []struct {
		row      int
		decision string
		kind     string
		partner  string
		rejected []string
	}{
		{1, "1", KindPartner, "P1", nil},
		{1, "2", KindPartner, "-P2", nil},
		{1, "3", KindPartner, "P3", nil},
		{1, " 3 ", KindPartner, "P3", nil},
		{2, "1", KindPartner, "P9", nil},
		{1, "P4711", KindPartner, "P4711", nil},
		{3, "  P4711\t", KindPartner, "P4711", nil},
		{3, "12", KindPartner, "12", nil},
		{3, "'-P5", KindPartner, "-P5", nil},
		{3, "-P5", KindPartner, "-P5", nil},
		{3, "Partner 7", KindPartner, "Partner 7", nil},
		{1, "not a partner", KindNotAPartner, "", nil},
		{3, "not_a_partner", KindNotAPartner, "", nil},
		{3, "Not A Partner", KindNotAPartner, "", nil},
		{3, "NOT_A_PARTNER", KindNotAPartner, "", nil},
		{3, "not  a\tpartner", KindNotAPartner, "", nil},
		{1, "none of these", KindNoneOfThese, "", []string{"P1", "-P2", "P3"}},
		{1, "none_of_these", KindNoneOfThese, "", []string{"P1", "-P2", "P3"}},
		{1, "None Of These", KindNoneOfThese, "", []string{"P1", "-P2", "P3"}},
		{1, "2.00", KindPartner, "-P2", nil},
		{1, "none", KindNoneOfThese, "", []string{"P1", "-P2", "P3"}},
		{2, "NONE", KindNoneOfThese, "", []string{"P9"}},
	} {
		for _, file := range []string{"review.csv", "review.xlsx"} {
			path := fillDecision(t, t.TempDir(), file, map[int]map[string]string{tc.row: {colDecision: tc.decision}})
			got, err := ReadDecisions(path)
			if err != nil {
				t.Errorf("%s row %d %q: %v", file, tc.row, tc.decision, err)
				continue
			}
			want := Decision{Distributor: "ACME", ResellerID: decisionItems()[tc.row-1].ResellerID, ResellerName: decisionItems()[tc.row-1].ResellerName,
				Kind: tc.kind, PartnerID: tc.partner, Rejected: tc.rejected, DecidedAt: now().UTC().Truncate(1e9)}
			if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
				t.Errorf("%s row %d %q:\n got %+v\nwant %+v", file, tc.row, tc.decision, got, want)
			}
		}
	}
}

// TestDecisionNumberCells: numbers typed in the decision column (not text) count.
func TestDecisionNumberCells(t *testing.T) {
	fixedNow(t)
	path := writeExport(t, t.TempDir(), "review.xlsx", decisionItems())
	xlsxEdit(t, path, func(f *excelize.File) {
		if err := f.SetCellInt(reviewSheet, columnRef(t, colDecision, 2), 2); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellFloat(reviewSheet, columnRef(t, colDecision, 3), 1, 2, 64); err != nil { // shown 1.00
			t.Fatal(err)
		}
		if err := f.SetCellInt(reviewSheet, columnRef(t, colDecision, 4), 4711); err != nil {
			t.Fatal(err)
		}
	})
	got, err := ReadDecisions(path)
	if err != nil {
		t.Fatal(err)
	}
	var partners []string
	for _, d := range got {
		partners = append(partners, d.PartnerID)
	}
	if want := []string{"-P2", "P9", "4711"}; !reflect.DeepEqual(partners, want) {
		t.Errorf("partners %q, want %q", partners, want)
	}
}

// TestDecisionDuplicates: a reseller decided twice the same way counts once.
func TestDecisionDuplicates(t *testing.T) {
	fixedNow(t)
	path := writeExport(t, t.TempDir(), "review.csv", decisionItems())
	csvEdit(t, path, csvSave{}, func(recs [][]string) [][]string {
		recs = append(recs, append([]string(nil), recs[1]...))
		return csvSetCells(map[int]map[string]string{1: {colDecision: "2"}, 4: {colDecision: " 2"}})(recs)
	})
	got, err := ReadDecisions(path)
	if err != nil || len(got) != 1 || got[0].PartnerID != "-P2" {
		t.Errorf("ReadDecisions = %+v, %v; want one decision for -P2", got, err)
	}
}

func TestReadDecisionsErrors(t *testing.T) {
	fixedNow(t)
	dir := t.TempDir()
	t.Chdir(dir)
	set := func(cells map[int]map[string]string) func(t *testing.T, file string) string {
		return func(t *testing.T, file string) string { return fillDecision(t, ".", file, cells) }
	}
	one := func(row int, decision string) func(t *testing.T, file string) string {
		return set(map[int]map[string]string{row: {colDecision: decision}})
	}
	csvOnly := func(edit func(recs [][]string) [][]string) func(t *testing.T, file string) string {
		return func(t *testing.T, file string) string {
			path := writeExport(t, ".", file, decisionItems())
			csvEdit(t, path, csvSave{}, edit)
			return path
		}
	}
	raw := func(data string) func(t *testing.T, file string) string {
		return func(t *testing.T, file string) string {
			if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
			return file
		}
	}
	both := []string{"review.csv", "review.xlsx"}
	for _, tc := range []struct {
		name  string
		files []string
		make  func(t *testing.T, file string) string
		want  string // with FILE for the file name, UNIT for line or row
	}{
		{"candidate 4 of 3", both, one(1, "4"), `FILE UNIT 2: decision "4": there are only 3 candidates`},
		{"candidate 2 of 1", both, one(2, "2"), `FILE UNIT 3: decision "2": there is only 1 candidate`},
		{"candidate 9 of 1", both, one(2, "9"), `FILE UNIT 3: decision "9": there is only 1 candidate`},
		{"candidate 0", both, one(1, "0"), `FILE UNIT 2: decision "0": candidates are numbered from 1`},
		{"candidate of none", both, one(3, "1"),
			`FILE UNIT 4: decision "1": this reseller has no candidates; write a partner id, "not a partner" or "none of these"`},
		{"none of none", both, one(3, "none of these"),
			`FILE UNIT 4: decision "none of these": this reseller has no candidates to reject; write a partner id or "not a partner"`},
		{"misspelt not a partner", both, one(1, "not partner"),
			`FILE UNIT 2: decision "not partner": not a decision; write 1, 2 or 3, a partner id, "not a partner" or "none of these"`},
		{"misspelt none of these", both, one(1, "None of them"),
			`FILE UNIT 2: decision "None of them": not a decision; write 1, 2 or 3, a partner id, "not a partner" or "none of these"`},
		{"partner id with line break", both, one(1, "P1\nP2"),
			`FILE UNIT 2: decision "P1\nP2": not a partner id: "P1\nP2" contains a tab, line break or control character`},
		{"distributor cleared", both, set(map[int]map[string]string{2: {colDecision: "1", colDistributor: ""}}),
			`FILE UNIT 3: distributor: empty (the key columns must stay as exported)`},
		{"note with control character", []string{"review.csv"}, set(map[int]map[string]string{2: {colDecision: "1", colNote: "a\x01b"}}),
			`FILE UNIT 3: note: contains the control character U+0001`},
		{"several errors", both, set(map[int]map[string]string{1: {colDecision: "5"}, 2: {colDecision: "1"}, 3: {colDecision: "2"}}),
			"FILE UNIT 2: decision \"5\": there are only 3 candidates\nFILE UNIT 4: decision \"2\": this reseller has no candidates; write a partner id, \"not a partner\" or \"none of these\""},
		{"decided twice differently", []string{"review.csv"}, csvOnly(func(recs [][]string) [][]string {
			recs = append(recs, append([]string(nil), recs[1]...))
			return csvSetCells(map[int]map[string]string{1: {colDecision: "1"}, 4: {colDecision: "2"}})(recs)
		}), `FILE UNIT 5: the same reseller is decided differently on line 2`},
		{"missing columns", []string{"review.csv"}, csvOnly(func(recs [][]string) [][]string {
			for i := range recs {
				recs[i] = append(recs[i][:19], recs[i][20:24]...) // drops candidate_3_partner_id, decision, note
			}
			return recs
		}), `FILE UNIT 1: missing columns candidate_3_partner_id, decision (the header has 23 columns; is this the right file?)`},
		{"column twice", []string{"review.csv"}, csvOnly(func(recs [][]string) [][]string {
			recs[0][8] = " Decision "
			return recs
		}), `FILE UNIT 1: column decision appears twice (columns 9 and 25)`},
		{"not UTF-8", []string{"review.csv"}, raw(strings.Join(exportHeader(), ",") + "\nACME,R1,M\xfcller,,,,,,,,,,,,,,,,,,,,,,1,\n"),
			`FILE UNIT 2: not UTF-8 text; save the file as "CSV UTF-8"`},
		{"bad quoting", []string{"review.csv"}, raw(strings.Join(exportHeader(), ",") + "\nACME,R1,\"Shop\"x,,\n"),
			`FILE UNIT 2: extraneous or missing " in quoted-field`},
		{"empty file", []string{"review.csv"}, raw(""),
			`FILE: empty file; expected a header with the columns distributor, reseller_id, reseller_name, reseller_postcode, candidate_1_partner_id, candidate_2_partner_id, candidate_3_partner_id, decision`},
		{"not a workbook", []string{"review.xlsx"}, raw("distributor,decision\n"),
			`FILE: not a readable xlsx workbook (save it as an Excel workbook, .xlsx, without a password): zip: not a valid zip file`},
		{"empty sheet", []string{"review.xlsx"}, func(t *testing.T, file string) string {
			f := excelize.NewFile()
			defer f.Close()
			if err := f.SaveAs(file); err != nil {
				t.Fatal(err)
			}
			return file
		}, `FILE: sheet "Sheet1" is empty; expected a header with the columns distributor, reseller_id, reseller_name, reseller_postcode, candidate_1_partner_id, candidate_2_partner_id, candidate_3_partner_id, decision`},
		{"wrong sheet first", []string{"review.xlsx"}, func(t *testing.T, file string) string {
			path := writeExport(t, ".", file, decisionItems())
			xlsxEdit(t, path, func(f *excelize.File) {
				if err := f.SetSheetName(reviewSheet, "Data"); err != nil {
					t.Fatal(err)
				}
				if err := f.MoveSheet(howToSheet, "Data"); err != nil {
					t.Fatal(err)
				}
			})
			return path
		}, `FILE sheet "How to" UNIT 1: missing columns distributor, reseller_id, reseller_name, reseller_postcode, candidate_1_partner_id, candidate_2_partner_id, candidate_3_partner_id, decision (the header has 1 columns; is this the right file?)`},
		{"unknown extension", []string{"review.ods"}, raw(""), `FILE: unknown file type ".ods": expected a review export, .xlsx or .csv`},
		{"missing file", []string{"gone.csv", "gone.xlsx"}, func(t *testing.T, file string) string { return file },
			`open FILE: no such file or directory`},
	} {
		for _, file := range tc.files {
			t.Run(tc.name+"/"+file, func(t *testing.T) {
				path := tc.make(t, file)
				_, err := ReadDecisions(path)
				unit := "line"
				if strings.HasSuffix(file, ".xlsx") {
					unit = "row"
				}
				want := strings.NewReplacer("FILE", file, "UNIT", unit).Replace(tc.want)
				if err == nil || err.Error() != want {
					t.Errorf("error\n %v\nwant\n %s", err, want)
				}
				os.Remove(file)
			})
		}
	}
}

// TestReadDecisionsManyErrors: at most maxRowErrors are listed, then a count.
func TestReadDecisionsManyErrors(t *testing.T) {
	fixedNow(t)
	var items []Item
	fill := make(map[int]map[string]string)
	for i := range 60 {
		items = append(items, Item{Distributor: "ACME", ResellerID: string(rune('a' + i))})
		fill[i+1] = map[string]string{colDecision: "1"}
	}
	path := writeExport(t, t.TempDir(), "review.csv", items)
	csvEdit(t, path, csvSave{}, csvSetCells(fill))
	_, err := ReadDecisions(path)
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != maxRowErrors+1 || lines[maxRowErrors] != "and 10 more errors" {
		t.Errorf("%d lines, the last %q", len(lines), lines[len(lines)-1])
	}
}
