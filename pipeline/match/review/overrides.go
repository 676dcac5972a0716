package review

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The overrides file's columns, in order.
const (
	colKind      = "decision"
	colPartnerID = "partner_id"
	colRejected  = "rejected"
	colDecidedAt = "decided_at"
)

// overridesHeader is the overrides file's header.
var overridesHeader = []string{
	colDistributor, colResellerID, colResellerName, colResellerPostcode,
	colKind, colPartnerID, colRejected, colDecidedAt, colNote,
}

// rejectedSep separates the partner ids of the rejected column.
const rejectedSep = ";"

// ReadOverrides reads the overrides file (see the package doc for its layout). A
// missing file, or an empty one, holds no decision. The file may be edited by hand, so
// every field is checked as by Decision.Validate, and more: the header must have
// exactly the overrides columns (in any order), every line as many fields as the
// header, decided_at must be an RFC 3339 time, and a reseller may appear only once.
// Text fields lose the single quote added against formula injection. Errors name the
// file, the line and the field; all of them are returned together (at most 50).
func ReadOverrides(path string) ([]Decision, error) {
	t, err := readCSVTable(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if t.header == nil {
		return nil, nil
	}
	cols, err := findColumns(t, overridesHeader, nil, true)
	if err != nil {
		return nil, err
	}
	var out []Decision
	var errs rowErrors
	seen := make(map[Key]int) // line
	for _, rec := range t.records {
		if len(rec.fields) != len(t.header) {
			errs.add(t, rec.pos, fmt.Errorf("%d fields, the header has %d", len(rec.fields), len(t.header)))
			continue
		}
		get := func(name string) string { return rec.fields[cols[name]] }
		d := Decision{
			Distributor:      unprotect(get(colDistributor)),
			ResellerID:       unprotect(get(colResellerID)),
			ResellerName:     unprotect(get(colResellerName)),
			ResellerPostcode: unprotect(get(colResellerPostcode)),
			Kind:             get(colKind),
			PartnerID:        unprotect(get(colPartnerID)),
			Note:             unprotect(get(colNote)),
		}
		if r := unprotect(get(colRejected)); r != "" {
			d.Rejected = strings.Split(r, rejectedSep)
		}
		if s := get(colDecidedAt); s != "" {
			at, err := time.Parse(time.RFC3339, s)
			if err != nil {
				errs.add(t, rec.pos, fmt.Errorf("decided_at %s: not an RFC 3339 time such as 2026-03-01T09:30:00Z", quoteShort(s)))
				continue
			}
			d.DecidedAt = at
		}
		if err := d.Validate(); err != nil {
			errs.add(t, rec.pos, err)
			continue
		}
		if line, dup := seen[d.Key()]; dup {
			errs.add(t, rec.pos, fmt.Errorf("the same reseller as on line %d (%s); keep one of the two lines", line, d.Key()))
			continue
		}
		seen[d.Key()] = rec.pos
		out = append(out, d)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// MergeOverrides adds the decisions ds to the overrides file at path, creating it if
// need be. A decision for a reseller already in the file replaces the earlier one, in
// its place; within ds, a later decision for the same reseller replaces an earlier
// one; new resellers are appended in the order of ds. It returns how many resellers
// were added and how many decisions on file were replaced. A decision that decides as
// the one on file (same kind, partner, rejected ids and note) changes nothing, keeps
// the earlier decision time and counts in neither; when nothing changes the file is
// not rewritten.
//
// Every decision is validated first (Decision.Validate), and the file read with
// ReadOverrides: an invalid decision or file fails the merge without changing
// anything. The file is written atomically: to a temporary file in the same folder,
// synced to disk, then renamed over the old one (keeping its permissions; a symbolic
// link is followed), so that a reader or a crash sees the old file or the new, never a
// part. Two merges running at once may lose one's changes: run imports one at a time.
func MergeOverrides(path string, ds []Decision) (added, replaced int, err error) {
	for i, d := range ds {
		if err := d.Validate(); err != nil {
			return 0, 0, fmt.Errorf("review: decision %d (%s): %w", i+1, d.Key(), err)
		}
	}
	old, err := ReadOverrides(path)
	if err != nil {
		return 0, 0, err
	}
	merged := append([]Decision(nil), old...)
	at := make(map[Key]int, len(old)) // index in merged
	for i, d := range old {
		at[d.Key()] = i
	}
	for _, d := range ds {
		i, ok := at[d.Key()]
		switch {
		case !ok:
			at[d.Key()] = len(merged)
			merged = append(merged, d)
		case !sameDecision(merged[i], d):
			merged[i] = d
		}
	}
	for i := range merged {
		switch {
		case i >= len(old):
			added++
		case sameDecision(merged[i], old[i]):
			merged[i] = old[i] // changed and changed back: as on file
		default:
			replaced++
		}
	}
	if added == 0 && replaced == 0 {
		return 0, 0, nil
	}
	if err := writeFileAtomic(path, func(w io.Writer) error { return writeOverrides(w, merged) }); err != nil {
		return 0, 0, fmt.Errorf("review: writing %s: %w", path, err)
	}
	return added, replaced, nil
}

// writeOverrides writes ds as an overrides file: UTF-8 without byte-order mark, a
// header, comma-separated, LF line ends, text fields protected against formula
// injection, decided_at in RFC 3339 with as many fractional digits as needed.
func writeOverrides(w io.Writer, ds []Decision) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(overridesHeader); err != nil {
		return err
	}
	for _, d := range ds {
		rec := []string{
			protect(d.Distributor), protect(d.ResellerID), protect(d.ResellerName), protect(d.ResellerPostcode),
			d.Kind, protect(d.PartnerID), protect(strings.Join(d.Rejected, rejectedSep)),
			d.DecidedAt.Format(time.RFC3339Nano), protect(d.Note),
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Hooks of writeFileAtomic, replaced by tests to simulate failures.
var (
	syncFile   = (*os.File).Sync
	renameFile = os.Rename
)

// writeFileAtomic replaces the file at path with what write writes: to a temporary
// file in the same folder, with the permissions of the file replaced (0644 for a new
// one), synced, then renamed over path; the folder is then synced, where the system
// allows. On failure the temporary file is removed and path is left as it was. A
// symbolic link at path is followed: its target is replaced.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		return err
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := renameFile(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil { // best effort: make the rename durable
		_ = d.Sync()
		d.Close()
	}
	return nil
}
