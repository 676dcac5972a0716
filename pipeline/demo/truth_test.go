package demo

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/salesout/salesout/pipeline/config"
)

// TestTruthIsComplete reads every feed file with the contract's readers of read_test.go
// (not with the generator's code) and checks the answer key of reseller matching
// against them: every spelling (distributor, reseller_id, reseller_name,
// reseller_postcode) that a file's line carries is in truth/resellers.csv, with one
// partner; no row of the key is a spelling no file carries; where a line carries a
// registration or VAT number that the channel database lists for one partner only, the
// key names that partner. It also checks that the pipeline cannot read the key, and
// logs how many lines are of resellers the channel database does not list, which no
// matcher can match.
func TestTruthIsComplete(t *testing.T) {
	sum, cfg := defaultDemo(t)
	dir := filepath.Dir(sum.Config)

	// The file is the summary's key.
	if sum.TruthFile != filepath.Join(dir, "truth", "resellers.csv") {
		t.Errorf("truth file %s", sum.TruthFile)
	}
	header, recs := readCSV(t, sum.TruthFile)
	if !slices.Equal(header, []string{"distributor", "reseller_id", "reseller_name", "reseller_postcode", "true_partner_id"}) {
		t.Errorf("header %q", header)
	}
	if len(recs) != len(sum.Truth) {
		t.Fatalf("%d rows in %s, %d in Summary.Truth", len(recs), sum.TruthFile, len(sum.Truth))
	}
	for i, r := range sum.Truth {
		if !slices.Equal(recs[i], r.record()) {
			t.Fatalf("row %d of the file %q, of Summary.Truth %q", i+1, recs[i], r.record())
		}
	}

	// One partner per spelling.
	truth := map[[4]string][]string{}
	for _, r := range sum.Truth {
		truth[r.Key()] = append(truth[r.Key()], r.PartnerID)
	}
	var ambiguous []string
	for k, ids := range truth {
		if len(ids) > 1 {
			ambiguous = append(ambiguous, fmt.Sprintf("%q → %v", k, ids))
		}
	}
	slices.Sort(ambiguous)
	if len(ambiguous) > 0 || sum.Ambiguous != 0 {
		t.Errorf("%d spellings stand for several partners (summary: %d), e.g. %v", len(ambiguous), sum.Ambiguous, ambiguous[:min(20, len(ambiguous))])
	}

	ids := newIdentifiers(t, cfg)
	type tally struct{ spellings, lines, unlisted, byID int }
	per := map[string]*tally{}
	seen := map[[4]string]bool{}
	missing := map[[4]string]string{} // spelling → the first file carrying it
	var wrong []string
	var total, unlisted int
	for _, f := range cfg.Feeds {
		names, err := feedFileNames(cfg, f)
		if err != nil {
			t.Fatal(err)
		}
		c := &tally{}
		per[f.Distributor] = c
		for _, name := range names {
			rd, err := readLines(name, f)
			if err != nil {
				if !strings.HasSuffix(name, "_complement.csv") { // the corrupt file
					t.Errorf("%s: %v", filepath.Base(name), err)
				}
				continue
			}
			for _, l := range rd.lines {
				r := l.reseller
				if r.id == "" && r.name == "" {
					continue // a totals row: quarantined, no reseller
				}
				key := [4]string{f.Distributor, r.id, r.name, r.postcode}
				partners, ok := truth[key]
				if !ok {
					if _, dup := missing[key]; !dup {
						missing[key] = filepath.Base(name)
					}
					continue
				}
				if !seen[key] {
					seen[key] = true
					c.spellings++
				}
				if l.err != nil {
					continue // quarantined: not in sales_out
				}
				c.lines++
				total++
				if partners[0] == "" {
					c.unlisted++
					unlisted++
				}
				if want, n := ids.partner(r); n == 1 {
					c.byID++
					if !slices.Contains(partners, want) && len(wrong) < 20 {
						wrong = append(wrong, fmt.Sprintf("%s: %q (registration %q, VAT %q) is %s by its identifiers, %q by the truth",
							filepath.Base(name), key, r.registration, r.vat, want, partners))
					}
				}
			}
		}
	}
	if len(missing) > 0 {
		var e []string
		for k, name := range missing {
			e = append(e, fmt.Sprintf("%q (first in %s)", k, name))
		}
		slices.Sort(e)
		t.Errorf("%d spellings of the files are missing from the truth, e.g.:\n  %s", len(missing), strings.Join(e[:min(20, len(e))], "\n  "))
	}
	if len(wrong) > 0 {
		t.Errorf("the truth contradicts the lines' registration or VAT numbers, e.g.:\n  %s", strings.Join(wrong, "\n  "))
	}
	var stale []string
	for k := range truth {
		if !seen[k] {
			stale = append(stale, fmt.Sprintf("%q", k))
		}
	}
	slices.Sort(stale)
	if len(stale) > 0 {
		t.Errorf("%d spellings of the truth are in no file, e.g. %v", len(stale), stale[:min(20, len(stale))])
	}
	for _, d := range sum.Distributors {
		c := per[d]
		t.Logf("%-8s %4d spellings, %6d lines, %5.2f %% of them of unlisted resellers, %6d checked against their registration or VAT",
			d, c.spellings, c.lines, 100*float64(c.unlisted)/float64(max(c.lines, 1)), c.byID)
	}
	// No matcher can match the lines of unlisted resellers without being wrong: this is
	// the ceiling of the share of lines matched.
	share := float64(unlisted) / float64(total)
	t.Logf("%d rows in the truth; %d lines (restated and resent files included), %d (%.2f %%) of unlisted resellers: at most %.2f %% of lines can be matched",
		len(sum.Truth), total, unlisted, 100*share, 100*(1-share))

	// The pipeline does not read the key: no source folder holds it, no feed's glob
	// takes its name, no reference file is in its folder.
	truthDir := filepath.Dir(sum.TruthFile)
	for _, f := range cfg.Feeds {
		src := cfg.Source(f.Source).Dir
		if rel, err := filepath.Rel(src, truthDir); err == nil && !strings.HasPrefix(rel, "..") {
			t.Errorf("feed %s reads %s, which holds the truth", f.Name, src)
		}
		for _, name := range []string{"resellers.csv", "README.md"} {
			if ok, _ := filepath.Match(f.Match, name); ok {
				t.Errorf("feed %s's match %q takes %s", f.Name, f.Match, name)
			}
		}
	}
	for _, ref := range []config.RefSource{cfg.Reference.ChannelDB, cfg.Reference.Products, cfg.Reference.FXRates, cfg.Reference.Targets, cfg.Reference.Reps} {
		if strings.HasPrefix(ref.File, truthDir+string(os.PathSeparator)) {
			t.Errorf("reference %s is in the truth's folder", ref.File)
		}
	}
}

