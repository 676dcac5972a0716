// Package connectors defines how salesout reaches the places distributors drop their
// files. Each transport lives in its own sub-package (local, and later s3 and sftp) and
// implements Source.
package connectors

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
)

// Object is one file as a source lists it.
type Object struct {
	// Name is the object's path relative to the source's root, slash-separated, checked
	// by CleanName: it is never used as a local path.
	Name    string
	Size    int64
	ModTime time.Time // zero when unknown
	ETag    string    // object version tag where the transport has one
}

// Source lists and opens the files of one configured source.
type Source interface {
	// List returns the objects currently in the source.
	List(ctx context.Context) ([]Object, error)
	// Open streams one listed object.
	Open(ctx context.Context, obj Object) (io.ReadCloser, error)
}

// Secret is a credential: it prints and marshals as ***; only the client library that
// needs it gets string(s). The config's secrets are this type.
type Secret string

func (Secret) String() string               { return "***" }
func (Secret) GoString() string             { return "***" }
func (Secret) MarshalText() ([]byte, error) { return []byte("***"), nil }

// ErrVanished is returned by Open when an object listed a moment ago is gone.
var ErrVanished = fmt.Errorf("file vanished after listing")

// CleanName checks a file name that came from a remote system: relative, no "..", no
// control characters, no backslashes. The name is only ever used as a label and a
// glob subject; local copies are named by content hash.
func CleanName(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("empty file name")
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == '\\' || r == unicode.ReplacementChar {
			return "", fmt.Errorf("file name %q has a control or invalid character", name)
		}
	}
	if strings.HasPrefix(name, "/") {
		return "", fmt.Errorf("file name %q is absolute", name)
	}
	clean := path.Clean(name)
	if clean == ".." || strings.HasPrefix(clean, "../") || clean == "." {
		return "", fmt.Errorf("file name %q leaves its folder", name)
	}
	return clean, nil
}
