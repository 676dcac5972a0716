// Package formats reads distributors' landing files into canonical lines: transparent
// decompression (Open), a strict, streaming CSV reader (CSVReader), a streaming XLSX
// reader (XLSXReader), and the X12 867 and EDIFACT SLSRPT readers (ReadX12Reports,
// ReadEDIFACTReports; their syntax and envelope layer is package edi). Each reader keeps
// line numbers and reports malformed records one by one instead of failing the whole
// file.
//
// Each format registers itself (Register) under the name feeds give in `format:`,
// with how its files are staged and typed; the configuration validates feeds[].format
// against Names, and the loader stages a file with its format's Lookup.
//
// This package imports neither pipeline/config nor pipeline/ingest: a format reads a
// feed's settings as Settings, which the loader fills from config.Feed, and hands its
// lines to a Sink, which the loader's stager is. So config can import formats (for
// Names), and ingest imports both.
package formats

import (
	"context"
	"fmt"
)

// Format is a file format feeds can name in `format:`.
type Format struct {
	// Name is what feeds write in `format:`.
	Name string

	// Tabular formats take each canonical field from the column its feed's `columns`
	// names in a header row (CSV, XLSX): the configuration requires that mapping.
	// The others map their own structure to the fields (X12, EDIFACT).
	Tabular bool

	// Stage reads a landing file and hands its lines to the loader's stager.
	Stage StageFunc

	// Variables says how the loader types the text Stage staged (pipeline/ingest/typing.go
	// and sql/ingest/type_values.sql, the same rules for every format).
	Variables func(Settings) Typing

	// Detect, when not nil, reports whether a file starting with head (its first bytes,
	// decompressed) looks like this format, for a future `feed sniff` command that
	// proposes a feed's settings from a sample file. Every format leaves it nil for now:
	// nil means the format cannot be recognised from content.
	Detect func(head []byte) bool
}

// StageFunc reads the landing file at path with the feed's settings and hands each of
// its lines to sink, the feed's defaults applied. It returns the file's EDI reports (nil
// for formats without reports), for the loader to apply their purposes. A *FileError
// says the whole file is unreadable (the loader records it failed and goes on); any
// other error stops the load. progress, when not nil, may be called with the bytes read
// so far.
type StageFunc func(ctx context.Context, path string, s Settings, sink Sink, progress func(bytesRead int64)) ([]Report, error)

// registry holds the registered formats. Registration happens during package
// initialisation, before any Lookup: it needs no lock.
var registry = struct {
	names  []string
	byName map[string]Format
}{byName: map[string]Format{}}

// The built-in formats, in the order Names lists them (the order of the README and of
// the configuration's error messages). Each is declared beside its stager.
func init() {
	for _, f := range []Format{csvFormat, xlsxFormat, x12Format, edifactFormat} {
		Register(f)
	}
}

// Register adds a format. It panics when the name is empty or taken, or Stage or
// Variables is missing: registration happens in init functions, where that is a
// programming error. It is not safe to call concurrently with Lookup or Names.
func Register(f Format) {
	switch _, taken := registry.byName[f.Name]; {
	case f.Name == "":
		panic("formats: Register of a format without a name")
	case taken:
		panic(fmt.Sprintf("formats: format %q registered twice", f.Name))
	case f.Stage == nil || f.Variables == nil:
		panic(fmt.Sprintf("formats: format %q lacks Stage or Variables", f.Name))
	}
	registry.names = append(registry.names, f.Name)
	registry.byName[f.Name] = f
}

// Lookup returns the format registered as name.
func Lookup(name string) (Format, bool) {
	f, ok := registry.byName[name]
	return f, ok
}

// Names lists the registered formats' names, in registration order.
func Names() []string {
	return append([]string(nil), registry.names...)
}
