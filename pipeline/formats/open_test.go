package formats

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// testZipEntry is an entry to write in a test archive; a name ending in / is a directory.
type testZipEntry struct{ name, body string }

func writeTestZip(t *testing.T, path string, entries ...testZipEntry) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, path, buf.String())
}

func writeTestGzip(t *testing.T, path, body string) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := io.WriteString(zw, body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, path, buf.String())
}

func writeTestFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOpen(t *testing.T) {
	const body = "id;name\n1;Dupont\n"
	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }
	writeTestFile(t, file("plain.csv"), body)
	writeTestGzip(t, file("sales.CSV.GZ"), body)
	writeTestZip(t, file("one.zip"), testZipEntry{"export/ventes.csv", body})
	writeTestZip(t, file("dir-and-file.ZIP"),
		testZipEntry{"export/", ""}, testZipEntry{"__MACOSX/export/._ventes.csv", "junk"},
		testZipEntry{"export/.DS_Store", "junk"}, testZipEntry{"export/ventes.csv", body})
	writeTestZip(t, file("two.zip"), testZipEntry{"a.csv", body}, testZipEntry{"b.csv", body})
	var seven []testZipEntry
	for _, n := range []string{"1", "2", "3", "4", "5", "6", "7"} {
		seven = append(seven, testZipEntry{n + ".csv", body})
	}
	writeTestZip(t, file("seven.zip"), seven...)
	writeTestZip(t, file("empty.zip"))
	writeTestZip(t, file("no-data.zip"), testZipEntry{"docs/", ""}, testZipEntry{".hidden", "x"})
	writeTestFile(t, file("fake.gz"), body)
	writeTestFile(t, file("fake.zip"), body)

	for _, tc := range []struct {
		name      string
		wantInner string
		wantErr   string // substring of the error
	}{
		{name: "plain.csv", wantInner: "plain.csv"},
		{name: "sales.CSV.GZ", wantInner: "sales.CSV"},
		{name: "one.zip", wantInner: "export/ventes.csv"},
		{name: "dir-and-file.ZIP", wantInner: "export/ventes.csv"},
		{name: "two.zip", wantErr: `2 data files in the archive, want one: "a.csv", "b.csv"`},
		{name: "seven.zip", wantErr: `7 data files in the archive, want one: "1.csv", "2.csv", "3.csv", "4.csv", "5.csv" and 2 more`},
		{name: "empty.zip", wantErr: "the archive is empty"},
		{name: "no-data.zip", wantErr: `no data file in the archive, only "docs/", ".hidden"`},
		{name: "fake.gz", wantErr: "open gzip " + file("fake.gz") + ": gzip: invalid header"},
		{name: "fake.zip", wantErr: "open zip " + file("fake.zip") + ": zip: not a valid zip file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc, inner, err := Open(file(tc.name))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			if err := rc.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			if string(got) != body || inner != tc.wantInner {
				t.Errorf("got %q named %q, want %q named %q", got, inner, body, tc.wantInner)
			}
		})
	}
}

func TestOpenMissing(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.csv", "a.csv.gz", "a.zip"} {
		path := filepath.Join(dir, name)
		_, _, err := Open(path)
		if !errors.Is(err, fs.ErrNotExist) || strings.Count(err.Error(), path) != 1 {
			t.Errorf("%s: error %v, want not-exist naming the file once", name, err)
		}
	}
}

// TestOpenZipRefused checks entries refused from their headers: declared too large
// (a zip bomb) or encrypted.
func TestOpenZipRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		hdr  zip.FileHeader
		want string
	}{
		{"bomb.zip", zip.FileHeader{Name: "big.csv", UncompressedSize64: 9 << 30}, "big.csv is 9663676416 bytes once decompressed, over the 8 GiB limit"},
		{"secret.zip", zip.FileHeader{Name: "secret.csv", Flags: 0x1}, "secret.csv is encrypted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			tc.hdr.Method, tc.hdr.CompressedSize64 = zip.Store, 3
			w, err := zw.CreateRaw(&tc.hdr)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.WriteString(w, "a,b"); err != nil {
				t.Fatal(err)
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), tc.name)
			writeTestFile(t, path, buf.String())
			if _, _, err := Open(path); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one with %q", err, tc.want)
			}
		})
	}
}

func TestCapReader(t *testing.T) {
	for _, tc := range []struct {
		in      string
		wantErr bool
	}{
		{"0123456789", false},
		{"0123456789x", true},
	} {
		for _, wrap := range []func(io.Reader) io.Reader{func(r io.Reader) io.Reader { return r }, iotest.OneByteReader} {
			got, err := io.ReadAll(&capReader{r: wrap(strings.NewReader(tc.in)), max: 10, name: "f.gz"})
			if (err != nil) != tc.wantErr || string(got) != tc.in[:10] {
				t.Errorf("%q: got %q, %v; want %q and error %v", tc.in, got, err, tc.in[:10], tc.wantErr)
			}
			if err != nil && err.Error() != "f.gz: more than 10 bytes once decompressed" {
				t.Errorf("error %q", err)
			}
		}
	}
}

// TestOpenThenRead reads a gzipped Windows-1252 file end to end.
func TestOpenThenRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ventes.csv.gz")
	writeTestGzip(t, path, "Export du 15/03/2026\r\nSoci\xe9t\xe9;Montant\r\n\"M\xfcller; fils\";\x80 1 234,56\r\n")
	rc, inner, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	_, _, recs, err := readCSV(t, rc, CSVDialect{Delimiter: ';', Quote: '"', Encoding: "windows-1252", HeaderRow: 2})
	if err != nil || inner != "ventes.csv" || len(recs) != 1 || !slices.Equal(recs[0].fields, []string{"Müller; fils", "€ 1 234,56"}) {
		t.Errorf("got %q, %#v, %v", inner, recs, err)
	}
}

// OpenAs names the file as given, never by its path: the loader opens landing copies
// and its reasons name the files as received.
func TestOpenAs(t *testing.T) {
	dir := t.TempDir()
	two := filepath.Join(dir, "0a1b2c.zip")
	writeTestZip(t, two, testZipEntry{"a.csv", "x"}, testZipEntry{"b.csv", "y"})
	fakeGz := filepath.Join(dir, "3d4e5f.csv.gz")
	writeTestFile(t, fakeGz, "not a gzip stream at all")
	bomb := filepath.Join(dir, "6a7b8c.csv.gz")
	writeTestGzip(t, bomb, strings.Repeat("x", 100))
	for _, tc := range []struct {
		path, name, want string
	}{
		{two, "sales/ventes.zip", `open zip sales/ventes.zip: 2 data files in the archive, want one: "a.csv", "b.csv"`},
		{fakeGz, "ventes.csv.gz", "open gzip ventes.csv.gz: gzip: invalid header"},
		{filepath.Join(dir, "missing.csv"), "ventes.csv", "open ventes.csv: no such file or directory"},
	} {
		_, _, err := OpenAs(tc.path, tc.name)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), dir) {
			t.Errorf("%s: the error names the path: %v", tc.name, err)
		}
	}
	// A read past the limit names the file too.
	rc, _, err := OpenAs(bomb, "ventes.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	rc.(*readCloser).Reader.(*capReader).max = 10
	if _, err := io.ReadAll(rc); err == nil || err.Error() != "ventes.csv.gz: more than 10 bytes once decompressed" {
		t.Errorf("read error %v", err)
	}
}
