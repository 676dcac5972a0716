package match

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/match/linkage"
	"github.com/salesout/salesout/pipeline/match/review"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// spelling is one row of the resellers temp table (sql/match/resellers.sql).
type spelling struct {
	r     linkage.Reseller
	isNew bool
}

// key is the spelling's key in partner_matches and in the overrides file.
func (sp spelling) key() review.Key {
	return review.Key{Distributor: sp.r.Distributor, ResellerID: sp.r.ResellerID, ResellerName: sp.r.Name, ResellerPostcode: sp.r.Postcode}
}

// matchPartners resolves reseller spellings to partners with the linkage engine. It
// scores the spellings it has not seen, or all of them when the channel database or
// the overrides changed (or nothing was ever scored), records the decisions, and gives
// the lines changed since the last match, and those of spellings whose partner changed,
// their spelling's partner.
func matchPartners(ctx context.Context, tx *sql.Tx, s Settings, p plan, res *Result) error {
	if _, err := warehouse.RunScript(ctx, tx, "match/resellers.sql", nil); err != nil {
		return err
	}
	if err := scorePartners(ctx, tx, s, p, res); err != nil {
		return err
	}
	if _, err := warehouse.RunScript(ctx, tx, "match/assign_partners.sql", warehouse.Vars{"since": p.since, "run_id": s.RunID}); err != nil {
		return err
	}
	var moved int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM match_moved`).Scan(&moved); err != nil {
		return fmt.Errorf("match changes: %w", err)
	}
	if moved > 0 {
		if _, err := warehouse.RunScript(ctx, tx, "match/assign_moved.sql", warehouse.Vars{"run_id": s.RunID}); err != nil {
			return err
		}
	}
	return nil
}

// scorePartners scores the spellings that need it (see matchPartners) and records the
// decisions: partner_matches, match_candidates, match_changes, match_weights, and the
// spellings whose partner changed in match_moved.
func scorePartners(ctx context.Context, tx *sql.Tx, s Settings, p plan, res *Result) error {
	log := zerolog.Ctx(ctx)
	overrides, overridesChanged, err := loadOverrides(ctx, tx, s.Overrides)
	if err != nil {
		return err
	}
	var trained int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM match_weights`).Scan(&trained); err != nil {
		return fmt.Errorf("read the model: %w", err)
	}
	all := p.channelDB || overridesChanged || trained == 0
	res.Rescored = all

	spellings, err := readSpellings(ctx, tx)
	if err != nil {
		return err
	}
	known, err := knownAccounts(ctx, tx)
	if err != nil {
		return err
	}
	var todo []linkage.Reseller
	var keys []review.Key
	for i := range spellings {
		sp := &spellings[i]
		if o, ok := overrides[sp.key()]; ok {
			sp.r.Override = o
		}
		sp.r.Known = known[sp.r.Distributor+"\x00"+sp.r.ResellerID]
		if all || sp.isNew {
			todo = append(todo, sp.r)
			keys = append(keys, sp.key())
		}
	}
	res.Scored = int64(len(todo))
	if len(todo) == 0 {
		log.Info().Int("resellers", len(spellings)).Msg("no new reseller spelling to score")
		return nil
	}

	companies, err := readCompanies(ctx, tx)
	if err != nil {
		return err
	}
	start := time.Now()
	ix := linkage.NewIndex(companies)
	trainOn := make([]linkage.Reseller, len(spellings))
	for i, sp := range spellings {
		trainOn[i] = sp.r
	}
	model := ix.Train(trainOn)
	results, err := ix.Resolve(ctx, model, todo, s.Options)
	if err != nil {
		return fmt.Errorf("resolve resellers: %w", err)
	}
	log.Info().Int("scored", len(todo)).Int("companies", len(companies)).Bool("all", all).
		Dur("took", time.Since(start)).Msg("resellers scored")

	if err := writeResults(ctx, tx, keys, results); err != nil {
		return err
	}
	if err := writeModel(ctx, tx, model); err != nil {
		return err
	}
	if _, err := warehouse.RunScript(ctx, tx, "match/apply_matches.sql", warehouse.Vars{
		"run_id": s.RunID, "now": warehouse.Typed{Value: s.Now, Type: "TIMESTAMPTZ"},
	}); err != nil {
		return err
	}
	return logChanges(ctx, tx, s)
}

// readSpellings reads the resellers temp table.
func readSpellings(ctx context.Context, tx *sql.Tx) ([]spelling, error) {
	rows, err := tx.QueryContext(ctx, warehouse.Statement("match/reseller_spellings.sql"))
	if err != nil {
		return nil, fmt.Errorf("read resellers: %w", err)
	}
	defer rows.Close()
	var out []spelling
	for rows.Next() {
		var f [9]sql.NullString
		var sp spelling
		if err := rows.Scan(&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &sp.isNew); err != nil {
			return nil, fmt.Errorf("read resellers: %w", err)
		}
		sp.r = linkage.Reseller{Distributor: f[0].String, ResellerID: f[1].String, Name: f[2].String, Postcode: f[3].String,
			Address: f[4].String, City: f[5].String, Country: f[6].String, Registration: f[7].String, VAT: f[8].String}
		out = append(out, sp)
	}
	return out, rows.Err()
}

