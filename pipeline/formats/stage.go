package formats

// What a format's Stage is given (Settings, a Sink) and says (Typing, FileError).

import (
	"fmt"
	"io"

	"github.com/salesout/salesout/pipeline/canon"
)

// Settings are what a feed's configuration (config.Feed) says about reading its files.
// The loader fills them; each format reads its own part.
type Settings struct {
	CSV      CSVSettings
	XLSX     XLSXSettings
	Columns  map[string]string // canonical field -> the header of the column holding it (tabular formats)
	Defaults map[string]string // canonical field -> the value of the lines without one
	// Name is the file's name as received (the files ledger's), which reasons use; ""
	// names it by the path staged (the landing copy's).
	Name string
}

// open opens the file at path (Open), naming it as s says in errors.
func (s Settings) open(path string) (io.ReadCloser, error) {
	name := s.Name
	if name == "" {
		name = path
	}
	rc, _, err := OpenAs(path, name)
	return rc, err
}

// CSVSettings are a CSV feed's dialect and how its text writes numbers and dates.
type CSVSettings struct {
	CSVDialect
	Decimal    string // decimal separator: "." or ","
	Thousands  string // thousands separator, "" for none
	DateFormat string // strptime format of dates
}

// XLSXSettings are a workbook feed's sheet and how its numbers and dates typed as text
// are written.
type XLSXSettings struct {
	XLSXOptions
	Decimal    string // decimal separator: "." or ","
	DateFormat string // strptime format of dates
}

// Typing is how the loader types a file's staged text (sql/ingest/type_values.sql): its
// variables date_format, date_format_alt, decimal_sep and strip_chars.
type Typing struct {
	DateFormat    string // strptime format of invoice dates
	DateFormatAlt string // a second format accepted, "" for none
	Decimal       string // decimal separator of numbers
	Strip         string // characters deleted from numbers (thousands separators)
}

// isoTyping types text written as the readers of structured formats write it: ISO
// dates, "." decimals, nothing to strip.
func isoTyping(Settings) Typing { return Typing{DateFormat: "%Y-%m-%d", Decimal: "."} }

// Sink receives the canonical lines of a file: the loader's stager.
type Sink interface {
	// AppendIn stages one line of the EDI report whose id is report ("" for a
	// format without reports). line.Fields is the caller's until the call returns
	// (a format may reuse it for its next line): the sink copies what it keeps.
	AppendIn(line canon.Line, report string) error
}

// FileError is a problem that makes a whole file unreadable (binary content, a header
// without the mapped columns). The file is recorded failed; the run goes on.
type FileError struct{ Reason string }

func (e *FileError) Error() string { return e.Reason }

func fileErrorf(format string, args ...any) error {
	return &FileError{Reason: fmt.Sprintf(format, args...)}
}

// defaultValues are the feed's `defaults`, indexed like canon.Fields (nil: no default).
func defaultValues(s Settings) []*string {
	defaults := make([]*string, len(canon.Fields))
	for k, v := range s.Defaults {
		defaults[canon.Index(k)] = &v
	}
	return defaults
}
