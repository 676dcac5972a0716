package sniff

// What a sample file is: its bytes (decompressed as the loader would) and its format.

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/salesout/salesout/pipeline/formats"
)

// The formats as feeds name them.
const (
	formatCSV     = "csv"
	formatXLSX    = "xlsx"
	formatX12     = "x12-867"
	formatEDIFACT = "edifact-slsrpt"
)

// maxSample is how much of a text file is read to sniff it.
const maxSample = 8 << 20

// sample is one sample file.
type sample struct {
	path   string // as given
	name   string // base name
	inner  string // the data file's name inside a .gz or .zip
	data   []byte // decompressed content, up to maxSample (text formats); the whole file for a workbook
	cut    bool   // data stops at maxSample
	format string // detected format, "" when unrecognised
	why    string // the evidence for format, or why it is unrecognised
}

// readSample reads a sample file and recognises its format from its bytes.
func readSample(path string) (*sample, error) {
	s := &sample{path: path, name: filepath.Base(path)}
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		s.data, s.inner = data, s.name
	} else {
		rc, inner, err := formats.Open(path)
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		data, err := io.ReadAll(io.LimitReader(rc, maxSample+1))
		if err != nil {
			return nil, fmt.Errorf("read: %w", err)
		}
		s.inner = inner
		if len(data) > maxSample {
			data, s.cut = data[:maxSample], true
		}
		s.data = data
	}
	s.format, s.why = detectFormat(s.data)
	return s, nil
}

// detectFormat recognises a file's format from its first bytes.
func detectFormat(data []byte) (format, why string) {
	head := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case bytes.HasPrefix(head, []byte("ISA")) && len(head) > 3 && !isAlnum(head[3]):
		return formatX12, fmt.Sprintf("starts with an X12 ISA envelope (element separator %q)", head[3])
	case bytes.HasPrefix(head, []byte("UNA")):
		return formatEDIFACT, "starts with an EDIFACT UNA service string advice"
	case bytes.HasPrefix(head, []byte("UNB")) && len(head) > 3 && !isAlnum(head[3]):
		return formatEDIFACT, "starts with an EDIFACT UNB interchange header"
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		if bytes.Contains(data, []byte("xl/workbook.xml")) && bytes.Contains(data, []byte("PK\x05\x06")) {
			return formatXLSX, "a zip archive holding xl/workbook.xml: an Excel workbook"
		}
		if bytes.Contains(data, []byte("xl/")) {
			return "", "a zip archive with xl/ parts but no complete directory: a workbook cut short"
		}
		return "", "a zip archive without xl/workbook.xml: not a workbook"
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")):
		return "", "an old binary Excel (.xls) or other OLE file: save it as .xlsx or CSV"
	case bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")):
		return "", "UTF-16 text (byte-order mark): the loader reads UTF-8 and single-byte encodings; export it as UTF-8"
	}
	probe := data[:min(len(data), 64<<10)]
	if bytes.IndexByte(probe, 0) >= 0 {
		return "", "NUL bytes in its first 64 KiB: binary, not text"
	}
	if bad := controlBytes(probe); bad*100 > len(probe) {
		return "", fmt.Sprintf("%d control bytes in its first %d: binary, not text", bad, len(probe))
	}
	return formatCSV, "text with delimited lines"
}

// controlBytes counts the ASCII control bytes other than tab, CR, LF and form feed.
func controlBytes(p []byte) int {
	n := 0
	for _, c := range p {
		if c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f' {
			n++
		}
	}
	return n
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}
