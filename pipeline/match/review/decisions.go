package review

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The kinds of decision.
const (
	KindPartner     = "partner"       // the reseller is partner PartnerID
	KindNotAPartner = "not_a_partner" // the reseller is no partner
	KindNoneOfThese = "none_of_these" // none of the candidates in Rejected is the reseller's partner
)

// Key identifies a reseller spelling: a reseller as one distributor reports it. Only
// Distributor is required.
type Key struct {
	Distributor      string
	ResellerID       string
	ResellerName     string
	ResellerPostcode string
}

// String names the key in messages.
func (k Key) String() string {
	return fmt.Sprintf("distributor %s, reseller_id %s, reseller_name %s, reseller_postcode %s",
		quoteShort(k.Distributor), quoteShort(k.ResellerID), quoteShort(k.ResellerName), quoteShort(k.ResellerPostcode))
}

// Decision is an analyst's decision on a reseller spelling.
type Decision struct {
	Distributor      string
	ResellerID       string
	ResellerName     string
	ResellerPostcode string

	Kind      string   // KindPartner, KindNotAPartner or KindNoneOfThese
	PartnerID string   // for KindPartner only
	Rejected  []string // for KindNoneOfThese only: the partner ids of the candidates shown
	DecidedAt time.Time
	Note      string
}

// Key returns the reseller spelling d is about.
func (d Decision) Key() Key {
	return Key{d.Distributor, d.ResellerID, d.ResellerName, d.ResellerPostcode}
}

// Validate checks that d can be kept in the overrides file and read back: a
// distributor, key text without control characters other than tab and line feed, a
// known kind, a partner id for KindPartner only, rejected partner ids (at least one, no
// ";", no duplicates) for KindNoneOfThese only, a decision time, and a note without
// control characters other than tab and line feed. Partner ids must be non-empty text
// without surrounding spaces or control characters; whether they exist is for the
// caller to check. The error names the field as the overrides file does.
func (d Decision) Validate() error {
	if d.Distributor == "" {
		return errors.New("distributor: empty")
	}
	for _, f := range []struct{ name, v string }{
		{colDistributor, d.Distributor}, {colResellerID, d.ResellerID},
		{colResellerName, d.ResellerName}, {colResellerPostcode, d.ResellerPostcode},
	} {
		if p := textProblem(f.v); p != "" {
			return fmt.Errorf("%s: %s", f.name, p)
		}
	}
	switch d.Kind {
	case KindPartner:
		if err := checkPartnerID(d.PartnerID); err != nil {
			return fmt.Errorf("partner_id: %w", err)
		}
	case KindNotAPartner, KindNoneOfThese:
		if d.PartnerID != "" {
			return fmt.Errorf("partner_id %s: must be empty for decision %s", quoteShort(d.PartnerID), d.Kind)
		}
	default:
		return fmt.Errorf("decision %s: must be %s, %s or %s", quoteShort(d.Kind), KindPartner, KindNotAPartner, KindNoneOfThese)
	}
	if d.Kind == KindNoneOfThese {
		if len(d.Rejected) == 0 {
			return fmt.Errorf("rejected: empty; decision %s lists the partner ids of the candidates rejected", KindNoneOfThese)
		}
		for i, id := range d.Rejected {
			if err := checkPartnerID(id); err != nil {
				return fmt.Errorf("rejected: partner id %d: %w", i+1, err)
			}
			if strings.Contains(id, rejectedSep) {
				return fmt.Errorf("rejected: partner id %s contains %q, the separator", quoteShort(id), rejectedSep)
			}
			if slices.Contains(d.Rejected[:i], id) {
				return fmt.Errorf("rejected: partner id %s is listed twice", quoteShort(id))
			}
		}
	} else if len(d.Rejected) > 0 {
		return fmt.Errorf("rejected: must be empty for decision %s", d.Kind)
	}
	if d.DecidedAt.IsZero() {
		return errors.New("decided_at: missing")
	}
	if p := textProblem(d.Note); p != "" {
		return fmt.Errorf("note: %s", p)
	}
	return nil
}

// checkPartnerID checks that id is non-empty text without surrounding spaces or
// control characters.
func checkPartnerID(id string) error {
	switch {
	case id == "":
		return errors.New("empty")
	case !utf8.ValidString(id):
		return errors.New("not valid UTF-8 text")
	case strings.TrimSpace(id) != id:
		return fmt.Errorf("%s has leading or trailing spaces", quoteShort(id))
	case strings.IndexFunc(id, unicode.IsControl) >= 0:
		return fmt.Errorf("%s contains a tab, line break or control character", quoteShort(id))
	}
	return nil
}

// sameDecision reports whether a and b decide the same, their times aside.
func sameDecision(a, b Decision) bool {
	return a.Key() == b.Key() && a.Kind == b.Kind && a.PartnerID == b.PartnerID &&
		slices.Equal(a.Rejected, b.Rejected) && a.Note == b.Note
}

// now is the time of an import (a variable for tests).
var now = time.Now