// readCompanies reads the channel database.
func readCompanies(ctx context.Context, tx *sql.Tx) ([]linkage.Company, error) {
	rows, err := tx.QueryContext(ctx, warehouse.Statement("match/channel_partners.sql"))
	if err != nil {
		return nil, fmt.Errorf("read partners: %w", err)
	}
	defer rows.Close()
	var out []linkage.Company
	for rows.Next() {
		var c linkage.Company
		if err := rows.Scan(&c.PartnerID, &c.Name, &c.Registration, &c.VAT, &c.Address, &c.Postcode, &c.City, &c.Country); err != nil {
			return nil, fmt.Errorf("read partners: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// knownAccounts are the partners that earlier runs learned for a distributor's account
// number (reseller_id) from a key or an analyst: every spelling of the account that such
// a step matched found the same partner.
func knownAccounts(ctx context.Context, tx *sql.Tx) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, warehouse.Statement("match/known_accounts.sql"))
	if err != nil {
		return nil, fmt.Errorf("read learned accounts: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var d, id, p string
		if err := rows.Scan(&d, &id, &p); err != nil {
			return nil, fmt.Errorf("read learned accounts: %w", err)
		}
		out[d+"\x00"+id] = p
	}
	return out, rows.Err()
}

// loadOverrides reads the analysts' decisions, keyed by spelling, and says whether they
// changed since the previous run (a digest of the decisions as read is kept in
// reference_loads; no decision is "").
func loadOverrides(ctx context.Context, tx *sql.Tx, path string) (map[review.Key]*linkage.Override, bool, error) {
	out := map[review.Key]*linkage.Override{}
	var ds []review.Decision
	if path != "" {
		var err error
		if ds, err = review.ReadOverrides(path); err != nil {
			return nil, false, fmt.Errorf("matching.overrides: %w", err)
		}
	}
	h := sha256.New()
	for _, d := range ds {
		o := &linkage.Override{}
		switch d.Kind {
		case review.KindPartner:
			o.PartnerID = d.PartnerID
		case review.KindNotAPartner:
			o.NotAPartner = true
		case review.KindNoneOfThese:
			o.Rejected = d.Rejected
		}
		out[d.Key()] = o
		fmt.Fprintf(h, "%q\n", []string{d.Distributor, d.ResellerID, d.ResellerName, d.ResellerPostcode, d.Kind, d.PartnerID,
			strings.Join(d.Rejected, ";")})
	}
	sum := ""
	if len(ds) > 0 {
		sum = hex.EncodeToString(h.Sum(nil))
	}
	var prev string
	err := tx.QueryRowContext(ctx, `SELECT sha256 FROM reference_loads WHERE name = 'overrides'`).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, false, fmt.Errorf("matching.overrides: read the previous load: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM reference_loads WHERE name = 'overrides'`); err != nil {
		return nil, false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO reference_loads VALUES ('overrides', ?, ?, now())`, sum, len(out)); err != nil {
		return nil, false, err
	}
	return out, prev != sum, nil
}

// writeResults fills the temp tables match_results and match_scored_candidates that
// sql/match/apply_matches.sql reads.
func writeResults(ctx context.Context, tx *sql.Tx, keys []review.Key, results []linkage.Result) error {
	for _, q := range []string{
		warehouse.Statement("match/match_results_table.sql"),
		`CREATE OR REPLACE TEMP TABLE match_scored_candidates AS SELECT * FROM match_candidates LIMIT 0`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("match results: %w", err)
		}
	}
	res := newBatch(ctx, tx, "match_results", 13)
	cand := newBatch(ctx, tx, "match_scored_candidates", 9)
	for i, r := range results {
		k := keys[i]
		if err := res.add(k.Distributor, null(k.ResellerID), null(k.ResellerName), null(k.ResellerPostcode),
			null(r.PartnerID), null(r.Method), r.Score, r.Weight, null(r.RunnerUpID), r.RunnerUpScore,
			null(r.Evidence), r.Review, null(r.ReviewReason)); err != nil {
			return err
		}
		for j, c := range r.Candidates {
			if err := cand.add(k.Distributor, null(k.ResellerID), null(k.ResellerName), null(k.ResellerPostcode),
				j+1, c.PartnerID, c.Score, c.Weight, null(c.Evidence)); err != nil {
				return err
			}
		}
	}
	if err := res.flush(); err != nil {
		return err
	}
	return cand.flush()
}

// writeModel replaces match_weights with the model's rows.
func writeModel(ctx context.Context, tx *sql.Tx, m *linkage.Model) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM match_weights`); err != nil {
		return err
	}
	b := newBatch(ctx, tx, "match_weights", 6)
	for _, w := range m.Rows() {
		if err := b.add(w.Comparison, w.Level, w.M, w.U, w.Weight, w.Matches); err != nil {
			return err
		}
	}
	return b.flush()
}

// logChanges logs every spelling whose partner this run changed, as apply_matches.sql
// recorded it in match_changes: a match never changes silently.
func logChanges(ctx context.Context, tx *sql.Tx, s Settings) error {
	rows, err := tx.QueryContext(ctx, `SELECT distributor, coalesce(reseller_id, ''), coalesce(reseller_name, ''), coalesce(from_partner_id, ''), coalesce(to_partner_id, ''), coalesce(to_method, '') FROM match_changes WHERE run_id = ? AND changed_at = ?`,
		s.RunID, s.Now)
	if err != nil {
		return fmt.Errorf("match changes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d, id, name, from, to, method string
		if err := rows.Scan(&d, &id, &name, &from, &to, &method); err != nil {
			return err
		}
		zerolog.Ctx(ctx).Warn().Str("distributor", d).Str("reseller_id", id).Str("reseller_name", name).
			Str("from", from).Str("to", to).Str("method", method).Msg("a reseller's partner changed")
	}
	return rows.Err()
}

func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}
