package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Landing is the content-addressed folder where every fetched file is kept once, named
// by its SHA-256: everything in the warehouse can be rebuilt from it.
type Landing struct{ Dir string }

// Stored is a file copied into the landing folder.
type Stored struct {
	SHA256 string
	Rel    string // path relative to the landing folder
	Size   int64
}

// Store copies r into the landing folder, keeping the compression suffix of name
// (.csv.gz, .zip) so that the loader can open it. The copy is fsynced before it gets
// its final name, so a crash never leaves a truncated file under a content hash.
func (l Landing) Store(ctx context.Context, r io.Reader, name string) (Stored, error) {
	tmpDir := filepath.Join(l.Dir, "tmp")
	if err := os.MkdirAll(tmpDir, 0o750); err != nil {
		return Stored{}, err
	}
	tmp, err := os.CreateTemp(tmpDir, "fetch-*")
	if err != nil {
		return Stored{}, err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), ctxReader{ctx, r})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Stored{}, fmt.Errorf("copy to landing: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	rel := path.Join(sum[:2], sum+suffix(name))
	dst := filepath.Join(l.Dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return Stored{}, err
	}
	if _, err := os.Stat(dst); err == nil {
		return Stored{SHA256: sum, Rel: rel, Size: n}, nil
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return Stored{}, fmt.Errorf("copy to landing: %w", err)
	}
	if d, err := os.Open(filepath.Dir(dst)); err == nil {
		d.Sync()
		d.Close()
	}
	return Stored{SHA256: sum, Rel: rel, Size: n}, nil
}

// Path is the local path of a stored file.
func (l Landing) Path(rel string) string { return filepath.Join(l.Dir, filepath.FromSlash(rel)) }

// suffix returns the file's extensions (".csv.gz"), lower-cased and limited to safe
// characters: a remote name never becomes a local path.
func suffix(name string) string {
	base := path.Base(name)
	i := strings.IndexByte(base, '.')
	if i < 0 {
		return ""
	}
	var b strings.Builder
	for _, r := range strings.ToLower(base[i:]) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '.' {
			b.WriteRune(r)
		}
	}
	s := b.String()
	// keep the last extensions only: "ACME.2026.01.csv.gz" -> ".csv.gz"
	parts := strings.Split(strings.Trim(s, "."), ".")
	if len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	if len(parts) == 2 && parts[1] != "gz" && parts[1] != "zip" {
		parts = parts[1:]
	}
	if len(parts) == 0 || parts[0] == "" {
		return ""
	}
	return "." + strings.Join(parts, ".")
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
