package formats

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// XLSXOptions says which sheet of a workbook holds a feed's rows.
type XLSXOptions struct {
	Sheet     string // sheet name (exact, else case-insensitive); "" means the first sheet in tab order
	HeaderRow int    // 1-based row of the header; rows above are titles to skip; 0 means 1

	limits *xlsxLimits // nil: defaultXLSXLimits (tests lower them)
}

// xlsxLimits bound what opening a workbook may cost. excelize unzips every part of the
// workbook when it opens it: worksheets and the shared strings larger than xmlInMemory
// go to temporary files, every other part stays in memory.
type xlsxLimits struct {
	unzipped    int64 // all parts, decompressed
	inMemory    int64 // the parts kept in memory, decompressed
	xmlInMemory int64 // excelize's UnzipXMLSizeLimit
}

var defaultXLSXLimits = xlsxLimits{
	unzipped:    maxDecompressed,
	inMemory:    256 << 20,
	xmlInMemory: excelize.StreamChunkSize, // 16 MiB, excelize's default
}

// xlsxMaxRowText caps the text of a row (its cells joined with " | "); a longer row is
// reported with Record.Err, like a CSV line over maxRecord.
const xlsxMaxRowText = maxRecord

// Row-level problems, kept in Record.Err.
var (
	errXLSXLongRow  = fmt.Errorf("row longer than %d MiB", xlsxMaxRowText>>20)
	errXLSXCellText = errors.New("NUL character or invalid UTF-8 in a cell (is the file damaged?)")
)

// errXLSXPanic marks a panic of the workbook library on a malformed file, turned into
// an error so that one bad file cannot stop the run.
var errXLSXPanic = errors.New("malformed workbook (the xlsx library failed)")

// XLSXReader streams the rows of one sheet of an .xlsx workbook, in bounded memory.
// Create it with NewXLSXReader, call Header once, then Next until io.EOF, then Close.
//
// Each cell comes out as text that the shared SQL types:
//   - text (shared, inline or formula strings): as is, untrimmed, whatever it looks
//     like: "1,5" or "20/03/2024" written as text stay so (the feed's decimal and
//     date_format apply to them in SQL);
//   - a number whose format is a date format (built-in ids 14-22, 27-36, 45-47, 50-58,
//     or a custom format with a d, m or y outside quotes, escapes and brackets): the
//     date as YYYY-MM-DD, in the workbook's date system (1900, with Excel's leap-year
//     bug: serial 1 is 1900-01-01, 61 is 1900-03-01; or 1904); the time of day is
//     dropped after rounding to the millisecond. A serial that is no real date (below
//     1 or 60 = 1900-02-29 in the 1900 system, negative in 1904, after 9999-12-31)
//     comes out as a number instead, so that SQL rejects it;
//   - any other number: its stored value exactly, in plain decimal notation with '.'
//     and a leading '-' if negative: no thousands separator, no exponent, no rounding
//     to the display format or to 15 digits ("1234.5" shown as "1 234,50" comes out
//     1234.5; a stored 1.5E-7 comes out 0.00000015);
//   - a boolean: TRUE or FALSE; an error value: as stored (#N/A, #DIV/0!...);
//   - an ISO 8601 date cell (t="d", rare): its date part, YYYY-MM-DD;
//   - a formula: its cached result as above ("" when the file has none; nothing is
//     recalculated).
//
// With `xlsx.decimal: ","`, numeric cells still come out with '.' while numbers
// written as text keep their ','.
type XLSXReader struct {
	f        *excelize.File
	sheet    string
	raw      *excelize.Rows // the sheet read with raw cell values: exact numbers
	shown    *excelize.Rows // the same rows formatted through rewritten styles: the cell kinds
	date1904 bool
	hdrRow   int
	tmp      string // the folder of excelize's temporary files

	hdrDone bool
	header  []string
	hdrLine int64
	hdrErr  error
	row     int64 // rows consumed, the current one included
	err     error // sticky: io.EOF or a whole-file error
	closed  bool
}

