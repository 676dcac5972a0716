package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The generator's answer key for reseller matching. The generator knows which party
// each line it writes is about, so it knows the truth a matcher has to find: for every
// reseller spelling a feed file holds — (distributor, reseller_id, reseller_name,
// reseller_postcode), each value exactly as the loader will have it after parsing the
// file — the partner it is, or none for a reseller the channel database does not list.
// It is written to truth/resellers.csv, which no feed and no reference of config.yaml
// reads: it is for tests and for whoever wants to measure a matcher on the demo, never
// an input of the pipeline.

// truthDir is the folder of the answer key, beside drop/ and ref/.
const truthDir = "truth"

// TruthFile is the path of the answer key relative to the demo folder, with slashes.
const TruthFile = truthDir + "/resellers.csv"

// TruthHeader is the header row of truth/resellers.csv.
var TruthHeader = []string{"distributor", "reseller_id", "reseller_name", "reseller_postcode", "true_partner_id"}

// TruthRow is one reseller spelling written into the feed files and the partner it
// truly is. Each value is what the loader puts into sales_out for the lines of that
// spelling: the text the format's reader takes out of the file (X12 elements, EDIFACT
// components joined as the reader joins them, CSV fields, Excel text cells), trimmed of
// leading and trailing spaces as the stager trims it; "" is absent (NULL in sales_out).
type TruthRow struct {
	Distributor      string // the feed's distributor code
	ResellerID       string // the distributor's account number; "" when its files carry none (HOTEL)
	ResellerName     string
	ResellerPostcode string
	PartnerID        string // the channel database's partner_id; "" for an unlisted reseller
}

// Key is the spelling of r: distributor, reseller_id, reseller_name, reseller_postcode.
func (r TruthRow) Key() [4]string {
	return [4]string{r.Distributor, r.ResellerID, r.ResellerName, r.ResellerPostcode}
}

// record is r as a row of truth/resellers.csv.
func (r TruthRow) record() []string {
	return []string{r.Distributor, r.ResellerID, r.ResellerName, r.ResellerPostcode, r.PartnerID}
}

// truthSet collects the spellings of the lines written into feed files, each with the
// partners it was written for (one, unless the generator wrote two resellers alike).
type truthSet map[[4]string][]string

// add records that a line of p was written under spelling key.
func (t truthSet) add(key [4]string, p *party) {
	if !slices.Contains(t[key], p.id) {
		t[key] = append(t[key], p.id)
	}
}

// rows are the truth's rows, sorted by spelling then partner: one per spelling and
// partner, so an ambiguous spelling has several. ambiguous counts those spellings.
func (t truthSet) rows() (rows []TruthRow, ambiguous int) {
	for k, ids := range t {
		if len(ids) > 1 {
			ambiguous++
		}
		for _, id := range ids {
			rows = append(rows, TruthRow{k[0], k[1], k[2], k[3], id})
		}
	}
	slices.SortFunc(rows, func(a, b TruthRow) int { return slices.Compare(a.record(), b.record()) })
	return rows, ambiguous
}

// resellerKey is the spelling of l's reseller as the loader reads it from def's files:
// distributor, reseller_id, reseller_name and reseller_postcode, each trimmed as the
// stager trims it (strings.TrimSpace), "" meaning absent.
func (def *feedDef) resellerKey(l *line) [4]string {
	var id, name, postcode string
	switch def.format {
	case formatX12:
		// N1*BY name and id, N4 postcode: single elements, read whole.
		b := x12BuyerOf(l.party)
		id, name, postcode = b.id, b.name, b.postcode
	case formatEDIFACT:
		// LOC+162 id; NAD+BY name in the components of C080, which the reader trims
		// and joins with a space, skipping empty ones; NAD postcode.
		b := edifactBuyerOf(l.party)
		id, name, postcode = b.id, edifactJoined(b.name), b.postcode
	default:
		// CSV fields and Excel text cells are read as written: the feed's column, else
		// its default, else absent.
		id, name, postcode = def.field("reseller_id", l), def.field("reseller_name", l), def.field("reseller_postcode", l)
	}
	return [4]string{def.code, strings.TrimSpace(id), strings.TrimSpace(name), strings.TrimSpace(postcode)}
}

// field is the value the loader reads for a canonical field on line l of a CSV or
// Excel file of def: the cell of the column mapped to it, else the feed's default.
func (def *feedDef) field(name string, l *line) string {
	for _, c := range def.columns {
		if c.field == name {
			return def.cell(name, l)
		}
	}
	for _, kv := range def.defaults {
		if kv[0] == name {
			return kv[1]
		}
	}
	return ""
}

// edifactJoined is a name split into C080 components as an EDIFACT reader gets it back:
// the first five components, each trimmed, the non-empty ones joined with a space.
func edifactJoined(parts []string) string {
	var kept []string
	for _, s := range parts[:min(len(parts), 5)] {
		if s = strings.TrimSpace(s); s != "" {
			kept = append(kept, s)
		}
	}
	return strings.Join(kept, " ")
}

// writeTruth writes the answer key, truth/resellers.csv, and a README saying what it is.
func writeTruth(dir string, rows []TruthRow, ambiguous int) error {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write(TruthHeader)
	for _, r := range rows {
		cw.Write(r.record())
	}
	if cw.Flush(); cw.Error() != nil {
		return fmt.Errorf("%s: %w", TruthFile, cw.Error())
	}
	folder := filepath.Join(dir, truthDir)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(TruthFile)), b.Bytes(), 0o644); err != nil {
		return err
	}
	readme := fmt.Sprintf(truthReadme, len(rows), ambiguous)
	return os.WriteFile(filepath.Join(folder, "README.md"), []byte(readme), 0o644)
}

const truthReadme = `# The demo's answer key for reseller matching

resellers.csv is written by ` + "`salesout demo`" + ` beside the data set. It is **not an
input of the pipeline**: config.yaml reads nothing in this folder (no feed's source or
match, no reference file). It is the generator's own knowledge of who each reseller is,
for measuring a matcher on the demo (see cmd/salesout/e2e_match_test.go).

One row per reseller spelling found in the feed files under drop/ and the partner it
truly is:

| column            | meaning |
|-------------------|---------|
| distributor       | the feed's distributor code |
| reseller_id       | the distributor's account number (empty: the files carry none) |
| reseller_name     | the name as the loader reads it (X12 upper-case ASCII, EDIFACT components joined with a space, CSV field, Excel cell) |
| reseller_postcode | the postcode as the loader reads it (ECHO's lost their leading zero) |
| true_partner_id   | the channel database's partner_id; empty for a reseller the channel database does not list |

Values are trimmed of leading and trailing spaces as the loader trims them; an empty
value is absent (NULL in sales_out). To check a run, join sales_out to this file on the
first four columns with NULL-safe equality (IS NOT DISTINCT FROM): every line has a row,
and a matched line's partner_id should be true_partner_id.

%d rows; %d spelling(s) standing for more than one partner (should be 0).
`
