package formats

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// csvRec is a Record in a comparable form; err is a substring of Record.Err ("" for none).
type csvRec struct {
	line   int64
	fields []string
	raw    string
	err    string
}

type csvCase struct {
	name    string
	d       CSVDialect
	in      string
	header  []string // nil when Header fails
	hdrLine int64
	hdrErr  string // substring of Header's error
	binary  bool   // Header's error is ErrBinary
	recs    []csvRec
}

// filler is n lines of ASCII filler, to keep a few bad bytes under the 1% binary threshold.
func filler(n int) string { return strings.Repeat("9,filler text\n", n) }

var csvCases = []csvCase{
	{
		name:   "comma",
		d:      CSVDialect{Delimiter: ',', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "id,name,qty\n1,Dupont,3\n2,\"Martin, fils\",4\n",
		header: []string{"id", "name", "qty"}, hdrLine: 1,
		recs: []csvRec{
			{line: 2, fields: []string{"1", "Dupont", "3"}, raw: "1,Dupont,3"},
			{line: 3, fields: []string{"2", "Martin, fils", "4"}, raw: `2,"Martin, fils",4`},
		},
	},
	{
		name:   "semicolon",
		d:      CSVDialect{Delimiter: ';', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "id;montant\n1;1 234,56\n2;\"a;b\"\n",
		header: []string{"id", "montant"}, hdrLine: 1,
		recs: []csvRec{
			{line: 2, fields: []string{"1", "1 234,56"}, raw: "1;1 234,56"},
			{line: 3, fields: []string{"2", "a;b"}, raw: `2;"a;b"`},
		},
	},
	{
		name:   "tab",
		d:      CSVDialect{Delimiter: '\t', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "id\tname\n1\tDupont, Jean\n2\t\"tab\there\"\n",
		header: []string{"id", "name"}, hdrLine: 1,
		recs: []csvRec{
			{line: 2, fields: []string{"1", "Dupont, Jean"}, raw: "1\tDupont, Jean"},
			{line: 3, fields: []string{"2", "tab\there"}, raw: "2\t\"tab\there\""},
		},
	},
	{
		name:   "pipe",
		d:      CSVDialect{Delimiter: '|', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "id|name\n1|a;b,c\n2|\"x|y\"\n",
		header: []string{"id", "name"}, hdrLine: 1,
		recs: []csvRec{
			{line: 2, fields: []string{"1", "a;b,c"}, raw: "1|a;b,c"},
			{line: 3, fields: []string{"2", "x|y"}, raw: `2|"x|y"`},
		},
	},
	{
		name:   "single quote",
		d:      CSVDialect{Delimiter: ',', Quote: '\'', Encoding: "utf-8", HeaderRow: 1},
		in:     "id,name\n1,'l''Oréal, SA'\n2,\"as is\"\n",
		header: []string{"id", "name"}, hdrLine: 1,
		recs: []csvRec{
			{line: 2, fields: []string{"1", "l'Oréal, SA"}, raw: "1,'l''Oréal, SA'"},
			{line: 3, fields: []string{"2", `"as is"`}, raw: `2,"as is"`},
		},
	},
	{
		name:   "windows-1252",
		d:      CSVDialect{Delimiter: ';', Quote: '"', Encoding: "windows-1252", HeaderRow: 1},
		in:     "Soci\xe9t\xe9;Prix\n\"M\xfcller \x80\";\x80 12\n",
		header: []string{"Société", "Prix"}, hdrLine: 1,
		recs: []csvRec{{line: 2, fields: []string{"Müller €", "€ 12"}, raw: `"Müller €";€ 12`}},
	},
	{
		name:   "iso-8859-1",
		d:      CSVDialect{Delimiter: ';', Quote: '"', Encoding: "iso-8859-1", HeaderRow: 1},
		in:     "Soci\xe9t\xe9;Prix\nM\xfcller;\xa4 12\n",
		header: []string{"Société", "Prix"}, hdrLine: 1,
		recs: []csvRec{{line: 2, fields: []string{"Müller", "¤ 12"}, raw: "Müller;¤ 12"}},
	},
	{
		name:   "iso-8859-15",
		d:      CSVDialect{Delimiter: ';', Quote: '"', Encoding: "ISO-8859-15", HeaderRow: 1},
		in:     "Soci\xe9t\xe9;Prix\nM\xfcller;\xa4 12\n",
		header: []string{"Société", "Prix"}, hdrLine: 1,
		recs: []csvRec{{line: 2, fields: []string{"Müller", "€ 12"}, raw: "Müller;€ 12"}},
	},
	{
		name:   "non-ASCII delimiter",
		d:      CSVDialect{Delimiter: '§', Quote: '"', Encoding: "windows-1252", HeaderRow: 1},
		in:     "a\xa7b\n\xe9\xa7\"x\xa7y\"\n",
		header: []string{"a", "b"}, hdrLine: 1,
		recs: []csvRec{{line: 2, fields: []string{"é", "x§y"}, raw: `é§"x§y"`}},
	},
	{
		name:   "utf-8 with BOM",
		d:      CSVDialect{Delimiter: ',', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "\xef\xbb\xbfid,name\n1,Müller € café\n",
		header: []string{"id", "name"}, hdrLine: 1,
		recs: []csvRec{{line: 2, fields: []string{"1", "Müller € café"}, raw: "1,Müller € café"}},
	},
	{
		name:   "utf-8 without BOM",
		d:      CSVDialect{Delimiter: ',', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "id,name\n1,Müller € café",
		header: []string{"id", "name"}, hdrLine: 1,
		recs: []csvRec{{line: 2, fields: []string{"1", "Müller € café"}, raw: "1,Müller € café"}},
	},
	{
		name:   "zero dialect defaults",
		in:     "id,name\n1,\"a,b\"\n",
		header: []string{"id", "name"}, hdrLine: 1,
		recs: []csvRec{{line: 2, fields: []string{"1", "a,b"}, raw: `1,"a,b"`}},
	},
	{
		name:   "CRLF",
		d:      CSVDialect{Delimiter: ',', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "id,name\r\n1,a\r\n2,\"b\r\nc\"\r\n3,d\r",
		header: []string{"id", "name"}, hdrLine: 1,
		recs: []csvRec{
			{line: 2, fields: []string{"1", "a"}, raw: "1,a"},
			{line: 3, fields: []string{"2", "b\r\nc"}, raw: "2,\"b\r\nc\""},
			{line: 5, fields: []string{"3", "d"}, raw: "3,d"},
		},
	},
	{
		name: "preamble header_row 3",
		d:    CSVDialect{Delimiter: ';', Quote: '"', Encoding: "utf-8", HeaderRow: 3},
		in:   "Export \"ventes du 15/03/2026\n;;;\n Date ; Client \n15/03/2026;C1\n",
		// the unbalanced quote on line 1 must not swallow the header
		header: []string{"Date", "Client"}, hdrLine: 3,
		recs: []csvRec{{line: 4, fields: []string{"15/03/2026", "C1"}, raw: "15/03/2026;C1"}},
	},
	{
		name:   "preamble header_row 4",
		d:      CSVDialect{Delimiter: ',', Quote: '"', Encoding: "windows-1252", HeaderRow: 4},
		in:     "ACME Distribution\r\n\r\nP\xe9riode: \"mars\r\nid,name\r\n1,x\r\n",
		header: []string{"id", "name"}, hdrLine: 4,
		recs: []csvRec{{line: 5, fields: []string{"1", "x"}, raw: "1,x"}},
	},
	{
		name:   "blank lines at the header row are skipped",
		d:      CSVDialect{HeaderRow: 2},
		in:     "junk\n\n\nid\n1\n",
		header: []string{"id"}, hdrLine: 4,
		recs: []csvRec{{line: 5, fields: []string{"1"}, raw: "1"}},
	},
	{
		name:   "quoted delimiter and newlines",
		d:      CSVDialect{Delimiter: ',', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "id,comment,n\n1,\"a,b\nc\n\nd\",x\n2,y,z\n",
		header: []string{"id", "comment", "n"}, hdrLine: 1,
		recs: []csvRec{
			{line: 2, fields: []string{"1", "a,b\nc\n\nd", "x"}, raw: "1,\"a,b\nc\n\nd\",x"},
			{line: 6, fields: []string{"2", "y", "z"}, raw: "2,y,z"},
		},
	},
	{
		name:   "doubled quotes",
		d:      CSVDialect{Delimiter: ',', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "a,b\n\"12\"\" screen\",\"\"\"\"\n\"x\"\"\ny\",\"\"\n",
		header: []string{"a", "b"}, hdrLine: 1,
		recs: []csvRec{
			{line: 2, fields: []string{`12" screen`, `"`}, raw: `"12"" screen",""""`},
			{line: 3, fields: []string{"x\"\ny", ""}, raw: "\"x\"\"\ny\",\"\""},
		},
	},
	{
		name:   "lazy quotes",
		d:      CSVDialect{Delimiter: ',', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "a,b,c\n12\" screen,\"abc\"def,x\"\"y\n\"q\" r,\"s\"\"\"t\"\"u, \"v\"\n",
		header: []string{"a", "b", "c"}, hdrLine: 1,
		recs: []csvRec{
			{line: 2, fields: []string{`12" screen`, "abcdef", `x""y`}, raw: `12" screen,"abc"def,x""y`},
			{line: 3, fields: []string{"q r", `s"t""u`, ` "v"`}, raw: `"q" r,"s"""t""u, "v"`},
		},
	},
	{
		name:   "empty trailing columns",
		d:      CSVDialect{Delimiter: ';', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "a;b;c;d\n1;2;;\n;;;\n\"\";;\"\";\n",
		header: []string{"a", "b", "c", "d"}, hdrLine: 1,
		recs: []csvRec{
			{line: 2, fields: []string{"1", "2", "", ""}, raw: "1;2;;"},
			{line: 3, fields: []string{"", "", "", ""}, raw: ";;;"},
			{line: 4, fields: []string{"", "", "", ""}, raw: `"";;"";`},
		},
	},
	{
		name:   "blank lines",
		d:      CSVDialect{Delimiter: ',', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "\na,b\n\n1,2\r\n\r\n\n  \n,\n\n",
		header: []string{"a", "b"}, hdrLine: 2,
		recs: []csvRec{
			{line: 4, fields: []string{"1", "2"}, raw: "1,2"},
			{line: 7, fields: []string{"  "}, raw: "  "},
			{line: 8, fields: []string{"", ""}, raw: ","},
		},
	},
	{
		name:   "unterminated quote resync",
		d:      CSVDialect{Delimiter: ',', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "id,c\n1,\"abc\n2,x\n3,y",
		header: []string{"id", "c"}, hdrLine: 1,
		recs: []csvRec{
			{line: 2, fields: []string{"1", "abc"}, raw: `1,"abc`, err: "unterminated quote starting on line 2"},
			{line: 3, fields: []string{"2", "x"}, raw: "2,x"},
			{line: 4, fields: []string{"3", "y"}, raw: "3,y"},
		},
	},
	{
		name:   "unterminated quote on a record's second line",
		d:      CSVDialect{Delimiter: ',', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "id,c,d\n1,\"a\nb\",\"c\"\"d\n2,x,y\n",
		header: []string{"id", "c", "d"}, hdrLine: 1,
		recs: []csvRec{
			{line: 2, fields: []string{"1", "a\nb", `c"d`}, raw: "1,\"a\nb\",\"c\"\"d", err: "unterminated quote starting on line 3"},
			{line: 4, fields: []string{"2", "x", "y"}, raw: "2,x,y"},
		},
	},
	{
		name:   "invalid UTF-8 record",
		d:      CSVDialect{Delimiter: ',', Quote: '"', Encoding: "utf-8", HeaderRow: 1},
		in:     "id,name\n" + filler(20) + "2,caf\xe9 cr\xe8me\n3,ok\n",
		header: []string{"id", "name"}, hdrLine: 1,
		recs: append(slices.Repeat([]csvRec{{fields: []string{"9", "filler text"}, raw: "9,filler text"}}, 20),
			csvRec{line: 22, fields: []string{"2", "caf\uFFFD cr\uFFFDme"}, raw: "2,caf\uFFFD cr\uFFFDme", err: "invalid UTF-8 text (is the file's encoding right?)"},
			csvRec{line: 23, fields: []string{"3", "ok"}, raw: "3,ok"}),
	},
	{
		name:   "NUL after the first 64 KiB",
		d:      CSVDialect{HeaderRow: 1},
		in:     "id,name\n" + filler(5000) + "2,a\x00b\n3,ok\n",
		header: []string{"id", "name"}, hdrLine: 1,
		recs: append(slices.Repeat([]csvRec{{fields: []string{"9", "filler text"}, raw: "9,filler text"}}, 5000),
			csvRec{line: 5002, fields: []string{"2", "a\x00b"}, raw: "2,a\x00b", err: "NUL byte"},
			csvRec{line: 5003, fields: []string{"3", "ok"}, raw: "3,ok"}),
	},
	{
		name:   "binary PNG",
		d:      CSVDialect{Delimiter: ',', Quote: '"', Encoding: "windows-1252", HeaderRow: 1},
		in:     "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
		binary: true, hdrErr: "NUL byte",
	},
	{
		name:   "NUL in a header past the first 64 KiB",
		d:      CSVDialect{HeaderRow: 5002},
		in:     filler(5001) + "id,na\x00me\n1,2\n",
		binary: true, hdrErr: "NUL byte in the header on line 5002",
	},
	{
		name:   "mostly invalid UTF-8",
		d:      CSVDialect{Encoding: "utf-8"},
		in:     "soci\xe9t\xe9,pr\xe9nom\nd\xe9j\xe0,\xe9t\xe9\n",
		binary: true, hdrErr: "not valid UTF-8",
	},
	{
		// one Latin-1 line of eight in a small UTF-8 file: the line, not the file
		name:   "one Latin-1 line in a small file",
		d:      CSVDialect{Encoding: "utf-8"},
		in:     "id,name\n" + filler(6) + "2,\xe9\xe9\n",
		header: []string{"id", "name"}, hdrLine: 1,
		recs: append(slices.Repeat([]csvRec{{fields: []string{"9", "filler text"}, raw: "9,filler text"}}, 6),
			csvRec{line: 8, fields: []string{"2", "\uFFFD"}, raw: "2,\uFFFD", err: "invalid UTF-8 text"}),
	},
	{
		// a stray NUL byte in a small file: the line, not the file
		name:   "one NUL byte in a small file",
		d:      CSVDialect{Encoding: "utf-8"},
		in:     "id,name\n1,a\x00b\n2,ok\n",
		header: []string{"id", "name"}, hdrLine: 1,
		recs: []csvRec{{line: 2, fields: []string{"1", "a\x00b"}, raw: "1,a\x00b", err: "NUL byte"}, {line: 3, fields: []string{"2", "ok"}, raw: "2,ok"}},
	},
	{
		// two exports concatenated: the second's byte-order mark and header are skipped
		name:   "concatenated exports",
		d:      CSVDialect{Encoding: "utf-8"},
		in:     "id,name\n1,a\n\xef\xbb\xbfid,name\n2,b\n id , name\n3,c\n\xef\xbb\xbf4,d\n",
		header: []string{"id", "name"}, hdrLine: 1,
		recs: []csvRec{{line: 2, fields: []string{"1", "a"}, raw: "1,a"}, {line: 4, fields: []string{"2", "b"}, raw: "2,b"},
			{line: 6, fields: []string{"3", "c"}, raw: "3,c"}, {line: 7, fields: []string{"4", "d"}, raw: "4,d"}},
	},
	{
		name:   "concatenated exports, single-byte encoding",
		d:      CSVDialect{Encoding: "windows-1252"},
		in:     "id,name\n1,a\n\xef\xbb\xbfid,name\n2,b\n",
		header: []string{"id", "name"}, hdrLine: 1,
		recs: []csvRec{{line: 2, fields: []string{"1", "a"}, raw: "1,a"}, {line: 4, fields: []string{"2", "b"}, raw: "2,b"}},
	},
	{
		name:   "NUL bytes in most lines",
		d:      CSVDialect{Encoding: "windows-1252"},
		in:     "id,name\n1,a\x00b\n2,\x00\n",
		binary: true, hdrErr: "NUL bytes in 2 of the 3 lines",
	},
	{
		name:   "UTF-16",
		d:      CSVDialect{Encoding: "utf-8"},
		in:     "\xff\xfei\x00d\x00\n\x00",
		binary: true, hdrErr: "UTF-16",
	},
	{
		name:   "UTF-8 BOM in a windows-1252 file",
		d:      CSVDialect{Encoding: "windows-1252"},
		in:     "\xef\xbb\xbfid\n1\n",
		hdrErr: "UTF-8 byte-order mark",
	},
	{
		name:   "empty file",
		d:      CSVDialect{HeaderRow: 1},
		hdrErr: "file has 0 lines, header expected on line 1",
	},
	{
		name:   "header beyond EOF",
		d:      CSVDialect{Delimiter: ';', Quote: '"', Encoding: "utf-8", HeaderRow: 5},
		in:     "junk\n\"more junk\n",
		hdrErr: "file has 2 lines, header expected on line 5",
	},
	{
		name:   "only blank lines from the header row",
		d:      CSVDialect{HeaderRow: 2},
		in:     "junk\n\n\r\n",
		hdrErr: "no header: the file has only blank lines from line 2",
	},
	{
		name:   "unterminated quote in the header",
		d:      CSVDialect{HeaderRow: 1},
		in:     "id,\"name\n1,2\n",
		hdrErr: "header on line 1: unterminated quote starting on line 1",
	},
	{
		name:   "header only",
		d:      CSVDialect{HeaderRow: 1},
		in:     " id , name \n\n",
		header: []string{"id", "name"}, hdrLine: 1,
	},
}

// readCSV reads a whole CSV input: header, then records until io.EOF or an error.
func readCSV(t *testing.T, in io.Reader, d CSVDialect) (header []string, hdrLine int64, recs []csvRec, err error) {
	t.Helper()
	r, err := NewCSVReader(in, d)
	if err != nil {
		t.Fatalf("NewCSVReader: %v", err)
	}
	if header, hdrLine, err = r.Header(); err != nil {
		return nil, 0, nil, err
	}
	for {
		rd, err := r.Next()
		if errors.Is(err, io.EOF) {
			return header, hdrLine, recs, nil
		}
		if err != nil {
			return header, hdrLine, recs, err
		}
		got := csvRec{line: rd.Line, fields: rd.Fields, raw: rd.Raw}
		if rd.Err != nil {
			got.err = rd.Err.Error()
		}
		recs = append(recs, got)
	}
}

func TestCSVReader(t *testing.T) {
	readers := map[string]func(io.Reader) io.Reader{
		"whole":    func(r io.Reader) io.Reader { return r },
		"one byte": iotest.OneByteReader,
		"half":     iotest.HalfReader,
	}
	for _, c := range csvCases {
		for rname, wrap := range readers {
			t.Run(c.name+"/"+rname, func(t *testing.T) {
				header, hdrLine, recs, err := readCSV(t, wrap(strings.NewReader(c.in)), c.d)
				switch {
				case c.hdrErr != "" || c.binary:
					if err == nil || !strings.Contains(err.Error(), c.hdrErr) || errors.Is(err, ErrBinary) != c.binary {
						t.Fatalf("error = %v, want one with %q (binary %v)", err, c.hdrErr, c.binary)
					}
					return
				case err != nil:
					t.Fatalf("error: %v", err)
				}
				if !slices.Equal(header, c.header) || hdrLine != c.hdrLine {
					t.Errorf("header = %q on line %d, want %q on line %d", header, hdrLine, c.header, c.hdrLine)
				}
				if len(recs) != len(c.recs) {
					t.Fatalf("got %d records, want %d: %#v", len(recs), len(c.recs), recs)
				}
				for i, want := range c.recs {
					if want.line == 0 { // filler
						want.line = recs[i].line
					}
					if got := recs[i]; got.line != want.line || !slices.Equal(got.fields, want.fields) || got.raw != want.raw ||
						(want.err == "") != (got.err == "") || !strings.Contains(got.err, want.err) {
						t.Errorf("record %d:\n got %#v\nwant %#v", i, got, want)
					}
				}
			})
		}
	}
}

func TestNewCSVReaderErrors(t *testing.T) {
	for _, tc := range []struct {
		d    CSVDialect
		want string
	}{
		{CSVDialect{Encoding: "utf-16"}, `unknown encoding "utf-16"`},
		{CSVDialect{Delimiter: ';', Quote: ';'}, "delimiter and quote are both ';'"},
		{CSVDialect{Delimiter: '\n'}, "delimiter '\\n' is not usable"},
		{CSVDialect{Quote: utf8.MaxRune + 1}, "quote"},
		{CSVDialect{HeaderRow: -1}, "header row -1"},
	} {
		if _, err := NewCSVReader(strings.NewReader(""), tc.d); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.d, err, tc.want)
		}
	}
}

// TestCSVNextWithoutHeader checks that Next reads past the header when Header was not called.
func TestCSVNextWithoutHeader(t *testing.T) {
	r, err := NewCSVReader(strings.NewReader("junk\nid\n1\n"), CSVDialect{HeaderRow: 2})
	if err != nil {
		t.Fatal(err)
	}
	rd, err := r.Next()
	if err != nil || rd.Line != 3 || !slices.Equal(rd.Fields, []string{"1"}) {
		t.Fatalf("Next = %+v, %v; want line 3 [1]", rd, err)
	}
	if h, line, err := r.Header(); !slices.Equal(h, []string{"id"}) || line != 2 || err != nil {
		t.Errorf("Header after Next = %q, %d, %v", h, line, err)
	}
	if _, err := r.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("Next at the end: %v, want io.EOF", err)
	}
	if _, err := r.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("Next after the end: %v, want io.EOF again", err)
	}
}

// TestCSVBinaryFromNext checks that Next reports ErrBinary when Header was not called.
func TestCSVBinaryFromNext(t *testing.T) {
	r, err := NewCSVReader(strings.NewReader("\x89PNG\r\n\x1a\n\x00\x00"), CSVDialect{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); !errors.Is(err, ErrBinary) {
		t.Errorf("Next: %v, want ErrBinary", err)
	}
}

// TestCSVReadError checks that a read error ends the reading with that error.
func TestCSVReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	in := io.MultiReader(strings.NewReader("id\n"+filler(5000)+"2"), iotest.ErrReader(boom))
	_, _, recs, err := readCSV(t, in, CSVDialect{})
	if !errors.Is(err, boom) || len(recs) != 5000 {
		t.Errorf("got %d records and %v, want 5000 records and %v", len(recs), err, boom)
	}
}

// TestCSVBytesRead checks the count of raw bytes read, BOM and preamble included.
func TestCSVBytesRead(t *testing.T) {
	in := "\xef\xbb\xbfjunk\nid;x\n1;\"a\nb\"\n\n2;c"
	r, err := NewCSVReader(strings.NewReader(in), CSVDialect{Delimiter: ';', HeaderRow: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Header(); err != nil {
		t.Fatal(err)
	}
	if got, want := r.BytesRead(), int64(len("\xef\xbb\xbfjunk\nid;x\n")); got != want {
		t.Errorf("after the header: %d bytes, want %d", got, want)
	}
	for {
		if _, err := r.Next(); err != nil {
			break
		}
	}
	if r.BytesRead() != int64(len(in)) {
		t.Errorf("at the end: %d bytes, want %d", r.BytesRead(), len(in))
	}
}

// TestCSVLimits checks the caps on quoted fields (maxQuoteLines lines, maxRecord bytes)
// and lines (maxRecord bytes), and the reading that follows.
func TestCSVLimits(t *testing.T) {
	long := strings.Repeat("x", maxRecord)
	lines := func(n int) string { return strings.Repeat("l\n", n) }
	for _, tc := range []struct {
		name string
		in   string
		want []csvRec // fields and raw not checked when nil / ""
	}{
		{
			name: "quoted field on 1000 lines",
			in:   "a,b\n1,\"" + lines(maxQuoteLines-1) + "end\",z\n2,y\n",
			want: []csvRec{{line: 2}, {line: 2 + maxQuoteLines, fields: []string{"2", "y"}}},
		},
		{
			name: "quoted field on 1001 lines",
			in:   "a,b\n1,\"" + lines(maxQuoteLines) + "end\",z\n2,y\n",
			want: append(append([]csvRec{{line: 2, fields: []string{"1", "l"}, err: "unterminated quote starting on line 2"}},
				slices.Repeat([]csvRec{{fields: []string{"l"}}}, maxQuoteLines-1)...),
				csvRec{line: 2 + maxQuoteLines, fields: []string{"end\"", "z"}},
				csvRec{line: 3 + maxQuoteLines, fields: []string{"2", "y"}}),
		},
		{
			name: "quoted field over 1 MiB",
			in:   "a,b\n1,\"" + long[:maxRecord/2] + "\n" + long[:maxRecord/2] + "\"\n2,y\n",
			want: []csvRec{
				{line: 2, fields: []string{"1", long[:maxRecord/2]}, err: "unterminated quote starting on line 2"},
				{line: 3, fields: []string{long[:maxRecord/2] + `"`}},
				{line: 4, fields: []string{"2", "y"}},
			},
		},
		{
			name: "line over 1 MiB",
			in:   "a,b\n1," + long + "\n2,y\n",
			want: []csvRec{{line: 2, raw: "1," + long[:maxRecord-2], err: "line longer than 1 MiB"}, {line: 3, fields: []string{"2", "y"}}},
		},
		{
			name: "line of exactly 1 MiB",
			in:   "a,b\n" + long[:maxRecord-1] + "\n2,y\n",
			want: []csvRec{{line: 2, fields: []string{long[:maxRecord-1]}}, {line: 3, fields: []string{"2", "y"}}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, recs, err := readCSV(t, strings.NewReader(tc.in), CSVDialect{})
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != len(tc.want) {
				t.Fatalf("got %d records, want %d", len(recs), len(tc.want))
			}
			prev := int64(0)
			for i, want := range tc.want {
				got := recs[i]
				if (want.line != 0 && got.line != want.line) || got.line <= prev ||
					(want.fields != nil && !slices.Equal(got.fields, want.fields)) || (want.raw != "" && got.raw != want.raw) ||
					(want.err == "") != (got.err == "") || !strings.Contains(got.err, want.err) {
					t.Errorf("record %d: got line %d, %d fields, err %q; want line %d, %d fields, err %q", i, got.line, len(got.fields), got.err, want.line, len(want.fields), want.err)
				}
				prev = got.line
			}
		})
	}
}

// fuzzEncodings are the encodings the fuzz target picks from.
var fuzzEncodings = []string{"utf-8", "windows-1252", "iso-8859-1", "iso-8859-15"}

func FuzzCSVReader(f *testing.F) {
	for _, c := range csvCases {
		enc := uint8(max(0, slices.Index(fuzzEncodings, strings.ToLower(c.d.Encoding))))
		f.Add([]byte(c.in), byte(c.d.Delimiter), byte(c.d.Quote), enc, uint8(c.d.HeaderRow))
	}
	f.Fuzz(func(t *testing.T, in []byte, delim, quote byte, enc, row uint8) {
		if delim == 0 {
			delim = ','
		}
		if quote == 0 {
			quote = '"'
		}
		d := CSVDialect{
			Delimiter: rune(delim),
			Quote:     rune(quote),
			Encoding:  fuzzEncodings[int(enc)%len(fuzzEncodings)],
			HeaderRow: 1 + int(row%4),
		}
		r, err := NewCSVReader(bytes.NewReader(in), d)
		if err != nil {
			return
		}
		header, hdrLine, err := r.Header()
		if err != nil {
			return
		}
		checkUTF8(t, "header", header...)
		// Each record starts on a new physical line.
		maxRecords := bytes.Count(in, []byte("\n")) + 1
		prev := hdrLine
		var recs [][]string
		for {
			rd, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			if rd.Line <= prev {
				t.Fatalf("record on line %d after line %d", rd.Line, prev)
			}
			prev = rd.Line
			checkUTF8(t, "Raw", rd.Raw)
			checkUTF8(t, "Fields", rd.Fields...)
			if recs = append(recs, rd.Fields); len(recs) > maxRecords {
				t.Fatalf("more than %d records out of %d bytes", maxRecords, len(in))
			}
		}
		if r.BytesRead() != int64(len(in)) {
			t.Errorf("read %d bytes of %d", r.BytesRead(), len(in))
		}
		if wantHeader, wantRecs, ok := splitSimple(in, d); ok {
			if !slices.Equal(header, wantHeader) || !slices.EqualFunc(recs, wantRecs, slices.Equal) {
				t.Errorf("got %q then %q\nwant %q then %q", header, recs, wantHeader, wantRecs)
			}
		}
	})
}

func checkUTF8(t *testing.T, what string, s ...string) {
	t.Helper()
	for _, s := range s {
		if !utf8.ValidString(s) {
			t.Fatalf("%s: invalid UTF-8 %q", what, s)
		}
	}
}

// splitSimple is an oracle for UTF-8 input without quotes, NUL bytes or BOM: it
// returns the header and records by splitting lines and fields. ok is false for other
// input.
func splitSimple(in []byte, d CSVDialect) (header []string, recs [][]string, ok bool) {
	if d.Encoding != "utf-8" || !utf8.Valid(in) || bytes.ContainsRune(in, d.Quote) || bytes.ContainsRune(in, 0) ||
		bytes.Contains(in, []byte("\xef\xbb\xbf")) || len(in) >= maxRecord {
		return nil, nil, false
	}
	lines := strings.Split(string(in), "\n")
	for i, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		if i+1 < d.HeaderRow || line == "" {
			continue
		}
		fields := strings.Split(line, string(d.Delimiter))
		if header == nil {
			for j := range fields {
				fields[j] = strings.TrimSpace(fields[j])
			}
			header = fields
			continue
		}
		if slices.EqualFunc(fields, header, func(f, h string) bool { return strings.TrimSpace(f) == h }) {
			continue // the header again: concatenated exports
		}
		recs = append(recs, fields)
	}
	return header, recs, header != nil
}

// benchLines is the number of lines of the benchmark file.
const benchLines = 200_000

// benchCSV returns a French-dialect CSV file of benchLines lines and 14 columns, in
// UTF-8.
func benchCSV() string {
	names := []string{"DUPONT ÉLECTRICITÉ SARL", "MARTIN & FILS", "CAFÉ DES SPORTS", "GARAGE MÜLLER", "L'ŒIL DU FAUCON"}
	cities := []string{"Paris", "Lyon", "Saint-Étienne", "Besançon", "Nîmes"}
	var b strings.Builder
	b.WriteString("Date;Facture;Client;Raison sociale;TVA;SIRET;Adresse;CP;Ville;Pays;Référence;Désignation;Quantité;Montant\n")
	for i := range benchLines - 1 {
		fmt.Fprintf(&b, "%02d/03/2026;FAC-%06d;C%05d;\"%s\";FR%011d;%014d;%d rue de la Paix;%05d;%s;FR;REF-%03d;DS-%03d;%d;%d %03d,%02d\n",
			1+i%28, i, i%50000, names[i%len(names)], i*7919%100000000000, i*104729, 1+i%120, 75000+i%99, cities[i%len(cities)],
			i%1000, i%997, 1+i%12, i%10, i%1000, i%100)
	}
	return b.String()
}

func BenchmarkCSVReader(b *testing.B) {
	utf := benchCSV()
	cp1252, err := charmap.Windows1252.NewEncoder().String(utf)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ enc, data string }{{"windows-1252", cp1252}, {"utf-8", utf}} {
		b.Run(bc.enc, func(b *testing.B) {
			b.SetBytes(int64(len(bc.data)))
			loops := 0
			for ; b.Loop(); loops++ {
				r, err := NewCSVReader(strings.NewReader(bc.data), CSVDialect{Delimiter: ';', Quote: '"', Encoding: bc.enc, HeaderRow: 1})
				if err != nil {
					b.Fatal(err)
				}
				if _, _, err := r.Header(); err != nil {
					b.Fatal(err)
				}
				n := 1
				for ; ; n++ {
					rd, err := r.Next()
					if err != nil {
						break
					}
					if rd.Err != nil || len(rd.Fields) != 14 {
						b.Fatalf("line %d: %v, %d fields", rd.Line, rd.Err, len(rd.Fields))
					}
				}
				if n != benchLines {
					b.Fatalf("%d lines, want %d", n, benchLines)
				}
			}
			b.ReportMetric(float64(benchLines*loops)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

// BenchmarkStdlibCSVReference reads the UTF-8 benchmark file with encoding/csv, as a
// reference for BenchmarkCSVReader.
func BenchmarkStdlibCSVReference(b *testing.B) {
	data := benchCSV()
	b.SetBytes(int64(len(data)))
	loops := 0
	for ; b.Loop(); loops++ {
		r := csv.NewReader(strings.NewReader(data))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord = ';', true, -1
		n := 0
		for ; ; n++ {
			if _, err := r.Read(); err != nil {
				if !errors.Is(err, io.EOF) {
					b.Fatal(err)
				}
				break
			}
		}
		if n != benchLines {
			b.Fatalf("%d lines, want %d", n, benchLines)
		}
	}
	b.ReportMetric(float64(benchLines*loops)/b.Elapsed().Seconds(), "lines/s")
}