// identifiers are the channel database's registrations and VAT numbers, to find a
// line's partner by them.
type identifiers struct {
	registration map[string][]string // SIRET, and SIREN, of the partners listing one
	vat          map[string][]string // compact VAT number
}

func newIdentifiers(t *testing.T, cfg *config.Config) *identifiers {
	t.Helper()
	header, rows := readCSV(t, cfg.Reference.ChannelDB.File)
	col := func(name string) int {
		i := slices.Index(header, name)
		if i < 0 {
			t.Fatalf("channel.csv has no column %s", name)
		}
		return i
	}
	id, reg, vat := col("partner_id"), col("registration"), col("vat")
	ids := &identifiers{registration: map[string][]string{}, vat: map[string][]string{}}
	for _, r := range rows {
		if s := r[reg]; s != "" {
			ids.registration[s] = append(ids.registration[s], r[id])
			if len(s) == 14 { // a SIRET: its company's SIREN too
				ids.registration[s[:9]] = append(ids.registration[s[:9]], r[id])
			}
		}
		if s := r[vat]; s != "" {
			ids.vat[s] = append(ids.vat[s], r[id])
		}
	}
	return ids
}

// partner is the partner a line's registration or VAT number designates and the
// number of partners they designate: 1 when they tell.
func (ids *identifiers) partner(r resellerRead) (string, int) {
	var found []string
	if s := r.registration; s != "" {
		found = ids.registration[s]
		if len(found) == 0 && len(s) == 14 {
			// A SIRET the channel database does not list: its SIREN may be listed.
			found = ids.registration[s[:9]]
		}
	}
	if len(found) == 0 && r.vat != "" {
		found = ids.vat[compactVAT(r.vat)]
	}
	found = slices.Compact(slices.Sorted(slices.Values(found)))
	if len(found) != 1 {
		return "", len(found)
	}
	return found[0], 1
}

// compactVAT is a VAT number as printed ("FR 12 345 678 901", "CHE-123.456.789 MWST")
// as the channel database lists it: letters and digits, without the Swiss tax's name.
func compactVAT(s string) string {
	s = strings.ToUpper(s)
	for _, tax := range []string{" MWST", " TVA", " IVA"} {
		s = strings.TrimSuffix(s, tax)
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}
