package formats

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesout/salesout/pipeline/canon"
)

// recordSink keeps what is staged, one "report|line_no|err" per line.
type recordSink []string

func (s *recordSink) AppendIn(l canon.Line, report string) error {
	*s = append(*s, fmt.Sprintf("%s|%d|%s", report, l.LineNo, l.Err))
	return nil
}

// A report with a structural problem and no line (a file cut inside its header, a
// cancellation with a wrong count) is staged as one bad line at its header: its reason
// is not lost. Reports without a problem and without lines stage nothing.
func TestStageReportsWithoutLines(t *testing.T) {
	full := x12Doc([]string{"BPT*00*R1*20240201", "PTD*SS", "N1*BY*SHOP*91*C1", "QTY*39*1", "LIN**VP*A", "DTM*003*20240115"})
	cut := full[:strings.Index(full, "QTY*39")]
	cancelBadCount := strings.Replace(x12Doc([]string{"BPT*01*R1*20240201"}), "SE*3*0001", "SE*9*0001", 1)
	edifactCut := "UNB+UNOC:3+S+R+240201:0930+1'UNH+C1+SLSRPT:D:01B:UN'BGM+73E::+R-A+9'DTM+137:20240201:102'"
	for _, tc := range []struct {
		name, format, in string
		want             []string
	}{
		{"x12 whole", "x12-867", full, []string{"R1|7|"}},
		{"x12 cut before its first item", "x12-867", cut, []string{"R1|3|transaction set 0001 (segment 3): no SE trailer before the end of the file"}},
		{"x12 cancellation with a wrong count", "x12-867", cancelBadCount, []string{`R1|3|transaction set 0001: SE01 says "9" segments, the set has 3`}},
		{"x12 cancellation", "x12-867", x12Doc([]string{"BPT*01*R1*20240201"}), nil},
		{"edifact cut before its first item", "edifact-slsrpt", edifactCut, []string{"R-A|2|message C1 (segment 2): no UNT trailer before the end of the file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "in.edi")
			if err := os.WriteFile(path, []byte(tc.in), 0o644); err != nil {
				t.Fatal(err)
			}
			f, _ := Lookup(tc.format)
			var sink recordSink
			if _, err := f.Stage(context.Background(), path, Settings{}, &sink, func(int64) {}); err != nil {
				t.Fatal(err)
			}
			if strings.Join(sink, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("staged:\n%s\nwant:\n%s", strings.Join(sink, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
