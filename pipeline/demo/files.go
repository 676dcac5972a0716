package demo

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// feedFile is one file of a feed as the distributor sends it.
type feedFile struct {
	name     string
	from, to time.Time // the period it covers
	lines    []*line
	totals   bool // ends with a totals row

	// The report's header, in the files of the other formats (X12, EDIFACT, Excel).
	sent     time.Time // when the distributor's system produced it
	through  time.Time // the last day the report covers: the period's end, or asOf
	control  int       // interchange control number (X12, EDIFACT)
	replaces bool      // a report restating its period (X12 BPT 05)
}

// feedFiles cuts the lines of feed f into its files, one per period with sales.
func (w *world) feedFiles(f int) []*feedFile {
	def := &feeds[f]
	var files []*feedFile
	for _, l := range w.lines {
		if l.feed != f {
			continue
		}
		start := def.period(l.date)
		if len(files) == 0 || !files[len(files)-1].from.Equal(start) {
			files = append(files, &feedFile{name: def.file(start), from: start, to: def.periodEnd(start)})
		}
		last := files[len(files)-1]
		last.lines = append(last.lines, l)
	}
	return files
}

// render is the file's text, before encoding: preamble, header, lines, totals row.
func (def *feedDef) render(ff *feedFile) string {
	d := def.dialect
	var b strings.Builder
	if def.preamble != nil {
		for _, s := range def.preamble(ff.from, ff.to) {
			b.WriteString(s + d.eol())
		}
	}
	cells := make([]string, len(def.columns))
	for i, c := range def.columns {
		cells[i] = c.header
	}
	d.row(&b, cells)
	var total int64
	for _, l := range ff.lines {
		for i, c := range def.columns {
			cells[i] = def.cell(c.field, l)
		}
		d.row(&b, cells)
		if l.bad == good {
			total += l.amount()
		}
	}
	if ff.totals {
		for i, c := range def.columns {
			cells[i] = ""
			if c.field == "amount" {
				cells[i] = d.money(total)
			}
		}
		cells[0] = "TOTAL"
		d.row(&b, cells)
	}
	return b.String()
}

func (d dialect) eol() string {
	if d.crlf {
		return "\r\n"
	}
	return "\n"
}

// row writes one record, quoting the cells that hold the delimiter, the quote or a line
// break, with the quote doubled inside.
func (d dialect) row(b *strings.Builder, cells []string) {
	q := string(d.quote)
	for i, c := range cells {
		if i > 0 {
			b.WriteRune(d.delimiter)
		}
		if strings.ContainsRune(c, d.delimiter) || strings.Contains(c, q) || strings.ContainsAny(c, "\r\n") {
			c = q + strings.ReplaceAll(c, q, q+q) + q
		}
		b.WriteString(c)
	}
	b.WriteString(d.eol())
}

// encoder is the charmap of a single-byte encoding, nil for UTF-8.
func (d dialect) encoder() *charmap.Charmap {
	switch d.encoding {
	case "windows-1252":
		return charmap.Windows1252
	case "iso-8859-15":
		return charmap.ISO8859_15
	}
	return nil
}

// encode is text in the dialect's encoding; a character the encoding lacks is an error.
func (d dialect) encode(text string) ([]byte, error) {
	if cm := d.encoder(); cm != nil {
		b, err := cm.NewEncoder().Bytes([]byte(text))
		if err != nil {
			return nil, fmt.Errorf("encode as %s: %w", d.encoding, err)
		}
		return b, nil
	}
	if d.bom {
		return append([]byte("\ufeff"), text...), nil
	}
	return []byte(text), nil
}

// bytes is the file as it lands in the drop folder: rendered, encoded, wrapped.
func (def *feedDef) bytes(ff *feedFile) ([]byte, error) {
	switch def.format {
	case formatX12:
		return []byte(def.x12(ff)), nil
	case formatEDIFACT:
		data, err := charmap.ISO8859_1.NewEncoder().Bytes([]byte(def.edifact(ff)))
		if err != nil {
			return nil, fmt.Errorf("%s: encode as ISO-8859-1 (UNOC): %w", ff.name, err)
		}
		return data, nil
	case formatXLSX:
		data, err := def.workbook(ff)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ff.name, err)
		}
		return data, nil
	}
	data, err := def.dialect.encode(def.render(ff))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ff.name, err)
	}
	switch def.wrap {
	case gzipped:
		return gzipBytes(strings.TrimSuffix(ff.name, ".gz"), data)
	case zipped:
		// Exported the morning after the period.
		return zipBytes(strings.TrimSuffix(ff.name, ".zip")+".csv", ff.to.AddDate(0, 0, 1).Add(6*time.Hour), data)
	}
	return data, nil
}

// gzipBytes is data gzipped under name, with no modification time.
func gzipBytes(name string, data []byte) ([]byte, error) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Name = name
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// zipBytes is a zip archive holding data as its one file, name.
func zipBytes(name string, modified time.Time, data []byte) ([]byte, error) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// drop writes the feeds' files under dir/drop/<source>/, counts them in sum and
// records the spelling of every reseller it writes in truth.
type drop struct {
	dir   string
	sum   *Summary
	truth truthSet
}

