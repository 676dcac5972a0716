package norm

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"
)

// legal_forms.csv is an extract of the ISO 20275 Entity Legal Forms (ELF) code list
// published by GLEIF (the 2023-09-28 release, checked entry by entry): one row per
// legal form as people write it, with its ELF code, its country, its abbreviations
// (";" separated) and its name. Rows sharing an ELF code are spellings of one form
// that still name different companies when written differently, so they compare as
// different forms (see Name.LegalKey): EURL and SARL (V9QP, the EURL being a
// one-member SARL), SASU and SAS (6CHY), SAU and SA (5RDO), and in Canada Ltd, Inc
// and Corp (UDLA); the United States have no national forms, only per-state ones, so
// Inc, Corp, LLC, LLP and LP take the codes of Delaware, where most companies are
// formed. GmbH & Co. KG and its kin are listed by ELF as abbreviations of the KG
// (8Z6G).
//
//go:embed legal_forms.csv
var legalFormsCSV string

// LegalForm is one row of the ELF extract.
type LegalForm struct {
	Code          string   // ELF code, e.g. "V9QP"
	Country       string   // ISO 3166-1 alpha-2
	Abbreviations []string // as written, e.g. "SARL", "S.A.R.L."
	Name          string   // in the local language
	Key           string   // what compares: the code, "/" and the first abbreviation when rows share the code
}

// successors map a legal form abolished by a reform to the form that replaced it, so
// that a company written under its former form compares equal: Belgium's 2019
// company code turned the SPRL/BVBA (and its one-member SPRLU/EBVBA) into the
// SRL/BV, and the SCRL/CVBA into the SC/CV.
var successors = map[string]string{"N5NT": "3W7E", "C609": "3W7E", "8E2A": "28FE"}

// variant is one way of writing a legal form: its folded words, and those words
// joined ("S A R L" and "SARL" both join to "SARL").
type variant struct {
	form   *LegalForm
	abbr   string // the abbreviation (or name) as listed, for display
	words  []string
	joined string
	isName bool // the form's full name rather than an abbreviation
}

type legalTable struct {
	forms     []LegalForm
	byCountry map[string]map[string][]variant // country → joined → variants
	generic   map[string][]variant            // joined → variants, any country, first listed first
	byCode    map[string]*LegalForm
	maxWords  int
}

var legal = mustLoadLegalForms(legalFormsCSV)

func mustLoadLegalForms(text string) *legalTable {
	t, err := loadLegalForms(text)
	if err != nil {
		panic(err)
	}
	return t
}

func loadLegalForms(text string) (*legalTable, error) {
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("legal_forms.csv: %w", err)
	}
	if len(rows) < 2 || strings.Join(rows[0], ",") != "elf_code,country,abbreviations,name" {
		return nil, fmt.Errorf("legal_forms.csv: unexpected header %q", rows[0])
	}
	t := &legalTable{
		byCountry: map[string]map[string][]variant{},
		generic:   map[string][]variant{},
		byCode:    map[string]*LegalForm{},
	}
	t.forms = make([]LegalForm, 0, len(rows)-1)
	for i, r := range rows[1:] {
		if len(r[0]) != 4 || len(r[1]) != 2 {
			return nil, fmt.Errorf("legal_forms.csv line %d: bad code or country %q %q", i+2, r[0], r[1])
		}
		t.forms = append(t.forms, LegalForm{Code: r[0], Country: r[1], Abbreviations: strings.Split(r[2], ";"), Name: r[3]})
	}
	perCode := map[string]int{}
	for _, f := range t.forms {
		perCode[f.Code]++
	}
	for i := range t.forms {
		f := &t.forms[i]
		f.Key = f.Code
		if s, ok := successors[f.Code]; ok {
			f.Key = s
		}
		if perCode[f.Code] > 1 {
			f.Key = f.Code + "/" + Compact(f.Abbreviations[0])
		}
		if t.byCode[f.Code] == nil {
			t.byCode[f.Code] = f
		}
		for _, a := range f.Abbreviations {
			t.add(f, a, false)
		}
	}
	// names after every abbreviation: "Corporation" is the abbreviation of one row and
	// the name of another
	for i := range t.forms {
		f := &t.forms[i]
		for _, n := range strings.Split(f.Name, " / ") {
			if p := strings.Index(n, " ("); p > 0 {
				n = n[:p]
			}
			t.add(f, n, true)
		}
	}
	return t, nil
}

func (t *legalTable) add(f *LegalForm, text string, isName bool) {
	words := Tokens(text)
	if len(words) == 0 {
		return
	}
	v := variant{form: f, abbr: text, words: words, joined: strings.Join(words, ""), isName: isName}
	if t.byCountry[f.Country] == nil {
		t.byCountry[f.Country] = map[string][]variant{}
	}
	t.byCountry[f.Country][v.joined] = append(t.byCountry[f.Country][v.joined], v)
	t.generic[v.joined] = append(t.generic[v.joined], v)
	t.maxWords = max(t.maxWords, len(words))
}

// LegalForms lists the legal forms of the embedded ELF extract, in file order.
func LegalForms() []LegalForm { return legal.forms }

// LegalFormByCode returns the (first listed) legal form with that ELF code.
func LegalFormByCode(code string) (LegalForm, bool) {
	f, ok := legal.byCode[code]
	if !ok {
		return LegalForm{}, false
	}
	return *f, true
}

// match says whether the words run (a slice of a folded name) write a legal form of
// country, and which. A run writes a variant when its words are the variant's words,
// or when, joined, they equal the variant joined and the run is a single word ("SARL"
// for "S.A.R.L.") or made of single letters ("S A R L", "B V" for "BV"). The table of
// the country is searched first; forms of other countries are accepted only when their
// joined spelling has three letters or more (GMBH, LTD, INC, SARL... but not AG, SA or
// CO, which are words too) or when the country is unknown.
func (t *legalTable) match(run []string, country string) (variant, bool) {
	joined := strings.Join(run, "")
	compact := len(run) == 1 || allSingle(run)
	pick := func(vs []variant) (variant, bool) {
		for _, v := range vs {
			if v.isName && len(run) != len(v.words) {
				continue
			}
			if compact || equalWords(run, v.words) {
				return v, true
			}
		}
		return variant{}, false
	}
	if byJoined, ok := t.byCountry[country]; ok {
		if v, ok := pick(byJoined[joined]); ok {
			return v, true
		}
		if len(joined) < 3 {
			return variant{}, false
		}
	}
	return pick(t.generic[joined])
}

func allSingle(words []string) bool {
	for _, w := range words {
		if len(w) != 1 {
			return false
		}
	}
	return true
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
