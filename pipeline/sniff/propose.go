package sniff

// The proposal's outline: which samples are read, the feed's identity (name,
// distributor, source, match), then the format's own detection.

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode"
)

// propose fills p.prop from the samples.
func (p *proposer) propose(ctx context.Context) error {
	format, why, err := p.pickFormat()
	if err != nil {
		return err
	}
	f := &p.prop.Proposed
	f.Format = format
	p.identity()
	p.note("format", format, formatConfidence(format), why)
	switch format {
	case formatCSV:
		if err := p.sniffCSV(ctx); err != nil {
			return err
		}
	case formatXLSX:
		if err := p.sniffXLSX(ctx); err != nil {
			return err
		}
	default:
		p.sniffEDI()
	}
	if f.Mode == "" {
		f.Mode = "append"
		p.note("mode", "append", 0.5, "each file adds its lines; the samples do not say whether a file restates an earlier period",
			Alternative{"replace_period", "if a file re-sent for a period replaces what was loaded for it"})
	}
	return nil
}

func formatConfidence(format string) float64 {
	if format == formatCSV {
		return 0.95
	}
	return 1
}

// pickFormat keeps the samples of the most common recognised format, warning about
// the others.
func (p *proposer) pickFormat() (string, string, error) {
	count := map[string]int{}
	for _, s := range p.samples {
		if s.format == "" {
			p.warn("%s is skipped: %s", s.name, s.why)
			continue
		}
		count[s.format]++
	}
	best := ""
	for _, f := range []string{formatCSV, formatXLSX, formatX12, formatEDIFACT} {
		if count[f] > count[best] {
			best = f
		}
	}
	if best == "" {
		return "", "", errors.New("sniff: no sample is in a format salesout reads (CSV, XLSX, X12 867, EDIFACT SLSRPT)")
	}
	var kept []*sample
	why := ""
	for _, s := range p.samples {
		switch {
		case s.format == best:
			kept = append(kept, s)
			why = s.why
		case s.format != "":
			p.warn("%s is skipped: it is %s, the other samples %s (one feed reads one format)", s.name, s.format, best)
		}
	}
	p.samples = kept
	if len(kept) > 1 {
		why = fmt.Sprintf("%d files: each %s", len(kept), why)
	}
	return best, why, nil
}

// identity proposes the feed's distributor, name, source and match.
func (p *proposer) identity() {
	f := &p.prop.Proposed
	names := make([]string, len(p.samples))
	for i, s := range p.samples {
		names[i] = s.name
	}
	prefix := namePrefix(names)
	switch {
	case p.opts.Distributor != "":
		f.Distributor = p.opts.Distributor
		p.note("distributor", f.Distributor, 1, "as given (--distributor)")
	case prefix != "":
		f.Distributor = strings.ToUpper(prefix)
		p.note("distributor", f.Distributor, 0.6, fmt.Sprintf("from the file names (%q): the code every table shows; choose it", prefix))
	default:
		f.Distributor = "CHANGE-ME"
		p.note("distributor", f.Distributor, 0, "nothing in the file names names the distributor: give --distributor")
	}
	f.Name = p.opts.Name
	if f.Name == "" {
		f.Name = lowerName(f.Distributor)
		if f.Name == "" {
			f.Name = "new-feed"
		}
		p.note("name", f.Name, 0.5, "from the distributor code; unique among the config's feeds (--name)")
	} else {
		p.note("name", f.Name, 1, "as given (--name)")
	}
	f.Source = lowerName(f.Distributor)
	if f.Source == "" {
		f.Source = "drop"
	}
	p.note("source", f.Source, 0.3, "the name of the sources entry the files arrive through: change it to yours")
	f.Match = matchGlob(names)
	p.note("match", f.Match, 0.8, "takes every sample's name, with the dates and numbers as *")
}

// namePrefix is the leading letters the file names share, before a separator or digit
// ("ACME_ventes_202601.csv" gives "ACME"), when every file starts with them.
func namePrefix(names []string) string {
	first := ""
	for i, n := range names {
		w := strings.FieldsFunc(n, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(w) == 0 || isDigits(w[0]) {
			return ""
		}
		if i == 0 {
			first = w[0]
		} else if !strings.EqualFold(first, w[0]) {
			return ""
		}
	}
	if len(first) < 2 || slices.Contains([]string{"sales", "ventes", "export", "report", "file", "data"}, strings.ToLower(first)) {
		return ""
	}
	return first
}

// matchGlob is a glob that takes every name: their common start up to the first digit,
// a *, and their common extension (".csv.gz" counts whole).
func matchGlob(names []string) string {
	ext := extension(names[0])
	for _, n := range names[1:] {
		if !strings.EqualFold(extension(n), ext) {
			ext = ""
			break
		}
	}
	common := ""
	for i, n := range names {
		stem := n[:len(n)-len(ext)]
		if j := strings.IndexFunc(stem, unicode.IsDigit); j >= 0 {
			stem = stem[:j]
		}
		if i == 0 {
			common = stem
			continue
		}
		k := 0
		for k < len(common) && k < len(stem) && common[k] == stem[k] {
			k++
		}
		common = common[:k]
	}
	glob := common + "*" + ext
	for _, n := range names {
		if ok, _ := path.Match(glob, n); !ok {
			return "*" + ext
		}
	}
	return glob
}

// extension is a file name's extension, with a compression suffix: ".csv.gz".
func extension(name string) string {
	ext := path.Ext(name)
	switch strings.ToLower(ext) {
	case ".gz", ".zip":
		if inner := path.Ext(strings.TrimSuffix(name, ext)); inner != "" && len(inner) <= 5 {
			return inner + ext
		}
	}
	return ext
}