// NewXLSXReader opens the workbook at path and prepares to read one of its sheets. It
// fails for a file that is not an .xlsx workbook (a legacy .xls, a password-protected
// workbook, a corrupt or over-large archive) and for a sheet that does not exist,
// naming the sheets that do.
func NewXLSXReader(path string, o XLSXOptions) (x *XLSXReader, err error) {
	if o.HeaderRow < 0 {
		return nil, fmt.Errorf("XLSX header row %d: must be 1 or more", o.HeaderRow)
	}
	if o.HeaderRow == 0 {
		o.HeaderRow = 1
	}
	lim := defaultXLSXLimits
	if o.limits != nil {
		lim = *o.limits
	}
	if err := checkXLSXArchive(path, lim); err != nil {
		return nil, err
	}
	x = &XLSXReader{hdrRow: o.HeaderRow}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errXLSXPanic, r)
		}
		if err != nil {
			x.Close()
			x = nil
		}
	}()
	// excelize's temporary files go to a folder of this reader, removed by Close: a
	// failed OpenFile returns no File whose Close would remove them.
	if x.tmp, err = os.MkdirTemp("", "salesout-xlsx-"); err != nil {
		return x, err
	}
	x.f, err = excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: lim.unzipped, UnzipXMLSizeLimit: lim.xmlInMemory, TmpDir: x.tmp})
	if err != nil {
		return x, fmt.Errorf("not a readable xlsx workbook: %w", err)
	}
	sheets := x.f.GetSheetList()
	if x.sheet, err = xlsxPickSheet(sheets, o.Sheet); err != nil {
		return x, err
	}
	props, err := x.f.GetWorkbookProps()
	if err != nil {
		return x, fmt.Errorf("not a readable xlsx workbook: %w", err)
	}
	x.date1904 = props.Date1904 != nil && *props.Date1904
	xlsxRewriteStyles(x.f)
	if x.raw, err = x.f.Rows(x.sheet); err != nil {
		return x, fmt.Errorf("sheet %q: %w", x.sheet, err)
	}
	if x.shown, err = x.f.Rows(x.sheet); err != nil {
		return x, fmt.Errorf("sheet %q: %w", x.sheet, err)
	}
	return x, nil
}

// xlsxOLEMagic starts an OLE2 compound file: a legacy .xls, or an encrypted .xlsx.
var xlsxOLEMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// checkXLSXArchive checks, from the zip directory alone, that path is a zip archive
// that excelize can open within lim.
func checkXLSXArchive(path string, lim xlsxLimits) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	head := make([]byte, len(xlsxOLEMagic))
	n, _ := io.ReadFull(fh, head)
	fh.Close()
	if bytes.Equal(head[:n], xlsxOLEMagic) {
		return errors.New("not an xlsx workbook: it is an OLE2 file (a legacy .xls workbook, or a password-protected one); save it as .xlsx without a password")
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("not an xlsx workbook: %w", cause(err))
	}
	defer zr.Close()
	var all, mem uint64
	types := false
	names := make([]string, 0, len(zr.File))
	for _, f := range zr.File {
		names = append(names, f.Name)
		types = types || strings.EqualFold(f.Name, "[Content_Types].xml")
		size := f.UncompressedSize64
		all += size
		name := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		onDisk := size > uint64(lim.xmlInMemory) &&
			(name == "xl/sharedstrings.xml" || strings.HasPrefix(name, "xl/worksheets/sheet"))
		if !onDisk {
			mem += size
		}
	}
	switch {
	case !types:
		return fmt.Errorf("not an xlsx workbook: the archive has no [Content_Types].xml; it holds %s", listNames(names))
	case all > uint64(lim.unzipped):
		return fmt.Errorf("xlsx workbook is %d MiB once decompressed, over the %d MiB limit", all>>20, lim.unzipped>>20)
	case mem > uint64(lim.inMemory):
		return fmt.Errorf("xlsx workbook has %d MiB of parts other than large worksheets (styles, small sheets, images...), over the %d MiB limit", mem>>20, lim.inMemory>>20)
	}
	return nil
}

// xlsxPickSheet returns the sheet named want (exactly, else ignoring case), or the first
// sheet when want is "".
func xlsxPickSheet(sheets []string, want string) (string, error) {
	if len(sheets) == 0 {
		return "", errors.New("the workbook has no sheets")
	}
	if want == "" {
		return sheets[0], nil
	}
	for _, s := range sheets {
		if s == want {
			return s, nil
		}
	}
	for _, s := range sheets {
		if strings.EqualFold(s, want) {
			return s, nil
		}
	}
	return "", fmt.Errorf("no sheet %q in the workbook; its sheets are %s", want, listNames(sheets))
}

// Number format ids the rewritten styles use.
const (
	xlsxFmtDateShown = 9  // built-in 0%: a date cell shows as non-numeric text, quickly
	xlsxFmtNone      = -1 // no such format: a cell shows as its value
)

