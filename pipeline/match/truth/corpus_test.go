package truth

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/matchtruth from the generator")

// The committed corpus: testdata/matchtruth at the repository root.
const (
	corpusSeed      = 2026
	corpusCompanies = 3000
	corpusResellers = 1500
	corpusMinRows   = 40 // every case has at least this many rows
)

var corpusDir = filepath.Join("..", "..", "..", "testdata", "matchtruth")

// TestCorpus checks that the committed corpus is exactly the generator's output for its
// seed (go test ./pipeline/match/truth -run TestCorpus -update rewrites it), and that it
// holds what evaluators rely on.
func TestCorpus(t *testing.T) {
	c := Generate(corpusSeed, corpusCompanies, corpusResellers)
	files := map[string][]byte{"README.md": []byte(readme(c))}
	tmp := t.TempDir()
	if err := c.Write(tmp); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{companiesFile, resellersFile} {
		data, err := os.ReadFile(filepath.Join(tmp, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = data
	}
	if *update {
		if err := os.MkdirAll(corpusDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range files {
			if err := os.WriteFile(filepath.Join(corpusDir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(corpusDir, name))
		if err != nil {
			t.Fatalf("%v (run go test ./pipeline/match/truth -run TestCorpus -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's output for seed %d: run go test ./pipeline/match/truth -run TestCorpus -update",
				name, corpusSeed)
		}
	}
	committed, err := Load(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("cases", func(t *testing.T) { checkCaseCounts(t, committed, corpusMinRows) })
	t.Run("truth", func(t *testing.T) { checkTruth(t, committed) })
	t.Run("identifiers", func(t *testing.T) { checkIdentifiers(t, committed) })
	t.Run("defensible", func(t *testing.T) { checkDefensible(t, committed) })
	t.Run("realistic", func(t *testing.T) { checkRealistic(t, committed) })
	t.Run("round trip", func(t *testing.T) {
		dir := t.TempDir()
		if err := committed.Write(dir); err != nil {
			t.Fatal(err)
		}
		again, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again, committed) {
			t.Error("Load(Write(corpus)) differs from the corpus")
		}
	})
}

// checkCaseCounts requires every case to have at least min rows.
func checkCaseCounts(t *testing.T, c *Corpus, min int) {
	t.Helper()
	counts := map[string]int{}
	for _, r := range c.Resellers {
		counts[r.Case]++
	}
	for _, name := range cases {
		if counts[name] < min {
			t.Errorf("case %s: %d rows, want at least %d", name, counts[name], min)
		}
	}
}

// checkTruth requires every true partner id to name a company, absent rows to have none
// and all other rows to have one.
func checkTruth(t *testing.T, c *Corpus) {
	t.Helper()
	ids := map[string]bool{}
	for _, co := range c.Companies {
		ids[co.PartnerID] = true
	}
	for i, r := range c.Resellers {
		switch {
		case r.Case == caseAbsent && r.TruePartnerID != "":
			t.Errorf("reseller %d: absent but true_partner_id %q", i+1, r.TruePartnerID)
		case r.Case != caseAbsent && r.TruePartnerID == "":
			t.Errorf("reseller %d: case %s without a true_partner_id", i+1, r.Case)
		case r.TruePartnerID != "" && !ids[r.TruePartnerID]:
			t.Errorf("reseller %d: true_partner_id %q is not a company", i+1, r.TruePartnerID)
		}
	}
}

// checkIdentifiers requires valid check digits on every registration and VAT number,
// identifiers unique among companies, and the identifiers of a reseller row to name its
// true company and no other (none for absent companies).
func checkIdentifiers(t *testing.T, c *Corpus) {
	t.Helper()
	owner := map[string]string{} // identity key → partner id
	for _, co := range c.Companies {
		keys, err := idKeys(co.Country, co.Registration, co.VAT)
		if err != nil {
			t.Errorf("company %s: %v", co.PartnerID, err)
		}
		for _, k := range keys {
			if other, ok := owner[k]; ok && other != co.PartnerID {
				t.Errorf("companies %s and %s share the identifier %s", other, co.PartnerID, k)
			}
			owner[k] = co.PartnerID
		}
	}
	country := map[string]string{}
	for _, co := range c.Companies {
		country[co.PartnerID] = co.Country
	}
	for i, r := range c.Resellers {
		if r.Registration == "" && r.VAT == "" {
			if r.Case == caseExactKey {
				t.Errorf("reseller %d: exact_key without identifiers", i+1)
			}
			continue
		}
		co := country[r.TruePartnerID]
		if co == "" {
			co = countryOfRow(r)
		}
		keys, err := idKeys(co, r.Registration, r.VAT)
		if err != nil {
			t.Errorf("reseller %d (%s): %v", i+1, r.Case, err)
			continue
		}
		found := false
		for _, k := range keys {
			switch owner[k] {
			case "":
			case r.TruePartnerID:
				found = true
			default:
				t.Errorf("reseller %d (%s): identifier %s names %s, truth is %q", i+1, r.Case, k, owner[k], r.TruePartnerID)
			}
		}
		if r.TruePartnerID != "" && !found {
			t.Errorf("reseller %d (%s): identifiers %q %q do not name %s", i+1, r.Case, r.Registration, r.VAT, r.TruePartnerID)
		}
	}
}

// countryOfRow reads the country of a row the way its distributor writes it.
func countryOfRow(r Reseller) string {
	for _, co := range countries() {
		if strings.EqualFold(r.Country, co.code) || strings.EqualFold(r.Country, co.iso3) {
			return co.code
		}
		for _, n := range co.names {
			if strings.EqualFold(r.Country, n) {
				return co.code
			}
		}
	}
	return "FR" // BRAVO leaves the country empty for France
}

// TestGenerateDeterministic: one seed gives one corpus; another seed another one.
func TestGenerateDeterministic(t *testing.T) {
	a, b := Generate(7, 800, 400), Generate(7, 800, 400)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two corpora generated with seed 7 differ")
	}
	if c := Generate(8, 800, 400); reflect.DeepEqual(a.Companies, c.Companies) {
		t.Fatal("seeds 7 and 8 give the same companies")
	}
}

// TestGenerateSizes: the requested sizes are honoured, small and degenerate ones included.
func TestGenerateSizes(t *testing.T) {
	for _, tc := range []struct{ companies, resellers int }{{0, 0}, {1, 1}, {10, 30}, {120, 60}, {5000, 200}} {
		c := Generate(1, tc.companies, tc.resellers)
		if len(c.Companies) != tc.companies {
			t.Errorf("Generate(1, %d, %d): %d companies", tc.companies, tc.resellers, len(c.Companies))
		}
		if tc.companies > 0 && len(c.Resellers) != tc.resellers {
			t.Errorf("Generate(1, %d, %d): %d resellers", tc.companies, tc.resellers, len(c.Resellers))
		}
		checkTruth(t, c)
		checkIdentifiers(t, c)
	}
}

// checkRealistic requires common trade words to be common (so that term frequencies
// matter), dense postcodes, long names that legacy fields truncate, and every country.
func checkRealistic(t *testing.T, c *Corpus) {
	t.Helper()
	words, fr, long := map[string]int{}, 0, 0
	perPC, perCountry := map[string]int{}, map[string]int{}
	for _, co := range c.Companies {
		perPC[co.Country+"|"+co.Postcode]++
		perCountry[co.Country]++
		if len([]rune(co.Name)) > 30 {
			long++
		}
		if co.Country != "FR" {
			continue
		}
		fr++
		for _, w := range canonTokens(co.Name, nil) {
			words[w]++
		}
	}
	for _, tc := range []struct {
		word  string
		share float64
	}{{"elec", 0.15}, {"brico", 0.05}, {"quinc", 0.05}, {"plomberie", 0.04}} {
		if got := float64(words[tc.word]) / float64(fr); got < tc.share {
			t.Errorf("%q in %.1f%% of French names, want at least %.0f%%", tc.word, 100*got, 100*tc.share)
		}
	}
	dense := 0
	for _, n := range perPC {
		if n >= denseMin {
			dense++
		}
	}
	if dense < 5 {
		t.Errorf("%d postcodes hold %d companies or more, want at least 5", dense, denseMin)
	}
	if long < len(c.Companies)/20 {
		t.Errorf("%d names longer than 30 characters, want at least 5%%", long)
	}
	for _, co := range countries() {
		if perCountry[co.code] == 0 {
			t.Errorf("no company in %s", co.code)
		}
	}
}
