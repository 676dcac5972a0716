// Package sniff proposes a feed's settings from sample files of one distributor: the
// format, the CSV dialect or the workbook's sheet and header row, the columns mapping
// and the defaults, each with a confidence and the evidence it rests on (Sniff); and
// loads the samples with the proposal into a scratch warehouse through the real
// pipeline, to show what would load and what would be quarantined (Check).
//
// It is the engine of `salesout feed sniff`. Nothing is guessed silently: a setting the
// samples do not decide carries a low confidence and commented alternatives in YAML.
package sniff

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strings"

	"github.com/salesout/salesout/pipeline/config"
)

// Options are what the user says about the samples.
type Options struct {
	Name        string // the feed's name; derived from the distributor when empty
	Distributor string // the distributor's code; derived from the file names or the EDI sender when empty
}

// Proposal is a proposed feed with, for each detected setting, how sure the detection
// is and why.
type Proposal struct {
	// Proposed is the feed as proposed; Feed returns a copy.
	Proposed config.Feed
	// Notes explain the settings, in the order YAML writes them.
	Notes []Note
	// Files are the sample files read.
	Files []string
	// Warnings are things about the samples worth a look that no setting fixes
	// (a file unlike the others, lines that will not load whatever the settings).
	Warnings []string
}

// Note is the evidence for one setting.
type Note struct {
	Setting      string        // key path in the feed: "format", "csv.delimiter", "columns.quantity", "defaults.currency"
	Value        string        // the value proposed ("" for a setting left out)
	Confidence   float64       // 0..1
	Why          string        // the evidence, one line
	Alternatives []Alternative // other values worth considering, most likely first
}

// Alternative is another value for a setting and when it would be right.
type Alternative struct {
	Value string
	When  string // "if month-first"
}

// Feed returns the proposed feed block.
func (p Proposal) Feed() config.Feed {
	f := p.Proposed
	f.Columns = maps.Clone(f.Columns)
	f.Defaults = maps.Clone(f.Defaults)
	return f
}

// Note returns the note of a setting, if any.
func (p Proposal) Note(setting string) (Note, bool) {
	for _, n := range p.Notes {
		if n.Setting == setting {
			return n, true
		}
	}
	return Note{}, false
}

// Sniff reads sample files of one distributor and proposes its feed. The files must be
// of one format; compressed files (.gz, .zip) are opened as the loader opens them.
func Sniff(ctx context.Context, files []string, opts Options) (Proposal, error) {
	if len(files) == 0 {
		return Proposal{}, errors.New("sniff: no sample file")
	}
	samples := make([]*sample, 0, len(files))
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return Proposal{}, err
		}
		s, err := readSample(f)
		if err != nil {
			return Proposal{}, fmt.Errorf("sniff %s: %w", f, err)
		}
		samples = append(samples, s)
	}
	p := &proposer{opts: opts}
	seen := map[[sha256.Size]byte]string{}
	for _, s := range samples {
		sum := sha256.Sum256(s.data)
		if first, dup := seen[sum]; dup && !s.cut {
			p.warn("%s is skipped: same content as %s (the loader records it as a duplicate and skips it)", s.name, first)
			continue
		}
		seen[sum] = s.name
		p.samples = append(p.samples, s)
	}
	if err := p.propose(ctx); err != nil {
		return Proposal{}, err
	}
	p.prop.Files = append([]string(nil), files...)
	return p.prop, nil
}

// proposer builds a Proposal.
type proposer struct {
	opts    Options
	samples []*sample
	prop    Proposal
	// european: the samples write numbers, identifiers or headers the European way,
	// which decides an ambiguous date order day-first.
	european bool
	// idEvidence says why a column without a known header is reseller_id.
	idEvidence string
}

// note records the evidence for a setting.
func (p *proposer) note(setting, value string, confidence float64, why string, alts ...Alternative) {
	p.prop.Notes = append(p.prop.Notes, Note{Setting: setting, Value: value, Confidence: confidence, Why: why, Alternatives: alts})
}

// warn records a remark about the samples.
func (p *proposer) warn(format string, args ...any) {
	p.prop.Warnings = append(p.prop.Warnings, fmt.Sprintf(format, args...))
}

// baseNames are the samples' file names.
func baseNames(files []string) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = filepath.Base(f)
	}
	return out
}

// lowerName is a code as a feed or source name: lower case, letters, digits and '-'.
func lowerName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