// xlsxRewriteStyles makes the formatted rows tell the cell kinds apart, since excelize's
// streaming reader gives values but not cell styles: every cell style with a date
// format gets the built-in date format 14, every other style no format at all, and
// the custom formats are dropped. The formatted value of a numeric cell is then a date
// (not a number) exactly when its style has a date format. The workbook is only read,
// never saved, so the change stays in memory.
func xlsxRewriteStyles(f *excelize.File) {
	s := f.Styles
	if s == nil || s.CellXfs == nil {
		return
	}
	custom := map[int]string{}
	if s.NumFmts != nil {
		for _, nf := range s.NumFmts.NumFmt {
			if nf == nil {
				continue
			}
			code := nf.FormatCode
			if nf.FormatCode16 != "" {
				code = nf.FormatCode16
			}
			custom[nf.NumFmtID] = code
		}
	}
	date, none := xlsxFmtDateShown, xlsxFmtNone
	for i := range s.CellXfs.Xf {
		xf := &s.CellXfs.Xf[i]
		id := 0
		if xf.NumFmtID != nil {
			id = *xf.NumFmtID
		}
		isDate := xlsxBuiltInDateFormat(id)
		if code, ok := custom[id]; ok {
			isDate = xlsxDateFormatCode(code)
		}
		if isDate {
			xf.NumFmtID = &date
		} else {
			xf.NumFmtID = &none
		}
	}
	s.NumFmts = nil
}

// xlsxBuiltInDateFormat reports whether a built-in number format shows a date or a
// time: 14-22 and 45-47, and 27-36 and 50-58, the East Asian date formats.
func xlsxBuiltInDateFormat(id int) bool {
	return 14 <= id && id <= 22 || 27 <= id && id <= 36 || 45 <= id && id <= 47 || 50 <= id && id <= 58
}

// xlsxDateFormatCode reports whether a custom number format code has a day, month or
// year token (d, m, y in any case) outside quoted text, escaped characters, bracketed
// parts ([Red], [$-40C], [h]) and the _x and *x spacing and fill pairs.
func xlsxDateFormatCode(code string) bool {
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				return false
			}
		case '[':
			if j := strings.IndexByte(code[i+1:], ']'); j >= 0 {
				i += j + 1
			} else {
				return false
			}
		case '\\', '_', '*':
			i++ // the next byte is literal; a multi-byte character has no ASCII byte
		case 'd', 'D', 'm', 'M', 'y', 'Y':
			return true
		}
	}
	return false
}

// Sheet returns the name of the sheet being read.
func (x *XLSXReader) Sheet() string { return x.sheet }

// Header skips the rows above the options' HeaderRow and returns the header row's
// cells, trimmed of spaces, and its row number (empty rows at HeaderRow are skipped,
// so the row can be below it). Later calls return the same result.
func (x *XLSXReader) Header() (fields []string, row int64, err error) {
	if !x.hdrDone {
		x.hdrDone = true
		x.header, x.hdrLine, x.hdrErr = x.readHeader()
	}
	return x.header, x.hdrLine, x.hdrErr
}

func (x *XLSXReader) readHeader() (fields []string, row int64, err error) {
	defer x.recover(&err)
	for x.row < int64(x.hdrRow-1) {
		ok, err := x.advance()
		if err != nil {
			return nil, 0, err
		}
		if !ok {
			return nil, 0, fmt.Errorf("sheet %q has %d rows, header expected on row %d", x.sheet, x.row, x.hdrRow)
		}
	}
	for {
		ok, err := x.advance()
		if err != nil {
			return nil, 0, err
		}
		if !ok {
			if x.row < int64(x.hdrRow) {
				return nil, 0, fmt.Errorf("sheet %q has %d rows, header expected on row %d", x.sheet, x.row, x.hdrRow)
			}
			return nil, 0, fmt.Errorf("no header: sheet %q has only empty rows from row %d", x.sheet, x.hdrRow)
		}
		rec := x.record()
		if rec.Err != nil {
			return nil, 0, fmt.Errorf("header on row %d: %w", rec.Line, rec.Err)
		}
		if rec.Fields == nil {
			continue
		}
		for i, f := range rec.Fields {
			rec.Fields[i] = strings.TrimSpace(f)
		}
		return rec.Fields, rec.Line, nil
	}
}

