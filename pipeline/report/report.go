// Package report writes the monthly business-review pack: one self-contained HTML page
// per territory or sales rep with its attainment against target (and the trend chart),
// the contributors to its gap, its partners' loyalty movements, its coverage and white
// spaces, and its top development and prospecting targets. The page has no external
// resource (inline CSS, charts as data: URIs or, for an e-mail, whatever Image
// returns) and every value is escaped by html/template.
//
// It reads the analysts' snapshot (warehouse.publish), read-only, so that it never
// waits on a run, or the worker's warehouse when no snapshot was published yet. The
// figures come from package explain and the statements of sql/report/.
package report

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/internal/atomicfile"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// Scopes a pack can be made for.
const (
	ScopeTerritory = "territory"
	ScopeSalesRep  = "sales_rep"
)

// Options choose what Run writes.
type Options struct {
	Scope string    // territory (default) or sales_rep: one page for each
	Out   string    // the folder the pages go to (created); default "report"
	AsOf  time.Time // the date of the figures (it must have been scored); default the latest as_of of kpi_deviations
	// Email also e-mails each page to the owners of its territory or rep, like the alert
	// digests (outbox copy always; SMTP when alerts.smtp is set). Now dates the e-mails.
	Email bool
	Now   time.Time
}

// Result says what Run wrote.
type Result struct {
	AsOf   time.Time
	Scope  string
	Source string   // the database read (the snapshot, or the warehouse)
	Files  []string // the pages, one per territory or rep, in the order of their ids
	Mails  []Mail   // with Options.Email: one per page
}

// Mail is one page e-mailed.
type Mail struct {
	ScopeID string
	To      []string
	Eml     string // the copy in alerts.outbox
}

// Run writes one page per territory (or rep) of the config's published snapshot into
// opts.Out, named <scope>-<id>.html (an id is made safe as a file name first).
func Run(ctx context.Context, cfg *config.Config, opts Options) (Result, error) {
	res := Result{Scope: cmp.Or(opts.Scope, ScopeTerritory)}
	if res.Scope != ScopeTerritory && res.Scope != ScopeSalesRep {
		return res, fmt.Errorf("report: unknown scope %q (want territory or sales_rep)", opts.Scope)
	}
	out := cmp.Or(opts.Out, "report")
	db, source, err := open(cfg.Warehouse)
	if err != nil {
		return res, err
	}
	defer db.Close()
	res.Source = source
	conn, err := db.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("report: open %s: %w", source, err)
	}
	defer conn.Close()

	if res.AsOf, err = ResolveAsOf(ctx, conn, opts.AsOf); err != nil {
		return res, err
	}
	units, err := Units(ctx, conn, res.Scope, res.AsOf)
	if err != nil {
		return res, err
	}
	if len(units) == 0 {
		return res, fmt.Errorf("report: no %s in %s (the channel database gives none)", res.Scope, source)
	}
	if err := os.MkdirAll(out, 0o750); err != nil {
		return res, fmt.Errorf("report: %w", err)
	}
	log := zerolog.Ctx(ctx)
	var m *mailer
	if opts.Email {
		if m, err = newMailer(cfg, cmp.Or(opts.Now, time.Now())); err != nil {
			return res, err
		}
		defer m.close()
	}
	names := map[string]bool{}
	for _, u := range units {
		page, err := Page(ctx, conn, PageOptions{Scope: res.Scope, ScopeID: u.ID, AsOf: res.AsOf, Currency: cfg.BaseCurrency})
		if err != nil {
			return res, err
		}
		name := FileName(res.Scope, u.ID)
		if names[name] {
			return res, fmt.Errorf("report: two %ss give the file name %s", res.Scope, name)
		}
		names[name] = true
		path := filepath.Join(out, name)
		if err := atomicfile.Write(path, page, 0o644); err != nil {
			return res, fmt.Errorf("report %s %s: %w", res.Scope, u.ID, err)
		}
		log.Info().Str("scope", res.Scope).Str("scope_id", u.ID).Str("file", path).Msg("business review written")
		res.Files = append(res.Files, path)
		if m != nil {
			eml, to, err := m.page(ctx, conn, PageOptions{Scope: res.Scope, ScopeID: u.ID, AsOf: res.AsOf, Currency: cfg.BaseCurrency}, u.Name)
			if err != nil {
				return res, err
			}
			log.Info().Str("scope", res.Scope).Str("scope_id", u.ID).Strs("to", to).Str("eml", eml).Msg("business review e-mailed")
			res.Mails = append(res.Mails, Mail{ScopeID: u.ID, To: to, Eml: eml})
		}
	}
	return res, nil
}

