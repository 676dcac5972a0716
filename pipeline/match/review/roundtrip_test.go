package review

import (
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestRoundTrip exports the sample queue, fills in the decision column as an analyst
// would (in the saving styles of several spreadsheet programs), and imports it: keys
// come back exactly, formula-like names included.
func TestRoundTrip(t *testing.T) {
	at := fixedNow(t)
	items := sampleItems()
	fill := map[int]map[string]string{
		1: {colDecision: "2", colNote: "same VAT number"},
		2: {colDecision: "none", colNote: "=SUM(1)"},
		3: {colDecision: " Not A Partner ", colNote: " '=checked "},
		4: {colDecision: "P777"},
		5: {colNote: "no decision: skipped"},
		6: {colDecision: "1", colNote: "two\nlines"},
	}
	want := []Decision{
		{Kind: KindPartner, PartnerID: "P1002", Note: "same VAT number"},
		{Kind: KindNoneOfThese, Rejected: []string{"P3000", "-P9"}, Note: "=SUM(1)"},
		{Kind: KindNotAPartner, Note: "=checked"},
		{Kind: KindPartner, PartnerID: "P777"},
		{Kind: KindPartner, PartnerID: "P6000", Note: "two\nlines"},
	}
	for i, it := range []int{0, 1, 2, 3, 5} {
		k := keyOf(items[it])
		want[i].Distributor, want[i].ResellerID, want[i].ResellerName, want[i].ResellerPostcode = k.Distributor, k.ResellerID, k.ResellerName, k.ResellerPostcode
		want[i].DecidedAt = at
	}
	for _, tc := range []struct {
		name string
		file string
		fill func(t *testing.T, path string)
	}{
		{"csv as written", "review.csv", func(t *testing.T, path string) {
			csvEdit(t, path, csvSave{bom: true}, csvSetCells(fill))
		}},
		{"csv UTF-8 from Excel, semicolons, CR LF", "review.csv", func(t *testing.T, path string) {
			csvEdit(t, path, csvSave{comma: ';', bom: true, crlf: true}, csvSetCells(fill))
		}},
		{"csv tabs, no byte-order mark", "review.csv", func(t *testing.T, path string) {
			csvEdit(t, path, csvSave{comma: '\t'}, csvSetCells(fill))
		}},
		{"csv trailing empty fields dropped", "review.csv", func(t *testing.T, path string) {
			csvEdit(t, path, csvSave{}, func(recs [][]string) [][]string {
				recs = csvSetCells(fill)(recs)
				for i := 1; i < len(recs); i++ {
					for len(recs[i]) > 0 && recs[i][len(recs[i])-1] == "" {
						recs[i] = recs[i][:len(recs[i])-1]
					}
				}
				return recs
			})
		}},
		{"xlsx text cells", "review.xlsx", func(t *testing.T, path string) {
			xlsxEdit(t, path, xlsxSetCells(t, fill))
		}},
		{"xlsx numbers typed, rows sorted", "review.xlsx", func(t *testing.T, path string) {
			xlsxEdit(t, path, func(f *excelize.File) {
				xlsxSetCells(t, fill)(f)
				for row, n := range map[int]int{1: 2, 6: 1} {
					if err := f.SetCellInt(reviewSheet, columnRef(t, colDecision, row+1), int64(n)); err != nil {
						t.Fatal(err)
					}
				}
				// Move the last data row down, leaving an empty row: order and gaps do not matter.
				rows, err := f.GetRows(reviewSheet)
				if err != nil {
					t.Fatal(err)
				}
				last := len(rows)
				if err := f.DuplicateRowTo(reviewSheet, last, last+3); err != nil {
					t.Fatal(err)
				}
				if err := f.RemoveRow(reviewSheet, last); err != nil {
					t.Fatal(err)
				}
			})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeExport(t, t.TempDir(), tc.file, items)
			tc.fill(t, path)
			got, err := ReadDecisions(path)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("decisions:\n got %+v\nwant %+v", got, want)
			}
			// And into the overrides file and back.
			over := path + ".overrides.csv"
			added, replaced, err := MergeOverrides(over, got)
			if err != nil || added != len(want) || replaced != 0 {
				t.Fatalf("MergeOverrides = %d, %d, %v", added, replaced, err)
			}
			back, err := ReadOverrides(over)
			if err != nil {
				t.Fatal(err)
			}
			if !decisionsEqual(back, want) {
				t.Errorf("overrides:\n got %+v\nwant %+v", back, want)
			}
		})
	}
}

// decisionsEqual compares decisions, times with time.Equal.
func decisionsEqual(a, b []Decision) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !x.DecidedAt.Equal(y.DecidedAt) {
			return false
		}
		x.DecidedAt, y.DecidedAt = time.Time{}, time.Time{}
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}