// Next returns the next non-empty row after the header, reading the header first if
// Header was not called. Record.Line is the row number, Fields the cells by column
// (A is 0; empty cells are ""; the row ends at its last non-empty cell), Raw the cells
// joined with " | ". A row with only empty or blank cells is skipped; a totals row is
// read like any other. Next returns io.EOF at the end; any other error is a
// whole-file problem and ends the reading (Record.Line then holds the rows read).
// Problems of a single row are in Record.Err instead.
func (x *XLSXReader) Next() (rec Record, err error) {
	if _, _, err := x.Header(); err != nil {
		return Record{Line: x.row}, err
	}
	defer x.recover(&err)
	for {
		ok, err := x.advance()
		if err != nil {
			return Record{Line: x.row}, err
		}
		if !ok {
			return Record{Line: x.row}, io.EOF
		}
		if rec := x.record(); rec.Fields != nil || rec.Err != nil {
			return rec, nil
		}
	}
}

// recover turns a panic of the workbook library into a sticky whole-file error.
func (x *XLSXReader) recover(err *error) {
	if r := recover(); r != nil {
		x.err = fmt.Errorf("%w: %v", errXLSXPanic, r)
		*err = x.err
	}
}

// advance moves both row iterators to the next row. It reports false at the end of
// the sheet.
func (x *XLSXReader) advance() (bool, error) {
	if x.err != nil {
		if x.err == io.EOF {
			return false, nil
		}
		return false, x.err
	}
	if x.closed {
		x.err = errors.New("XLSX reader is closed")
		return false, x.err
	}
	more, more2 := x.raw.Next(), x.shown.Next()
	switch {
	case more != more2:
		x.err = fmt.Errorf("sheet %q: internal error: row iterators out of step after row %d", x.sheet, x.row)
	case !more && x.raw.Error() != nil:
		x.err = fmt.Errorf("sheet %q after row %d: %w", x.sheet, x.row, x.raw.Error())
	case !more:
		x.err = io.EOF
		return false, nil
	default:
		x.row++
		return true, nil
	}
	return false, x.err
}

var xlsxRawCells = excelize.Options{RawCellValue: true}

// record reads the current row. Fields is nil for an empty row.
func (x *XLSXReader) record() Record {
	raw, err := x.raw.Columns(xlsxRawCells)
	shown, _ := x.shown.Columns()
	rec := Record{Line: x.row}
	fields := make([]string, max(len(raw), len(shown)))
	empty, bad := true, false
	for i := range fields {
		var r, s string
		if i < len(raw) {
			r = raw[i]
		}
		if i < len(shown) {
			s = shown[i]
		}
		v := x.cellText(r, s)
		if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
			bad = true
			v = strings.ReplaceAll(strings.ToValidUTF8(v, "\uFFFD"), "\x00", "\uFFFD")
		}
		fields[i] = v
		empty = empty && strings.TrimSpace(v) == ""
	}
	if empty && err == nil {
		return rec
	}
	rec.Raw = strings.Join(fields, " | ")
	rec.Fields = fields
	switch {
	case err != nil:
		rec.Err = fmt.Errorf("unreadable row: %w", err)
	case len(rec.Raw) > xlsxMaxRowText:
		rec.Raw = strings.ToValidUTF8(rec.Raw[:xlsxMaxRowText], "")
		rec.Fields = nil
		rec.Err = errXLSXLongRow
	case bad:
		rec.Err = errXLSXCellText
	}
	return rec
}

// cellText returns the text of a cell from its raw value (excelize's RawCellValue:
// the stored number, the boolean as 0 or 1, the ISO text of a t="d" cell) and its
// value shown through the rewritten styles (see xlsxRewriteStyles): the same as the raw
// value for text and for numbers already in plain notation, the number in plain
// notation (rounded to 15 digits) for other numbers, TRUE or FALSE for a boolean, and
// non-numeric text for a number with a date format.
func (x *XLSXReader) cellText(raw, shown string) string {
	switch {
	case raw == shown:
		return raw
	case raw == "1" && shown == "TRUE":
		return "TRUE"
	case raw == "0" && shown == "FALSE":
		return "FALSE"
	}
	if v, ok := xlsxParseNumber(raw); ok {
		if _, num := xlsxParseNumber(shown); num {
			return xlsxPlainNumber(raw, v)
		}
		if d, ok := xlsxSerialDate(v, x.date1904); ok {
			return d
		}
		return xlsxPlainNumber(raw, v)
	}
	if d, ok := xlsxISODate(raw); ok {
		return d
	}
	return raw
}