// ReadDecisions reads the analysts' decisions from a filled-in review export, an .xlsx
// or a .csv file by the extension of path (see the package doc for the accepted
// decisions). Only rows whose decision cell is filled count; the others are skipped.
//
// A decision 1, 2 or 3 resolves to that row's candidate partner id; "none of these"
// rejects the row's candidates. Key fields and the note are read exactly, less the
// single quote added against formula injection (and, for the note, surrounding spaces).
// DecidedAt is the time of reading, in UTC, to the second. A reseller decided the same
// way on several rows counts once; decided differently, it is an error.
//
// Errors name the file, the line (CSV) or row (XLSX) and the field, e.g.
//
//	review.xlsx row 14: decision "4": there are only 2 candidates
//
// All row errors of the file are returned together (joined, at most 50). A file whose
// header lacks columns fails with the list of the missing ones.
func ReadDecisions(path string) ([]Decision, error) {
	var t *table
	var err error
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		t, err = readCSVTable(path)
	case ".xlsx":
		t, err = readXLSXTable(path)
	default:
		return nil, fmt.Errorf("%s: unknown file type %q: expected a review export, .xlsx or .csv", path, ext)
	}
	if err != nil {
		return nil, err
	}
	required := []string{colDistributor, colResellerID, colResellerName, colResellerPostcode}
	for n := 1; n <= MaxCandidates; n++ {
		required = append(required, candidateColumn(n, "partner_id"))
	}
	required = append(required, colDecision)
	cols, err := findColumns(t, required, []string{colNote}, false)
	if err != nil {
		return nil, err
	}
	decidedAt := now().UTC().Truncate(time.Second)
	var out []Decision
	var errs rowErrors
	seen := make(map[Key]int) // index in out
	seenAt := make(map[Key]int)
	for _, rec := range t.records {
		get := func(name string) string {
			if i, ok := cols[name]; ok && i < len(rec.fields) {
				return rec.fields[i]
			}
			return ""
		}
		raw := get(colDecision)
		if strings.TrimSpace(raw) == "" {
			continue
		}
		fail := func(err error) { errs.add(t, rec.pos, err) }
		d := Decision{
			Distributor:      unprotect(get(colDistributor)),
			ResellerID:       unprotect(get(colResellerID)),
			ResellerName:     unprotect(get(colResellerName)),
			ResellerPostcode: unprotect(get(colResellerPostcode)),
			DecidedAt:        decidedAt,
			Note:             unprotect(strings.TrimSpace(normalizeBreaks(get(colNote)))),
		}
		var cands []string
		for n := 1; n <= MaxCandidates; n++ {
			cands = append(cands, unprotect(strings.TrimSpace(get(candidateColumn(n, "partner_id")))))
		}
		if d.Distributor == "" {
			fail(errors.New("distributor: empty (the key columns must stay as exported)"))
			continue
		}
		if d.Kind, d.PartnerID, d.Rejected, err = parseDecision(raw, cands); err != nil {
			fail(err)
			continue
		}
		if err := d.Validate(); err != nil {
			fail(err)
			continue
		}
		if i, ok := seen[d.Key()]; ok {
			if !sameDecision(out[i], d) {
				fail(fmt.Errorf("the same reseller is decided differently on %s %d", t.unit, seenAt[d.Key()]))
			}
			continue
		}
		seen[d.Key()], seenAt[d.Key()] = len(out), rec.pos
		out = append(out, d)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// normalizeBreaks turns CR LF and lone CR into LF.
func normalizeBreaks(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// wholeNumber matches a single digit written with a zero fraction.
var wholeNumber = regexp.MustCompile(`^([0-9])\.0+$`)

// parseDecision reads a decision cell (see the package doc) against the row's
// candidate partner ids (by position, "" for none).
func parseDecision(raw string, cands []string) (kind, partnerID string, rejected []string, err error) {
	s := unprotect(strings.TrimSpace(raw))
	if m := wholeNumber.FindStringSubmatch(s); m != nil {
		s = m[1] // a number cell written 2.0 by some program
	}
	fail := func(format string, args ...any) (string, string, []string, error) {
		return "", "", nil, fmt.Errorf("decision %s: %s", quoteShort(strings.TrimSpace(raw)), fmt.Sprintf(format, args...))
	}
	count := 0
	for _, c := range cands {
		if c != "" {
			count++
		}
	}
	switch w := strings.Join(strings.Fields(strings.ReplaceAll(strings.ToLower(s), "_", " ")), " "); {
	case w == "not a partner":
		return KindNotAPartner, "", nil, nil
	case w == "none of these" || w == "none":
		for _, c := range cands {
			if c != "" && !slices.Contains(rejected, c) {
				rejected = append(rejected, c)
			}
		}
		if len(rejected) == 0 {
			return fail(`this reseller has no candidates to reject; write a partner id or "not a partner"`)
		}
		return KindNoneOfThese, "", rejected, nil
	case strings.HasPrefix(w, "not ") || strings.HasPrefix(w, "none "):
		return fail(`not a decision; write 1, 2 or 3, a partner id, "not a partner" or "none of these"`)
	case len(s) == 1 && s[0] >= '0' && s[0] <= '9':
		n := int(s[0] - '0')
		switch {
		case n == 0:
			return fail("candidates are numbered from 1")
		case n <= len(cands) && cands[n-1] != "":
			return KindPartner, cands[n-1], nil, nil
		case count == 0:
			return fail(`this reseller has no candidates; write a partner id, "not a partner" or "none of these"`)
		case count == 1:
			return fail("there is only 1 candidate")
		}
		return fail("there are only %d candidates", count)
	}
	if err := checkPartnerID(s); err != nil {
		return fail("not a partner id: %v", err)
	}
	return KindPartner, s, nil, nil
}
