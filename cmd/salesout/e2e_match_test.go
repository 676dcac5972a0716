package main

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/demo"
)

// minMatched is the share of the demo's sales_out lines that matching must give a
// partner. The demo is shaped for it: the resellers the channel database does not list
// make under 3 % of its lines.
const minMatched = 0.97

// TestDemoMatchesTruth measures reseller matching on the demo against the generator's
// answer key, truth/resellers.csv: each sales_out line of the published snapshot is
// joined to the key by its spelling (distributor, reseller_id, reseller_name,
// reseller_postcode, NULL-safe) and
//
//	(a) every line has a row in the key (else the key or the loader is wrong);
//	(b) at least 97 % of all its lines have a partner (the lines of unlisted resellers,
//	    under 3 % of the demo's, cannot have one without being wrong);
//	(c) no line has a partner other than its true one (an unlisted reseller's line
//	    with any partner is wrong).
//
// Precision and recall per distributor are logged.
func TestDemoMatchesTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("demo: about 10 s")
	}
	dir := t.TempDir()
	mustRun(t, dir, "demo", "--dir", "d")
	cfg, err := config.Load(filepath.Join(dir, "d", "config.yaml"), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", cfg.Warehouse.Publish+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	truth := fmt.Sprintf(`read_csv(%s, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`,
		truthLiteral(filepath.Join(dir, "d", filepath.FromSlash(demo.TruthFile))))

	// The key's spellings are unique: the join cannot count a line twice.
	if dup := rows(t, db, `SELECT distributor, reseller_id, reseller_name, reseller_postcode, string_agg(coalesce(true_partner_id, 'unlisted'), ' ')
		FROM `+truth+` GROUP BY ALL HAVING count(*) > 1`); len(dup) > 0 {
		t.Fatalf("%d spellings of the truth have several partners: %v", len(dup), dup[:min(20, len(dup))])
	}

	rs, err := db.Query(`
		WITH truth AS (SELECT * FROM ` + truth + `)
		SELECT s.distributor, s.reseller_id, s.reseller_name, s.reseller_postcode, s.partner_id,
		       t.distributor IS NOT NULL AS known, t.true_partner_id, count(*) AS lines
		FROM sales_out s
		LEFT JOIN truth t
		       ON t.distributor = s.distributor
		      AND t.reseller_id IS NOT DISTINCT FROM s.reseller_id
		      AND t.reseller_name IS NOT DISTINCT FROM s.reseller_name
		      AND t.reseller_postcode IS NOT DISTINCT FROM s.reseller_postcode
		GROUP BY ALL
		ORDER BY lines DESC, s.distributor, s.reseller_id, s.reseller_name, s.reseller_postcode`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()

	// Lines: all; of listed resellers (with a true partner), and of these with a
	// partner; with a partner; with the true one; with another; without a truth row.
	type tally struct{ lines, listed, listedMatched, matched, correct, wrong, unknown int }
	var all tally
	per := map[string]*tally{}
	var order []string
	var unknown, wrong []string
	for rs.Next() {
		var dist string
		var id, name, postcode, partner, want sql.NullString
		var known bool
		var n int
		if err := rs.Scan(&dist, &id, &name, &postcode, &partner, &known, &want, &n); err != nil {
			t.Fatal(err)
		}
		c := per[dist]
		if c == nil {
			c = &tally{}
			per[dist] = c
			order = append(order, dist)
		}
		key := fmt.Sprintf("%s|%s|%s|%s", dist, truthText(id), truthText(name), truthText(postcode))
		for _, c := range []*tally{c, &all} {
			c.lines += n
			switch {
			case !known:
				c.unknown += n
				continue
			case want.Valid:
				c.listed += n
			}
			if partner.Valid {
				c.matched += n
				if want.Valid {
					c.listedMatched += n
				}
				if partner == want {
					c.correct += n
				} else {
					c.wrong += n
				}
			}
		}
		switch {
		case !known && len(unknown) < 20:
			unknown = append(unknown, fmt.Sprintf("%s (%d lines)", key, n))
		case known && partner.Valid && partner != want && len(wrong) < 20:
			wrong = append(wrong, fmt.Sprintf("%s: matched %s, truly %s (%d lines)", key, partner.String, truthText(want), n))
		}
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	if all.lines == 0 {
		t.Fatal("sales_out is empty")
	}

	ratio := func(a, b int) float64 {
		if b == 0 {
			return 1
		}
		return float64(a) / float64(b)
	}
	logTally := func(name string, c *tally) {
		t.Logf("%-8s %6d lines (%5d of unlisted resellers, %d unknown): %6d matched, %6d right, %4d wrong; precision %6.2f %%, recall %6.2f %%",
			name, c.lines, c.lines-c.listed-c.unknown, c.unknown, c.matched, c.correct, c.wrong,
			100*ratio(c.correct, c.matched), 100*ratio(c.correct, c.listed))
	}
	slices.Sort(order)
	for _, d := range order {
		logTally(d, per[d])
	}
	logTally("all", &all)
	t.Logf("%.2f %% of all sales_out lines matched; %.2f %% are of resellers the channel database lists (the most that can be)",
		100*ratio(all.matched, all.lines), 100*ratio(all.listed, all.lines))

	// (a) Every line has its spelling in the key.
	if all.unknown > 0 {
		t.Errorf("(a) %d of %d sales_out lines have a spelling the truth does not know, e.g.:\n  %s",
			all.unknown, all.lines, strings.Join(unknown, "\n  "))
	}
	// (b) The lines have a partner.
	if r := ratio(all.matched, all.lines); r < minMatched {
		t.Errorf("(b) %.2f %% of the %d lines have a partner (%.2f %% of those of listed resellers), want %.0f %% or more",
			100*r, all.lines, 100*ratio(all.listedMatched, all.listed), 100*minMatched)
	}
	// (c) No line has the wrong partner.
	if all.wrong > 0 {
		t.Errorf("(c) %d lines matched to the wrong partner (distributor|reseller_id|reseller_name|reseller_postcode), e.g.:\n  %s",
			all.wrong, strings.Join(wrong, "\n  "))
	}
}

// truthText is s, or NULL when s is.
func truthText(s sql.NullString) string {
	if !s.Valid {
		return "NULL"
	}
	return s.String
}

// truthLiteral is s as an SQL string literal.
func truthLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