// xlsxParseNumber parses a stored number: decimal digits, sign, point and exponent
// only (no Inf, NaN or hexadecimal), and finite.
func xlsxParseNumber(s string) (float64, bool) {
	if s == "" || strings.Trim(s, "0123456789+-.eE") != "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// xlsxPlainNumber returns the stored number s (of value v) in plain decimal notation with
// the same digits: s itself when it is already [-]digits[.digits], s with its
// exponent applied when it has one ("1.5E-7" is 0.00000015), else (such as "+5" or
// ".5") the shortest decimal that reads back as v.
func xlsxPlainNumber(s string, v float64) string {
	if xlsxPlainDecimal(s) {
		return s
	}
	if p, ok := xlsxApplyExponent(s); ok {
		return p
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// xlsxApplyExponent rewrites [+-]digits[.digits]E[+-]digits without the exponent, keeping
// every stored digit. It fails for other text and for exponents beyond ±400.
func xlsxApplyExponent(s string) (string, bool) {
	mant, exp, ok := strings.Cut(strings.ToUpper(s), "E")
	if !ok {
		return "", false
	}
	e, err := strconv.Atoi(exp)
	if err != nil || e < -400 || e > 400 {
		return "", false
	}
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimLeft(mant, "+-")
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	if len(mant) > len(digits)+1 || !xlsxDigits(digits) {
		return "", false
	}
	point := len(intPart) + e // position of the decimal point in digits
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	switch {
	case point <= 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -point))
		b.WriteString(digits)
	case point >= len(digits):
		b.WriteString(xlsxTrimZeros(digits + strings.Repeat("0", point-len(digits))))
	default:
		b.WriteString(xlsxTrimZeros(digits[:point]))
		b.WriteByte('.')
		b.WriteString(digits[point:])
	}
	return b.String(), true
}

// xlsxTrimZeros drops the leading zeros of an integer, keeping one digit.
func xlsxTrimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

func xlsxPlainDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasPoint := strings.Cut(s, ".")
	return xlsxDigits(intPart) && (!hasPoint || xlsxDigits(frac))
}

func xlsxDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Epochs of the two Excel date systems, as day 0.
var (
	xlsxEpoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC) // for serials from 61 (1900-03-01)
	xlsxEpoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// xlsxMaxSerial1900 is 9999-12-31 in the 1900 date system, Excel's last date.
const xlsxMaxSerial1900 = 2958465

// xlsxSerialDate returns the date of an Excel serial number as YYYY-MM-DD, rounding
// its time of day to the millisecond first. In the 1900 system serial 1 is
// 1900-01-01 and serial 60 is 1900-02-29, a day that does not exist (Lotus 1-2-3's
// leap-year bug, kept by Excel): it and serials below 1 are no date. In the 1904
// system serial 0 is 1904-01-01.
func xlsxSerialDate(v float64, date1904 bool) (string, bool) {
	const halfMilli = 0.5 / (24 * 60 * 60 * 1000)
	day := math.Floor(v + halfMilli)
	var t time.Time
	switch {
	case date1904 && day >= 0 && day <= xlsxMaxSerial1900-1462:
		t = xlsxEpoch1904.AddDate(0, 0, int(day))
	case date1904:
		return "", false
	case day >= 61 && day <= xlsxMaxSerial1900:
		t = xlsxEpoch1900.AddDate(0, 0, int(day))
	case day >= 1 && day < 60:
		t = xlsxEpoch1900.AddDate(0, 0, int(day)+1)
	default:
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// xlsxISODate returns the date of an ISO 8601 date or date-time text, as stored in an
// ISO date cell.
func xlsxISODate(s string) (string, bool) {
	if len(s) < 10 || len(s) > 10 && s[10] != 'T' && s[10] != ' ' {
		return "", false
	}
	if _, err := time.Parse(time.DateOnly, s[:10]); err != nil {
		return "", false
	}
	return s[:10], true
}

// Close releases the workbook and its temporary files. It may be called more than
// once.
func (x *XLSXReader) Close() error {
	if x == nil || x.closed {
		return nil
	}
	x.closed = true
	var first error
	for _, r := range []*excelize.Rows{x.raw, x.shown} {
		if r != nil {
			r.Close() // a read-only file; its other error, a read error, was reported by Next
		}
	}
	if x.f != nil {
		if err := x.f.Close(); err != nil && first == nil {
			first = err
		}
	}
	if x.tmp != "" {
		if err := os.RemoveAll(x.tmp); err != nil && first == nil {
			first = err
		}
	}
	return first
}
