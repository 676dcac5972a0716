package formats

// The EDI formats, X12 867 and EDIFACT SLSRPT: files of reports.

import (
	"context"
	"fmt"
	"io"

	"github.com/salesout/salesout/pipeline/canon"
)

var x12Format = Format{Name: "x12-867", Stage: stageReports(ReadX12Reports), Variables: isoTyping}

var edifactFormat = Format{Name: "edifact-slsrpt", Stage: stageReports(ReadEDIFACTReports), Variables: isoTyping}

// stageReports returns the Stage of a reader of reports: it stages the lines of each
// report, with the report's id; the lines of a cancellation are not staged (the
// cancellation removes the earlier lines of its report instead). A report with a
// structural problem (a count mismatch, a trailer missing: a cut file) and no line is
// staged as one bad line at its header, so that its reason is not lost. It returns
// every report read.
func stageReports(read func(io.Reader, func(canon.Line, *Report) error, ReportDone) error) StageFunc {
	return func(ctx context.Context, path string, s Settings, sink Sink, _ func(int64)) ([]Report, error) {
		rc, err := s.open(path)
		if err != nil {
			return nil, fileErrorf("cannot open: %v", err)
		}
		defer rc.Close()
		defaults := defaultValues(s)
		var reports []Report
		var stageErr error
		n := 0
		err = read(rc, func(line canon.Line, rep *Report) error {
			if rep.Purpose == PurposeCancel && rep.Err == "" {
				return nil
			}
			for i := range canon.Fields {
				if i < len(line.Fields) && line.Fields[i] == nil && defaults[i] != nil {
					line.Fields[i] = defaults[i]
				}
			}
			if n++; n%8192 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := sink.AppendIn(line, rep.ID); err != nil {
				stageErr = err
				return err
			}
			return nil
		}, func(rep *Report, lines int) error {
			reports = append(reports, *rep)
			if rep.Err != "" && lines == 0 {
				line := canon.Line{LineNo: rep.Seg, Err: rep.Err, Fields: make([]*string, len(canon.Fields))}
				if err := sink.AppendIn(line, rep.ID); err != nil {
					stageErr = err
					return err
				}
			}
			return nil
		})
		switch {
		case stageErr != nil:
			return nil, fmt.Errorf("stage: %w", stageErr)
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case err != nil:
			return nil, fileErrorf("%v", err)
		}
		return reports, nil
	}
}
