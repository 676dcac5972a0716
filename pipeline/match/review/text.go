package review

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxCellChars is the most characters (UTF-16 code units) a spreadsheet cell holds;
// excelize silently truncates longer text.
const maxCellChars = 32767

// formulaStart reports whether a cell starting with byte b may be taken for a formula
// by a spreadsheet (OWASP: =, +, -, @, tab, carriage return; also line feed and NUL).
func formulaStart(b byte) bool {
	switch b {
	case '=', '+', '-', '@', '\t', '\r', '\n', 0:
		return true
	}
	return false
}

// needsQuote reports whether s, after any leading single quotes, starts like a formula.
func needsQuote(s string) bool {
	t := strings.TrimLeft(s, "'")
	return t != "" && formulaStart(t[0])
}

// protect returns s ready for a spreadsheet cell: with one more leading single quote
// if it starts like a formula, possibly after single quotes. unprotect undoes it, so
// that unprotect(protect(s)) == s for every s.
func protect(s string) string {
	if needsQuote(s) {
		return "'" + s
	}
	return s
}

// Protect is protect for the other spreadsheet-bound text salesout writes (salesout query
// --format csv): a value that starts like a formula gets a leading single quote.
func Protect(s string) string { return protect(s) }

// unprotect removes the single quote that protect added. A value that starts with a
// single quote and then, after any further quotes, like a formula loses its first
// quote; any other value is returned as is, so a value typed without the quote reads
// as typed.
func unprotect(s string) string {
	if strings.HasPrefix(s, "'") && needsQuote(s[1:]) {
		return s[1:]
	}
	return s
}

// textProblem says why s cannot be written to a cell and read back exactly, or "".
// Allowed: valid UTF-8 without control characters other than tab and line feed (XML,
// and so XLSX, cannot hold the others; CSV readers turn CR LF into LF) and without the
// non-characters U+FFFE and U+FFFF.
func textProblem(s string) string {
	if !utf8.ValidString(s) {
		return "not valid UTF-8 text"
	}
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n':
		case r == '\r':
			return "contains a carriage return"
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
			return fmt.Sprintf("contains the control character %U", r)
		}
	}
	return ""
}

// cellLenProblem says why s, as written to a cell, is too long, or "".
func cellLenProblem(s string) string {
	if utf16Len(s) > maxCellChars {
		return fmt.Sprintf("longer than %d characters, the most a spreadsheet cell holds", maxCellChars)
	}
	return ""
}

// utf16Len counts s in UTF-16 code units, as spreadsheets count characters.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// displayText makes text that is only shown, never read back (cities, candidate names,
// evidence...), fit for a cell: invalid UTF-8 and control characters other than tab
// and line feed become U+FFFD (CR LF and CR become LF), and text too long for a cell is
// cut with an ellipsis. The result is protected.
func displayText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\t' || r == '\n':
			return r
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
	s = protect(s)
	if utf16Len(s) <= maxCellChars {
		return s
	}
	n := 0
	for i, r := range s {
		if n+utf16.RuneLen(r) > maxCellChars-1 {
			return s[:i] + "…"
		}
		n += utf16.RuneLen(r)
	}
	return s
}

// quoteShort quotes s for an error message, cut to a readable length.
func quoteShort(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) <= max {
		return strconv.Quote(s)
	}
	r := []rune(s)
	return strconv.Quote(string(r[:max])) + "…"
}
