// Package local is the connector for a folder on this machine (or a mounted share).
package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/salesout/salesout/connectors"
)

// Source lists the regular files directly inside Dir. Symbolic links and sub-folders
// are skipped: a link could lead out of the folder, and feeds match file names.
type Source struct {
	Dir string
}

// New returns the source for dir.
func New(dir string) *Source { return &Source{Dir: dir} }

// List returns the regular files of the folder, sorted by name.
func (s *Source) List(ctx context.Context) ([]connectors.Object, error) {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", s.Dir, err)
	}
	var objs []connectors.Object
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !e.Type().IsRegular() {
			continue
		}
		name, err := connectors.CleanName(e.Name())
		if err != nil {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", s.Dir, err)
		}
		objs = append(objs, connectors.Object{Name: name, Size: info.Size(), ModTime: info.ModTime().UTC()})
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].Name < objs[j].Name })
	return objs, nil
}

// Open opens one listed file.
func (s *Source) Open(ctx context.Context, obj connectors.Object) (io.ReadCloser, error) {
	name, err := connectors.CleanName(obj.Name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(s.Dir, filepath.FromSlash(name)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open %s: %w", name, connectors.ErrVanished)
	}
	return f, err
}
