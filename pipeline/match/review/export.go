package review

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Candidate is a channel-database partner proposed for a reseller.
type Candidate struct {
	PartnerID string
	Name      string
	Postcode  string
	City      string
	Score     float64 // 0-1
	Evidence  string  // why it was proposed, for the analyst
}

// Item is one reseller spelling of the review queue, as a distributor reports it.
type Item struct {
	Distributor      string // required
	ResellerID       string
	ResellerName     string
	ResellerPostcode string
	ResellerCity     string
	ResellerCountry  string
	Lines            int64
	Revenue          string // exact decimal text in the base currency, e.g. "12345.67"; "" if unknown
	Reason           string // why it needs review
	Candidates       []Candidate
}

// MaxCandidates is the most candidates an item may carry.
const MaxCandidates = 3

// The export's column names, in order.
const (
	colDistributor      = "distributor"
	colResellerID       = "reseller_id"
	colResellerName     = "reseller_name"
	colResellerPostcode = "reseller_postcode"
	colResellerCity     = "reseller_city"
	colResellerCountry  = "reseller_country"
	colLines            = "lines"
	colRevenue          = "revenue"
	colReason           = "reason"
	colDecision         = "decision"
	colNote             = "note"
)

// candidateColumn names the column of a candidate's field (n from 1).
func candidateColumn(n int, field string) string {
	return fmt.Sprintf("candidate_%d_%s", n, field)
}

// cellKind says how a column's cells are written.
type cellKind int

const (
	kindText  cellKind = iota // text, protected against formula injection
	kindCount                 // whole number (lines)
	kindMoney                 // exact decimal text (revenue)
	kindScore                 // 0-1
	kindInput                 // empty, for the analyst
)

// column describes one column of the export.
type column struct {
	name  string
	kind  cellKind
	width float64 // XLSX column width, in characters
}

// exportColumns are the export's columns, in order.
var exportColumns = func() []column {
	cols := []column{
		{colDistributor, kindText, 12},
		{colResellerID, kindText, 14},
		{colResellerName, kindText, 34},
		{colResellerPostcode, kindText, 11},
		{colResellerCity, kindText, 18},
		{colResellerCountry, kindText, 9},
		{colLines, kindCount, 8},
		{colRevenue, kindMoney, 14},
		{colReason, kindText, 28},
	}
	for n := 1; n <= MaxCandidates; n++ {
		cols = append(cols,
			column{candidateColumn(n, "partner_id"), kindText, 14},
			column{candidateColumn(n, "name"), kindText, 30},
			column{candidateColumn(n, "town"), kindText, 22},
			column{candidateColumn(n, "score"), kindScore, 8},
			column{candidateColumn(n, "evidence"), kindText, 36},
		)
	}
	return append(cols, column{colDecision, kindInput, 18}, column{colNote, kindInput, 36})
}()

// exportHeader returns the export's column names.
func exportHeader() []string {
	h := make([]string, len(exportColumns))
	for i, c := range exportColumns {
		h[i] = c.name
	}
	return h
}

// cell is one value of an export row. text is what the CSV holds (protected text, or
// a plain number); num is the value of a numeric cell (kindCount, kindMoney,
// kindScore) when text is not empty.
type cell struct {
	text string
	num  float64
}

// decimalText matches the exact decimal text of a revenue.
var decimalText = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// exportRow validates it and returns its cells, one per export column. Key text (read
// back from the filled-in file) must be writable exactly; other text is made fit.
func exportRow(it Item) ([]cell, error) {
	row := make([]cell, 0, len(exportColumns))
	key := func(field, s string) error {
		if p := textProblem(s); p != "" {
			return fmt.Errorf("%s: %s", field, p)
		}
		s = protect(s)
		if p := cellLenProblem(s); p != "" {
			return fmt.Errorf("%s: %s", field, p)
		}
		row = append(row, cell{text: s})
		return nil
	}
	show := func(s string) { row = append(row, cell{text: displayText(s)}) }

	if it.Distributor == "" {
		return nil, fmt.Errorf("%s: empty", colDistributor)
	}
	if len(it.Candidates) > MaxCandidates {
		return nil, fmt.Errorf("%d candidates, at most %d may be shown", len(it.Candidates), MaxCandidates)
	}
	for _, f := range []struct{ name, v string }{
		{colDistributor, it.Distributor}, {colResellerID, it.ResellerID},
		{colResellerName, it.ResellerName}, {colResellerPostcode, it.ResellerPostcode},
	} {
		if err := key(f.name, f.v); err != nil {
			return nil, err
		}
	}
	show(it.ResellerCity)
	show(it.ResellerCountry)
	if it.Lines < 0 {
		return nil, fmt.Errorf("%s: %d is negative", colLines, it.Lines)
	}
	row = append(row, cell{text: strconv.FormatInt(it.Lines, 10), num: float64(it.Lines)})
	if it.Revenue == "" {
		row = append(row, cell{})
	} else {
		if !decimalText.MatchString(it.Revenue) {
			return nil, fmt.Errorf("%s %s: not a decimal number such as 12345.67", colRevenue, quoteShort(it.Revenue))
		}
		v, err := strconv.ParseFloat(it.Revenue, 64)
		if err != nil || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s %s: out of range", colRevenue, quoteShort(it.Revenue))
		}
		row = append(row, cell{text: it.Revenue, num: v})
	}
	show(it.Reason)
	for n := 1; n <= MaxCandidates; n++ {
		if n > len(it.Candidates) {
			row = append(row, cell{}, cell{}, cell{}, cell{}, cell{})
			continue
		}
		c := it.Candidates[n-1]
		id := candidateColumn(n, "partner_id")
		if err := checkPartnerID(c.PartnerID); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		if err := key(id, c.PartnerID); err != nil {
			return nil, err
		}
		show(c.Name)
		show(strings.TrimSpace(strings.TrimSpace(c.Postcode) + " " + strings.TrimSpace(c.City)))
		if math.IsNaN(c.Score) || c.Score < 0 || c.Score > 1 {
			return nil, fmt.Errorf("%s: %v is not between 0 and 1", candidateColumn(n, "score"), c.Score)
		}
		row = append(row, cell{text: strconv.FormatFloat(c.Score, 'f', 2, 64), num: c.Score})
		show(c.Evidence)
	}
	return append(row, cell{}, cell{}), nil
}

// exportRows validates items and returns their rows, or an error naming the first
// invalid item (counted from 1) and its field.
func exportRows(items []Item) ([][]cell, error) {
	rows := make([][]cell, len(items))
	for i, it := range items {
		row, err := exportRow(it)
		if err != nil {
			return nil, fmt.Errorf("review: item %d (distributor %s, reseller_id %s, reseller_name %s): %w",
				i+1, quoteShort(it.Distributor), quoteShort(it.ResellerID), quoteShort(it.ResellerName), err)
		}
		rows[i] = row
	}
	return rows, nil
}