// open opens the published snapshot read-only, or the worker's warehouse read-only when
// no snapshot was published yet.
func open(w config.Warehouse) (*sql.DB, string, error) {
	path := w.Publish
	if _, err := os.Stat(path); err != nil {
		if _, werr := os.Stat(w.Path); werr != nil {
			return nil, "", fmt.Errorf("report: no published snapshot at %s nor warehouse at %s yet: run the pipeline first", w.Publish, w.Path)
		}
		path = w.Path
	}
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		return nil, "", fmt.Errorf("report: open %s: %w", path, err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		if strings.Contains(err.Error(), "lock") {
			return nil, "", fmt.Errorf("report: %s is locked by a run; publish a snapshot (warehouse.publish) and read that: %w", path, err)
		}
		return nil, "", fmt.Errorf("report: open %s: %w", path, err)
	}
	return db, path, nil
}

// ResolveAsOf is the date a pack shows: asOf when the database was scored at that date,
// the latest date kpi_deviations was computed at when asOf is zero; an error otherwise.
func ResolveAsOf(ctx context.Context, conn *sql.Conn, asOf time.Time) (time.Time, error) {
	var requested any
	if !asOf.IsZero() {
		asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
		requested = asOf.Format(time.DateOnly)
	}
	var latest sql.NullTime
	var known sql.NullBool
	if err := conn.QueryRowContext(ctx, warehouse.Statement("report/latest_as_of.sql"), requested).Scan(&latest, &known); err != nil {
		return time.Time{}, fmt.Errorf("report: as_of: %w", err)
	}
	switch {
	case !latest.Valid:
		return time.Time{}, errors.New("report: no KPI deviations yet: run the pipeline with the score step first")
	case asOf.IsZero():
		return latest.Time.UTC(), nil
	case !known.Bool:
		return time.Time{}, fmt.Errorf("report: nothing was scored as of %s (the latest is %s): run the pipeline with --as-of %s first",
			asOf.Format(time.DateOnly), latest.Time.UTC().Format(time.DateOnly), asOf.Format(time.DateOnly))
	}
	return asOf, nil
}

// Unit is one territory or rep a pack has a page for.
type Unit struct {
	ID, Name string
	Partners int // of the channel database
}

// Units lists the territories (or reps) of the channel database, of reps and of the
// year's targets.
func Units(ctx context.Context, conn *sql.Conn, scope string, asOf time.Time) ([]Unit, error) {
	rows, err := conn.QueryContext(ctx, warehouse.Statement("report/scopes.sql"), scope, asOf.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("report: list %ss: %w", scope, err)
	}
	defer rows.Close()
	var out []Unit
	for rows.Next() {
		var u Unit
		if err := rows.Scan(&u.ID, &u.Name, &u.Partners); err != nil {
			return nil, fmt.Errorf("report: list %ss: %w", scope, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// FileName is the page's file name for a territory or rep: <scope>-<id>.html, the id
// reduced to letters, digits, '.', '_' and '-' (never a path: ids come from the channel
// database), with a short hash of the id when anything had to be replaced, so that two
// ids never share a name.
func FileName(scope, id string) string {
	var b strings.Builder
	changed := false
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		case r == '.' && b.Len() > 0:
			b.WriteRune(r)
		default:
			b.WriteRune('_')
			changed = true
		}
	}
	safe := b.String()
	if len(safe) > 80 {
		safe, changed = safe[:80], true
	}
	if changed || safe == "" {
		sum := sha256.Sum256([]byte(id))
		safe += "-" + hex.EncodeToString(sum[:4])
	}
	return scope + "-" + safe + ".html"
}
