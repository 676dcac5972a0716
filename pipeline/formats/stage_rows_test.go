package formats

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesout/salesout/pipeline/canon"
)

// fieldSink keeps what is staged, one "line_no|err|sku|quantity" per line.
type fieldSink []string

func (s *fieldSink) AppendIn(l canon.Line, _ string) error {
	get := func(f string) string {
		if v := l.Fields[canon.Index(f)]; v != nil {
			return *v
		}
		return "-"
	}
	*s = append(*s, fmt.Sprintf("%d|%s|%s|%s", l.LineNo, l.Err, get("sku"), get("quantity")))
	return nil
}

// A CSV line with fewer fields than the header, or with values past its last column,
// is a bad line naming both counts; empty trailing fields (a trailing delimiter) are no
// problem. A mapped column the header holds twice fails the file, naming both.
func TestStageCSVShape(t *testing.T) {
	columns := map[string]string{"invoice_date": "date", "reseller_id": "account", "sku": "SKU", "quantity": "Qty"}
	for _, tc := range []struct {
		name, in string
		want     []string // staged lines
		fileErr  string   // or the file's reason
	}{
		{"fits", "date,account,sku,qty\n2026-01-02,R1,A,1\n", []string{"2||A|1"}, ""},
		{"short line", "date,account,sku,qty\n2026-01-02,R1\n2026-01-02,R1,B,2\n",
			[]string{"2|line has 2 fields, the header has 4|-|-", "3||B|2"}, ""},
		{"long line", "date,account,sku,qty\n2026-01-02,R1,A,1,extra,fields\n",
			[]string{"2|line has 6 fields, the header has 4|-|-"}, ""},
		{"trailing delimiters", "date,account,sku,qty,\n2026-01-02,R1,A,1,\n2026-01-02,R1,B,2\n2026-01-02,R1,C,3,,\n",
			[]string{"2||A|1", "3||B|2", "4||C|3"}, ""},
		{"another delimiter", "date,account,sku,qty\n2026-01-02;R1;A;1\n2026-01-02,R1,B,2\n",
			[]string{`2|line has 1 field, the header has 4 (its delimiter looks like ';', not the feed's ',')|-|-`, "3||B|2"}, ""},
		{"empty last field kept", "date,account,sku,qty\n2026-01-02,R1,A,\n", []string{"2||A|-"}, ""},
		{"mapped column twice", "date,account,sku,qty,note,QTY\n2026-01-02,R1,A,1,x,2\n", nil,
			`header on line 1 repeats a mapped column: "QTY" (quantity) is both column 4 and column 6`},
		{"unmapped column twice is fine", "date,account,note,sku,qty,note\n2026-01-02,R1,x,A,1,y\n", []string{"2||A|1"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "in.csv")
			if err := os.WriteFile(path, []byte(tc.in), 0o644); err != nil {
				t.Fatal(err)
			}
			f, _ := Lookup("csv")
			var sink fieldSink
			_, err := f.Stage(context.Background(), path, Settings{Columns: columns, Name: "in.csv"}, &sink, nil)
			var fe *FileError
			switch {
			case tc.fileErr != "":
				if !errors.As(err, &fe) || !strings.Contains(fe.Reason, tc.fileErr) {
					t.Fatalf("error %v, want a file error with %q", err, tc.fileErr)
				}
			case err != nil:
				t.Fatal(err)
			case strings.Join(sink, "\n") != strings.Join(tc.want, "\n"):
				t.Errorf("staged:\n%s\nwant:\n%s", strings.Join(sink, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
