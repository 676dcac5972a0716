package sniff

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func TestDetectFormat(t *testing.T) {
	for _, c := range []struct {
		name, data, want string
	}{
		{"x12", "ISA*00*          *00*          *ZZ*SENDER~GS*PT~", formatX12},
		{"x12 after a BOM and blank lines", "\xef\xbb\xbf\r\n ISA|00|", formatX12},
		{"edifact with UNA", "UNA:+.? 'UNB+UNOC:3+S+R'", formatEDIFACT},
		{"edifact without UNA", "UNB+UNOA:2+S+R'", formatEDIFACT},
		{"workbook", "PK\x03\x04....xl/workbook.xml....PK\x05\x06", formatXLSX},
		{"workbook cut short", "PK\x03\x04....xl/worksheets/sheet1.xml", ""},
		{"other zip", "PK\x03\x04....word/document.xml PK\x05\x06", ""},
		{"old Excel", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ""},
		{"UTF-16", "\xff\xfed\x00a\x00", ""},
		{"binary", "a;b\n\x00\x01\x02", ""},
		{"csv", "a;b\n1;2\n", formatCSV},
		{"a word starting with ISA is text", "ISABELLE;12\n", formatCSV},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, why := detectFormat([]byte(c.data))
			if got != c.want {
				t.Errorf("format %q (%s), want %q", got, why, c.want)
			}
			if why == "" {
				t.Error("no evidence given")
			}
		})
	}
}

func encode(t *testing.T, cm *charmap.Charmap, s string) string {
	t.Helper()
	b, err := cm.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDetectEncoding(t *testing.T) {
	for _, c := range []struct {
		name, data, want, alt string
	}{
		{"BOM", "\xef\xbb\xbfDate;Qté\n", encUTF8, ""},
		{"ASCII", "Date;Qty\n2026-01-01;1\n", encUTF8, ""},
		{"UTF-8", "Date;Qté\n2026-01-01;Müller\n", encUTF8, ""},
		{"Windows-1252 euro sign", encode(t, charmap.Windows1252, "Montant €;Qté\n12,50 €;1\n"), enc1252, enc885915},
		{"Windows-1252 quotes", encode(t, charmap.Windows1252, "Nom\n“Dupont” – Café\n"), enc1252, enc885915},
		{"ISO-8859-15 euro in amounts", encode(t, charmap.ISO8859_15, "Betrag\n12,50 €\n"), enc885915, enc88591},
		{"ISO-8859-15 oe ligature", encode(t, charmap.ISO8859_15, "Nom\nŒuvres du cœur\n"), enc885915, enc88591},
		{"ISO-8859-1 fractions", encode(t, charmap.ISO8859_1, "Taille\n1½ pouce\n"), enc88591, enc885915},
		{"only shared accents", encode(t, charmap.ISO8859_1, "Nom\nSociété Générale\n"), enc1252, enc88591},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := detectEncoding([]*sample{{data: []byte(c.data)}})
			if g.name != c.want {
				t.Fatalf("encoding %s (%s), want %s", g.name, g.why, c.want)
			}
			if c.alt != "" && (len(g.alts) == 0 || g.alts[0].Value != c.alt) {
				t.Errorf("alternatives %v, want %s first", g.alts, c.alt)
			}
			if g.why == "" || g.confidence <= 0 || g.confidence > 1 {
				t.Errorf("evidence %q, confidence %v", g.why, g.confidence)
			}
		})
	}
}

func TestDetectDialect(t *testing.T) {
	for _, c := range []struct {
		name, text    string
		delim, quote  rune
		width, header int
	}{
		{"semicolon with decimal commas", "Date;Client;Qté;Montant\n01/02/2026;A, B et C;1;12,50\n02/02/2026;D;2;3,10\n", ';', '"', 4, 1},
		{"comma", "date,client,qty\n2026-01-01,A,1\n2026-01-02,B,2\n", ',', '"', 3, 1},
		{"tab after a preamble", "REPORT\nPeriod 1-7\n\t\t\n\nd\tc\tq\n1\tA\t1\n2\tB\t2\n3\tC\t3\n", '\t', '"', 3, 5},
		{"pipe with single quotes around the delimiter", "a|b|c\n1|'x | y'|2\n3|'z'|4\n5|w|6\n", '|', '\'', 3, 1},
		{"double quotes around the delimiter", "a,b,c\n1,\"x, y\",2\n3,\"z\",4\n5,w,6\n", ',', '"', 3, 1},
		{"preamble with the same width", "Export;;\nDate;Client;Qty\n2026-01-01;A;1\n2026-01-02;B;2\n", ';', '"', 3, 2},
		{"quoted field over two lines", "a;b;c\n1;\"two\nlines\";2\n3;x;4\n", ';', '"', 3, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, _ := detectDialect([]string{c.text})
			if g.delim != c.delim || g.quote != c.quote || g.width != c.width || g.header != c.header {
				t.Errorf("delimiter %q quote %q width %d header %d; want %q %q %d %d", g.delim, g.quote, g.width, g.header, c.delim, c.quote, c.width, c.header)
			}
		})
	}
}

func TestMatchGlob(t *testing.T) {
	for _, c := range []struct {
		names []string
		want  string
	}{
		{[]string{"ACME_ventes_202601.csv", "ACME_ventes_202602.csv", "ACME_ventes_202602_renvoi.csv"}, "ACME_ventes_*.csv"},
		{[]string{"BRAVO_sales_2026-01.csv.gz"}, "BRAVO_sales_*.csv.gz"},
		{[]string{"a.csv", "b.csv"}, "*.csv"},
		{[]string{"report.txt"}, "report*.txt"},
	} {
		if got := matchGlob(c.names); got != c.want {
			t.Errorf("matchGlob(%v) = %q, want %q", c.names, got, c.want)
		}
	}
	if got := namePrefix([]string{"L15_202601.zip", "L15_202601_v2.zip"}); got != "L15" {
		t.Errorf("namePrefix = %q, want L15", got)
	}
	if got := namePrefix([]string{"ventes_202601.csv"}); got != "" {
		t.Errorf("namePrefix of a generic word = %q, want none", got)
	}
	if !strings.EqualFold(extension("x.CSV.GZ"), ".csv.gz") {
		t.Error(extension("x.CSV.GZ"))
	}
}
