// Package edi is the syntax and envelope layer the X12 and EDIFACT readers of package
// formats share: separators and release characters (Separators, Scanner), segments
// split into elements and components (Segment), character sets (Charset), the
// interchange > group > message envelope with its trailers' control counts and
// references (Envelope), the outbox that holds an interchange's lines until those
// trailers were checked (Outbox), and the reports the messages are (Report).
//
// What a message means (X12 867, EDIFACT SLSRPT: which segment holds the quantity, the
// reseller...) is not here: it is in package formats, which maps messages to
// canonical lines.
package edi

import "time"

// Report is one sales report inside an EDI file (an X12 867 transaction set or an
// EDIFACT SLSRPT message): its lines belong to it.
type Report struct {
	ID          string    // BPT02 / BGM02
	Purpose     string    // "original" | "replace" | "cancel"  (X12 BPT01 00 / 05,15 / 01; EDIFACT BGM message function 9 original, 5 replace, 1 cancel, else original)
	PeriodStart time.Time // DTM*090 / DTM+90 (zero when absent)
	PeriodEnd   time.Time // DTM*091 / DTM+91
	Currency    string    // CUR02 / CUX
	Control     string    // ST02 / UNH01 control reference, for messages
	Seg         int64     // the segment number of its header (ST / UNH)
	Err         string    // non-empty: the whole report is quarantined with this reason (count or control number mismatch); its lines are still emitted, each with Line.Err set to the same reason
}

// Report purposes.
const (
	PurposeOriginal = "original"
	PurposeReplace  = "replace"
	PurposeCancel   = "cancel"
)

// ReportDone is called once for every report, after all its lines (possibly none: a
// cancellation often has no detail) were passed to emit, with the number of lines.
// It lets a caller act on reports without lines, which emit never sees.
type ReportDone func(rep *Report, lines int) error

// PurposeX12 is the purpose of an X12 BPT01 transaction set purpose code.
func PurposeX12(code string) string {
	switch code {
	case "05", "15":
		return PurposeReplace
	case "01":
		return PurposeCancel
	}
	return PurposeOriginal
}

// PurposeEDIFACT is the purpose of an EDIFACT BGM03 message function code.
func PurposeEDIFACT(code string) string {
	switch code {
	case "5":
		return PurposeReplace
	case "1":
		return PurposeCancel
	}
	return PurposeOriginal
}
