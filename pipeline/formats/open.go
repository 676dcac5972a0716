package formats

import (
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// maxDecompressed caps the bytes read out of a compressed file, against zip bombs.
const maxDecompressed = 8 << 30

// Open opens a landing file for reading, decompressing it if needed:
//   - name ending in .gz (any case): the gunzipped content; inner is the base name
//     without .gz;
//   - name ending in .zip (any case): the archive's single data file, ignoring
//     directories, non-regular files, __MACOSX/ entries and dot-files; inner is the
//     entry's name in the archive;
//   - otherwise the file itself; inner is its base name.
//
// Reading more than 8 GiB out of a compressed file fails. The errors name the file by
// its path.
func Open(path string) (rc io.ReadCloser, inner string, err error) {
	return OpenAs(path, path)
}

// OpenAs is Open with the file called name in the errors: the loader opens a landing
// copy at file and names the file as it was received, never by the landing path.
func OpenAs(file, name string) (rc io.ReadCloser, inner string, err error) {
	base := filepath.Base(file)
	switch strings.ToLower(filepath.Ext(base)) {
	case ".gz":
		return openGzip(file, name, base[:len(base)-len(".gz")])
	case ".zip":
		return openZip(file, name)
	}
	f, err := os.Open(file)
	if err != nil {
		if file != name {
			err = fmt.Errorf("open %s: %w", name, cause(err))
		}
		return nil, "", err
	}
	return f, base, nil
}

func openGzip(file, name, inner string) (io.ReadCloser, string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, "", fmt.Errorf("open gzip %s: %w", name, cause(err))
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, "", fmt.Errorf("open gzip %s: %w", name, err)
	}
	return &readCloser{
		Reader:  &capReader{r: zr, max: maxDecompressed, name: name},
		closers: []io.Closer{zr, f},
	}, inner, nil
}

func openZip(file, name string) (io.ReadCloser, string, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, "", fmt.Errorf("open zip %s: %w", name, cause(err))
	}
	var data []*zip.File
	var all []string
	for _, f := range zr.File {
		all = append(all, f.Name)
		if f.Mode().IsRegular() && !strings.HasPrefix(f.Name, "__MACOSX/") && !strings.HasPrefix(path.Base(f.Name), ".") {
			data = append(data, f)
		}
	}
	fail := func(format string, args ...any) (io.ReadCloser, string, error) {
		zr.Close()
		return nil, "", fmt.Errorf("open zip %s: %s", name, fmt.Sprintf(format, args...))
	}
	switch {
	case len(all) == 0:
		return fail("the archive is empty")
	case len(data) == 0:
		return fail("no data file in the archive, only %s", listNames(all))
	case len(data) > 1:
		names := make([]string, len(data))
		for i, f := range data {
			names[i] = f.Name
		}
		return fail("%d data files in the archive, want one: %s", len(data), listNames(names))
	}
	f := data[0]
	switch {
	case f.Flags&0x1 != 0:
		return fail("%s is encrypted", f.Name)
	case f.UncompressedSize64 > maxDecompressed:
		return fail("%s is %d bytes once decompressed, over the %d GiB limit", f.Name, f.UncompressedSize64, maxDecompressed>>30)
	}
	rc, err := f.Open()
	if err != nil {
		zr.Close()
		return nil, "", fmt.Errorf("open zip %s: %s: %w", name, f.Name, err)
	}
	return &readCloser{
		Reader:  &capReader{r: rc, max: maxDecompressed, name: name},
		closers: []io.Closer{rc, zr},
	}, f.Name, nil
}

// cause strips the operation and path from a file system error, which the caller's
// message already says.
func cause(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// listNames quotes up to 5 names, saying how many more there are.
func listNames(names []string) string {
	const max = 5
	var b strings.Builder
	for i, n := range names[:min(len(names), max)] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", n)
	}
	if len(names) > max {
		fmt.Fprintf(&b, " and %d more", len(names)-max)
	}
	return b.String()
}

// readCloser reads from a decompressor and closes it and what it reads from.
type readCloser struct {
	io.Reader
	closers []io.Closer
}

// Close closes everything, returning the first error.
func (rc *readCloser) Close() error {
	var first error
	for _, c := range rc.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// capReader fails once more than max bytes are read out of r.
type capReader struct {
	r    io.Reader
	n    int64  // bytes read
	max  int64  // limit
	name string // file name for the error
}

func (c *capReader) Read(p []byte) (int, error) {
	if left := c.max - c.n; int64(len(p)) > left+1 {
		p = p[:left+1]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		size := fmt.Sprintf("%d bytes", c.max)
		if c.max%(1<<30) == 0 {
			size = fmt.Sprintf("%d GiB", c.max>>30)
		}
		return n - int(c.n-c.max), fmt.Errorf("%s: more than %s once decompressed", c.name, size)
	}
	return n, err
}