// write renders ff and writes it, counting its rows and recording its resellers'
// spellings; it returns the bytes written.
func (d *drop) write(def *feedDef, ff *feedFile) ([]byte, error) {
	data, err := def.bytes(ff)
	if err != nil {
		return nil, err
	}
	if err := d.put(def, ff.name, data); err != nil {
		return nil, err
	}
	d.sum.Lines += len(ff.lines)
	for _, l := range ff.lines {
		if l.bad != good {
			d.sum.BadLines++
		}
		d.truth.add(def.resellerKey(l), l.party)
	}
	if ff.totals {
		d.sum.Lines++
		d.sum.BadLines++
	}
	return data, nil
}

// put writes a file of def's source as is.
func (d *drop) put(def *feedDef, name string, data []byte) error {
	folder := filepath.Join(d.dir, "drop", def.source)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return err
	}
	d.sum.Files++
	return os.WriteFile(filepath.Join(folder, name), data, 0o644)
}

// writeFeeds writes every feed's files, with what real feeds also bring: ACME's totals
// rows, its file sent twice and its corrupt file, DELTA's restated month, HOTEL's
// totals rows, FOXTROT's month replaced by a later report.
func (w *world) writeFeeds(d *drop) error {
	cur := len(w.months) - 1
	for f := range feeds {
		def := &feeds[f]
		files := w.feedFiles(f)
		switch f {
		case acme:
			r := stream(w.seed, "totals", 0)
			for _, k := range r.Perm(len(files) - 1)[:6] {
				files[k].totals = true
			}
		case hotel:
			for _, ff := range files {
				ff.totals = true
			}
		}
		for _, ff := range files {
			month := w.month(ff.from)
			// Reports are produced two days after their period, or on asOf for the
			// month to date.
			ff.through = minTime(ff.to, w.asOf)
			ff.sent = minTime(ff.to.AddDate(0, 0, 2), w.asOf).Add(6*time.Hour + 15*time.Minute)
			ff.control = control(ff.sent, 1)
			switch {
			case f == delta && month == w.restated:
				// First the month as sent with errors, then its correction.
				original := *ff
				original.lines = w.misreport(ff.lines, stream(w.seed, "misreport", 0))
				if _, err := d.write(def, &original); err != nil {
					return err
				}
				d.sum.Superseded += len(original.lines)
				ff.name = strings.TrimSuffix(ff.name, ".csv") + "_v2.csv"
			case f == foxtrot && month == w.replaced:
				// The month as first reported, with errors; its replacement (BPT 05)
				// came some weeks later, after the next months' reports.
				original := *ff
				original.lines = w.misreport(ff.lines, stream(w.seed, "misreport-foxtrot", 0))
				if _, err := d.write(def, &original); err != nil {
					return err
				}
				d.sum.Superseded += len(original.lines)
				ff.name = strings.TrimSuffix(ff.name, ".x12") + "_R1.x12"
				ff.replaces = true
				ff.sent = minTime(ff.to.AddDate(0, 2, 9), w.asOf).Add(14*time.Hour + 40*time.Minute)
				ff.control = control(ff.sent, 2)
			}
			data, err := d.write(def, ff)
			if err != nil {
				return err
			}
			switch {
			case f == acme && month == cur-4:
				// The same file sent again under another name.
				if err := d.put(def, strings.TrimSuffix(ff.name, ".csv")+"_renvoi.csv", data); err != nil {
					return err
				}
			case f == acme && month == cur-5:
				// A truncated workbook saved under a CSV name.
				name := strings.TrimSuffix(ff.name, ".csv") + "_complement.csv"
				if err := d.put(def, name, w.junk()); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// minTime is the earlier of a and b.
func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// control is an interchange control number made of the date it was sent and n.
func control(sent time.Time, n int) int {
	return (sent.Year()%100*10000+int(sent.Month())*100+sent.Day())*10 + n
}

// misreport is lines as first sent for a restated month (DELTA's, FOXTROT's), drawn
// from r: some quantities typed with a zero too many, a few lines keyed twice. Same
// dates, so the restatement replaces exactly this month.
func (w *world) misreport(lines []*line, r *rand.Rand) []*line {
	out := make([]*line, 0, len(lines)+4)
	wrong := 0
	for i, l := range lines {
		c := *l
		if c.qty > 0 && (chance(r, 0.08) || (wrong == 0 && i == len(lines)-1)) {
			c.qty *= 10
			wrong++
		}
		out = append(out, &c)
		if chance(r, 0.01) {
			again := c
			out = append(out, &again)
		}
	}
	return out
}

// junk is the start of an .xlsx workbook (a zip) cut short: binary, no header row.
func (w *world) junk() []byte {
	r := stream(w.seed, "junk", 0)
	b := []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")
	for range 4096 {
		b = append(b, byte(r.IntN(256)))
	}
	return b
}
