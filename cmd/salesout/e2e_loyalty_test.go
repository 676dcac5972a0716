package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline/demo"
)

// minLoyaltyAccuracy is the precision and recall each loyalty class must reach on the demo.
const minLoyaltyAccuracy = 0.9

// TestDemoLoyaltyMatchesBehaviours measures the partner model on the demo against the
// behaviour the generator gave each partner (demo.Behaviours, drawn again from the demo's
// options): for each loyalty class, the precision (of the partners partner_scores puts in
// the class, the share the generator made so) and the recall (of the partners the
// generator made so, the share partner_scores puts in the class) must both reach 0.9.
// The classes are found after matching: a partner whose lines are not recognised cannot
// be classified right, which counts against the model here as it would for a user.
func TestDemoLoyaltyMatchesBehaviours(t *testing.T) {
	if testing.Short() {
		t.Skip("demo: about 30 s")
	}
	dir := t.TempDir()
	r := mustRun(t, dir, "demo", "--dir", "d")
	m := regexp.MustCompile(`as of (\d{4}-\d{2}-\d{2})`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no as_of in the demo summary:\n%s", r.stdout)
	}
	asOf, err := time.Parse(time.DateOnly, m[1])
	if err != nil {
		t.Fatal(err)
	}
	truth, err := demo.Behaviours(demo.Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	db := openPublished(t, filepath.Join(dir, "d"))
	found := map[string]string{}
	for _, row := range rows(t, db, `SELECT partner_id, loyalty FROM partner_scores WHERE as_of = ?::DATE`, m[1]) {
		id, loyalty, _ := strings.Cut(row, "|")
		found[id] = loyalty
	}
	if len(found) != len(truth) {
		t.Errorf("%d partners scored at %s, the demo has %d", len(found), m[1], len(truth))
	}

	// Per class: partners rightly put in it, put in it wrongly, and missed.
	right, wrong, missed := map[string]int{}, map[string]int{}, map[string]int{}
	for _, b := range truth {
		got, ok := found[b.PartnerID]
		switch {
		case !ok:
			missed[b.Loyalty]++
		case got == b.Loyalty:
			right[got]++
		default:
			wrong[got]++
			missed[b.Loyalty]++
			t.Logf("%s: generated %s (silent %v), scored %s", b.PartnerID, b.Loyalty, b.Silent, got)
		}
	}
	// The snapshot has the model's other outputs: the four programme KPIs, coverage per
	// trade, and the movements view, empty while there is a single as_of.
	expectRows(t, db, `SELECT count(*), count(DISTINCT kpi) FROM programme_kpis`, "4|4")
	expectRows(t, db, `SELECT count(*) FROM trade_coverage WHERE active_partners > 0`, "5")
	expectRows(t, db, `SELECT count(*) FROM partner_movements`, "0")

	for _, class := range []string{"loyal", "occasional", "opportunistic", "new", "lost", "none"} {
		if right[class]+missed[class] == 0 {
			t.Errorf("the demo has no %s partner", class)
			continue
		}
		precision := float64(right[class]) / float64(max(right[class]+wrong[class], 1))
		recall := float64(right[class]) / float64(right[class]+missed[class])
		t.Logf("%-13s generated %3d, scored %3d: precision %.3f, recall %.3f",
			class, right[class]+missed[class], right[class]+wrong[class], precision, recall)
		if precision < minLoyaltyAccuracy || recall < minLoyaltyAccuracy {
			t.Errorf("%s: precision %.3f, recall %.3f, want both >= %.1f", class, precision, recall, minLoyaltyAccuracy)
		}
	}
}
