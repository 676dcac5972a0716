package sniff

// CSV samples: encoding, dialect and header row, then the table's analysis.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
)

// sniffCSV proposes the csv settings and the columns of CSV samples.
func (p *proposer) sniffCSV(ctx context.Context) error {
	f := &p.prop.Proposed
	enc := detectEncoding(p.samples)
	f.CSV.Encoding = enc.name
	p.note("csv.encoding", enc.name, enc.confidence, enc.why, enc.alts...)

	texts := make([]string, len(p.samples))
	for i, s := range p.samples {
		texts[i] = decodeText(s.data, enc.name)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	d, tried := detectDialect(texts)
	if d.width < 2 {
		return errors.New("sniff: no delimiter (; , tab |) splits the lines into the same number of fields: is it a CSV file?")
	}
	f.CSV.Delimiter = string(d.delim)
	var others []string
	for _, g := range tried {
		if g.delim != d.delim && g.quote == d.quote {
			others = append(others, fmt.Sprintf("%s: %d fields on %.0f%%", describeDelim(g.delim), g.width, 100*g.fit))
		}
	}
	why := fmt.Sprintf("%d fields on %.0f%% of the lines from the header down", d.width, 100*d.fit)
	conf := d.fit
	var rivals []Alternative
	for _, g := range tried {
		if g.delim != d.delim && g.quote == d.quote && g.fit >= d.fit-0.02 && !onlyInNumbers(texts, d, g.delim) {
			conf = math.Min(conf, 0.9)
			rivals = append(rivals, Alternative{quoteYAML(string(g.delim)), fmt.Sprintf("if lines have %d fields split by %s", g.width, describeDelim(g.delim))})
		}
	}
	if len(others) > 0 {
		why += " (against " + strings.Join(others, "; ") + ")"
	}
	if len(rivals) > 0 {
		why += "; chosen for the most fields per line"
	}
	p.note("csv.delimiter", f.CSV.Delimiter, round2(conf), why, rivals...)
	f.CSV.Quote = string(d.quote)
	if d.quoted > 0 {
		p.note("csv.quote", f.CSV.Quote, 0.95, fmt.Sprintf("%d field(s) enclosed in %q", d.quoted, string(d.quote)))
	} else {
		p.note("csv.quote", f.CSV.Quote, 0.6, "no field is quoted in the samples: the default")
	}

	files := make([]tableFile, 0, len(texts))
	lines := map[int]int{}
	var preamble string
	for i, t := range texts {
		recs := splitRecords(t, d.delim, d.quote, 1<<30)
		if p.samples[i].cut && len(recs) > 1 {
			recs = recs[:len(recs)-1] // the line the sample's end cuts
		}
		_, _, hdr := fieldWidth(recs[:min(len(recs), maxDialectLines)])
		lines[hdr]++
		tf := tableFile{name: p.samples[i].name, headerLine: hdr}
		for _, r := range recs {
			switch {
			case r.line < hdr:
				if preamble == "" {
					preamble = strings.Join(r.fields, string(d.delim))
				}
			case r.line == hdr:
				tf.header = trimAll(r.fields)
			case len(tf.rows) < maxRows:
				tf.rows = append(tf.rows, tableRow{line: r.line, cells: r.fields})
			}
		}
		files = append(files, tf)
	}
	hdr, n := 0, 0
	for l, c := range lines {
		if c > n || c == n && l < hdr {
			hdr, n = l, c
		}
	}
	for _, tf := range files {
		if tf.headerLine != hdr {
			p.warn("%s has its header on line %d, the others on line %d: it would fail to load", tf.name, tf.headerLine, hdr)
		}
	}
	f.CSV.HeaderRow = hdr
	if hdr == 1 {
		p.note("csv.header_row", "1", 0.9, "the first line holds the column names")
	} else {
		p.note("csv.header_row", fmt.Sprint(hdr), 0.9, fmt.Sprintf("line %d is the first with %d names and no values; above it a preamble (%q)", hdr, d.width, clip(strings.Trim(preamble, string(d.delim)+" "), 50)))
	}
	// Keep the files whose header is the common one.
	kept := files[:0]
	for _, tf := range files {
		if tf.headerLine == hdr && tf.header != nil {
			kept = append(kept, tf)
		}
	}
	if len(kept) == 0 {
		return errors.New("sniff: no header row found")
	}
	p.analyseTable(kept, false)
	return nil
}

func trimAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.TrimSpace(x)
	}
	return out
}

// onlyInNumbers reports whether, split in dialect d, the character c appears only
// inside numbers (the decimal commas of a ';' file): it is then no rival delimiter.
func onlyInNumbers(texts []string, d dialectGuess, c rune) bool {
	for _, t := range texts {
		for _, r := range splitRecords(t, d.delim, d.quote, maxDialectLines) {
			for _, f := range r.fields {
				if strings.ContainsRune(f, c) {
					if _, ok := parseNumberAny(f); !ok {
						return false
					}
				}
			}
		}
	}
	return true
}
