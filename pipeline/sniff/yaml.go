package sniff

// The proposal as one item of the config's feeds list, with its evidence as comments.

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/salesout/salesout/pipeline/canon"
)

// commentColumn is where the evidence comments start.
const commentColumn = 42

// YAML returns the proposed feed as ONE item of the config's `feeds:` list, ready to
// paste under `feeds:`: each detected setting with a comment giving its confidence and
// evidence, and where the samples do not decide, the other choices as commented lines.
func (p Proposal) YAML() []byte {
	f := p.Proposed
	y := &yamlWriter{notes: p.Notes}
	if len(p.Files) > 0 {
		fmt.Fprintf(&y.b, "# Proposed by `salesout feed sniff` from %s.\n", describeFiles(baseNames(p.Files)))
		y.b.WriteString("# Confidence 0-1 and evidence after each setting; commented lines are the other choices.\n")
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(&y.b, "# NOTE: %s\n", oneLine(w))
	}
	y.item("name", plainOrQuoted(f.Name))
	y.set(2, "distributor", "distributor", plainOrQuoted(f.Distributor))
	y.set(2, "source", "source", plainOrQuoted(f.Source))
	y.set(2, "match", "match", strconv.Quote(f.Match))
	y.set(2, "format", "format", f.Format)
	switch f.Format {
	case formatCSV:
		y.section(2, "csv")
		c := f.CSV
		y.opt(4, "csv.delimiter", "delimiter", c.Delimiter, strconv.Quote)
		y.opt(4, "csv.quote", "quote", c.Quote, strconv.Quote)
		y.opt(4, "csv.encoding", "encoding", c.Encoding, plainOrQuoted)
		y.opt(4, "csv.decimal", "decimal", c.Decimal, strconv.Quote)
		y.opt(4, "csv.thousands", "thousands", c.Thousands, strconv.Quote)
		if c.HeaderRow > 0 {
			y.set(4, "csv.header_row", "header_row", strconv.Itoa(c.HeaderRow))
		} else {
			y.alternatives(4, "csv.header_row", "header_row")
		}
		y.opt(4, "csv.date_format", "date_format", c.DateFormat, strconv.Quote)
	case formatXLSX:
		y.section(2, "xlsx")
		x := f.XLSX
		y.opt(4, "xlsx.sheet", "sheet", x.Sheet, strconv.Quote)
		if x.HeaderRow > 0 {
			y.set(4, "xlsx.header_row", "header_row", strconv.Itoa(x.HeaderRow))
		}
		y.opt(4, "xlsx.decimal", "decimal", x.Decimal, strconv.Quote)
		y.opt(4, "xlsx.date_format", "date_format", x.DateFormat, strconv.Quote)
	}
	y.fields(2, "columns", f.Columns)
	y.fields(2, "defaults", f.Defaults)
	if f.Mode != "" {
		y.set(2, "mode", "mode", f.Mode)
	}
	if f.ExpectedEvery.Duration > 0 {
		y.set(2, "expected_every", "expected_every", f.ExpectedEvery.String())
	}
	return []byte(y.b.String())
}

// yamlWriter writes the lines of the block.
type yamlWriter struct {
	b     strings.Builder
	notes []Note
}

func (y *yamlWriter) note(setting string) *Note {
	for i := range y.notes {
		if y.notes[i].Setting == setting {
			return &y.notes[i]
		}
	}
	return nil
}

// item writes the list item's first line.
func (y *yamlWriter) item(key, value string) {
	y.line("- "+key+": "+value, y.note(key))
}

// section writes a mapping's key.
func (y *yamlWriter) section(indent int, key string) {
	y.line(strings.Repeat(" ", indent)+key+":", nil)
}

// set writes a setting, with its note's comment and alternatives.
func (y *yamlWriter) set(indent int, setting, key, value string) {
	n := y.note(setting)
	y.line(strings.Repeat(" ", indent)+key+": "+value, n)
	if n != nil {
		for _, a := range n.Alternatives {
			y.commented(indent, key, a)
		}
	}
}

// opt writes a string setting when set, else only the alternatives its note gives.
func (y *yamlWriter) opt(indent int, setting, key, value string, quote func(string) string) {
	if value != "" {
		y.set(indent, setting, key, quote(value))
		return
	}
	y.alternatives(indent, setting, key)
}

// alternatives writes a setting left out as commented choices (their values as YAML
// text), with why it was left out.
func (y *yamlWriter) alternatives(indent int, setting, key string) {
	n := y.note(setting)
	if n == nil {
		return
	}
	if len(n.Alternatives) == 0 {
		y.line(strings.Repeat(" ", indent)+"# "+key+": (not set)", n)
		return
	}
	for i, a := range n.Alternatives {
		c := a.When
		if i == 0 && n.Why != "" {
			c = n.Why + "; " + a.When
		}
		y.line(strings.Repeat(" ", indent)+"# "+key+": "+a.Value, &Note{Why: c, Confidence: -1})
	}
}

// commented writes an alternative as a commented setting.
func (y *yamlWriter) commented(indent int, key string, a Alternative) {
	y.line(strings.Repeat(" ", indent)+"# "+key+": "+a.Value, &Note{Why: a.When, Confidence: -1})
}

// fields writes columns or defaults in the canonical order, and the fields that have a
// note but no value as commented choices.
func (y *yamlWriter) fields(indent int, section string, m map[string]string) {
	var rows []string
	for _, f := range canon.Fields {
		if _, ok := m[f]; ok || y.note(section+"."+f) != nil {
			rows = append(rows, f)
		}
	}
	if len(rows) == 0 {
		return
	}
	if len(m) > 0 {
		y.section(indent, section)
	} else {
		y.line(strings.Repeat(" ", indent)+"# "+section+":", nil)
	}
	for _, f := range rows {
		if v, ok := m[f]; ok {
			y.set(indent+2, section+"."+f, f, strconv.Quote(v))
		} else {
			y.alternatives(indent+2, section+"."+f, f)
		}
	}
}

// line writes one line with the note's comment, aligned.
func (y *yamlWriter) line(text string, n *Note) {
	y.b.WriteString(text)
	if n != nil && (n.Why != "" || n.Confidence >= 0) {
		pad := commentColumn - len([]rune(text))
		if pad < 2 {
			pad = 2
		}
		y.b.WriteString(strings.Repeat(" ", pad))
		y.b.WriteString("# ")
		if n.Confidence >= 0 {
			fmt.Fprintf(&y.b, "%.2f", n.Confidence)
			if n.Why != "" {
				y.b.WriteString(": ")
			}
		}
		y.b.WriteString(oneLine(n.Why))
	}
	y.b.WriteByte('\n')
}

// oneLine keeps a comment on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

var (
	plainRe    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*$`)
	reservedRe = regexp.MustCompile(`^(?i:y|n|yes|no|on|off|true|false|null)$`)
)

// plainOrQuoted writes a string plain when YAML reads it back as the same string.
func plainOrQuoted(s string) string {
	if plainRe.MatchString(s) && !reservedRe.MatchString(s) {
		return s
	}
	return strconv.Quote(s)
}

// yamlString is plainOrQuoted, for other files of the package.
func yamlString(s string) string { return plainOrQuoted(s) }

// describeFiles names a few files and counts the rest.
func describeFiles(names []string) string {
	const show = 3
	if len(names) <= show {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:show], ", "), len(names)-show)
}
