package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/salesout/salesout/pipeline/config"
)

// warehouseLock is an advisory lock (flock) on a file next to the warehouse, held by
// whatever writes the warehouse: a run, serve for its whole life, a demo. A second
// writer fails at once with exit code 3 instead of waiting on DuckDB's own file lock.
// The kernel releases the lock when the process dies, so a crash leaves nothing stale.
type warehouseLock struct{ f *os.File }

// lockedError says who holds the warehouse: exit code 3.
type lockedError struct {
	path   string
	holder string
}

func (e *lockedError) Error() string {
	who := "another salesout process"
	if e.holder != "" {
		who = e.holder
	}
	return fmt.Sprintf("the warehouse is in use by %s (lock %s); nothing was done. "+
		"Wait for it to finish, or stop 'salesout serve' first; reading works meanwhile: salesout status, salesout query",
		who, e.path)
}

// lockPath is the lock file of a warehouse: warehouse.path + ".lock".
func lockPath(cfg *config.Config) string { return cfg.Warehouse.Path + ".lock" }

// lockWarehouse takes the warehouse's lock for command (run, serve, demo...), or
// returns a *lockedError at once when another process holds it.
func lockWarehouse(cfg *config.Config, command string) (*warehouseLock, error) {
	path := lockPath(cfg)
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("lock the warehouse: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("lock the warehouse: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			holder, _ := os.ReadFile(path)
			return nil, &lockedError{path: path, holder: strings.TrimSpace(string(holder))}
		}
		return nil, fmt.Errorf("lock the warehouse %s: %w", path, err)
	}
	// Who holds it, for the message the next one gets.
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(fmt.Sprintf("salesout %s (pid %d, since %s)\n", command, os.Getpid(), time.Now().Format(time.RFC3339))), 0)
	return &warehouseLock{f: f}, nil
}

// Release lets the next writer in. The file stays: removing it would race with a
// process that opened it and waits to lock it.
func (l *warehouseLock) Release() {
	if l == nil || l.f == nil {
		return
	}
	_ = l.f.Truncate(0)
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
	l.f = nil
}
