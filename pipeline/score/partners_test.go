package score

import (
	"database/sql"
	"slices"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
)

// channelPartner is a row of the channel database with what the potential estimates and
// the coverage tables group by; a nil potential is NULL, "" is NULL for the others.
type channelPartner struct {
	id, territory, trade, size string
	potential                  any
}

func insertChannel(t *testing.T, db *sql.DB, ps []channelPartner) {
	t.Helper()
	for _, p := range ps {
		exec(t, db, `INSERT INTO partners (partner_id, name, territory, trade, size_band, potential)
		             VALUES (?, ?, nullif(?, ''), nullif(?, ''), nullif(?, ''), ?)`,
			p.id, "Partner "+p.id, p.territory, p.trade, p.size, p.potential)
	}
}

// without is p as a channel partner without territory, trade or size band.
func without(ids ...string) []channelPartner {
	var ps []channelPartner
	for _, id := range ids {
		ps = append(ps, channelPartner{id: id})
	}
	return ps
}

const behaviourColumns = `partner_id, revenue_12m, revenue_prev_12m, orders_12m, active_months_12m,
	round(regularity_cv, 4), recency_days, round(growth, 4), loyalty, loyalty_prev`

// TestPartnerBehaviour checks the behaviour measures and the classes against
// hand-computed values, at as_of and at previous_as_of (loyalty_prev). Rows are
// partner_id|revenue_12m|revenue_prev_12m|orders_12m|active_months_12m|regularity_cv|
// recency_days|growth|loyalty|loyalty_prev, and each case checks previous_as_of.
//
// Thresholds of scoring(): loyal 9 months, new within 3, lost after 6, opportunistic at
// most 2 months with 60 % in the best one; the large-deal share of the potential takes
// its default 0.1. The lines of insertLines have no invoice number: an order is a
// distributor and a day. regularity_cv is over 12 months, sqrt(11) = 3.3166 for a single
// month: with S = the months' revenue and Q the sum of their squares,
// cv = sqrt(Q/12 - (S/12)^2) / (S/12).
func TestPartnerBehaviour(t *testing.T) {
	tests := []struct {
		name     string
		asOf     string
		previous string // previous_as_of
		partners []channelPartner
		lines    []line
		want     []string
	}{
		{
			name:     "calendar months: one purchase a month, on any day of it",
			asOf:     "2026-03-15",
			previous: "2025-03-15",
			partners: without("C", "D"),
			lines: []line{
				// C buys 100 once a month, on the 5th or the 25th: in 30-day slices
				// (16th to 15th) some slices would hold two purchases and some none.
				{partner: "C", date: "2025-03-20", qty: 1, amount: 100}, // window, no month
				{partner: "C", date: "2025-04-05", qty: 1, amount: 100},
				{partner: "C", date: "2025-05-25", qty: 1, amount: 100},
				{partner: "C", date: "2025-06-05", qty: 1, amount: 100},
				{partner: "C", date: "2025-07-25", qty: 1, amount: 100},
				{partner: "C", date: "2025-08-05", qty: 1, amount: 100},
				{partner: "C", date: "2025-09-25", qty: 1, amount: 100},
				{partner: "C", date: "2025-10-05", qty: 1, amount: 100},
				{partner: "C", date: "2025-11-25", qty: 1, amount: 100},
				{partner: "C", date: "2025-12-05", qty: 1, amount: 100},
				{partner: "C", date: "2026-01-25", qty: 1, amount: 100},
				{partner: "C", date: "2026-02-05", qty: 1, amount: 100},
				{partner: "C", date: "2026-03-05", qty: 1, amount: 100},
				{partner: "D", date: "2025-03-16", qty: 1, amount: 100}, // the window's first day
			},
			// Window 2025-03-15 < date <= 2026-03-15; months April 2025 to March 2026.
			// C: revenue 13 × 100 (2025-03-20 included), 13 orders, 12 active months of 100
			//   each: cv 0; last purchase 10 days before as_of; loyal. Nothing up to
			//   2025-03-15: previous window 0, growth NULL, none then.
			// D: 100 in revenue but in no month: 0 active months, cv NULL; last purchase
			//   2025-03-16 <= 2025-09-15 (6 months before): lost; 364 days ago.
			want: []string{
				"C|1300.00|0.00|13|12|0.0|10|NULL|loyal|none",
				"D|100.00|0.00|1|0|NULL|364|NULL|lost|none",
			},
		},
		{
			name:     "growth, regularity and the class a window ago",
			asOf:     "2026-03-31",
			previous: "2025-03-31",
			partners: without("G1", "G2", "G3", "R", "N"),
			lines: slices.Concat(
				monthly("G1", "2024-04-15", 12, 100), monthly("G1", "2025-04-15", 12, 150),
				monthly("G2", "2024-04-15", 12, 100), monthly("G2", "2025-04-15", 1, 100),
				monthly("G3", "2026-02-10", 2, 100),
				monthly("R", "2024-04-15", 6, 200), monthly("R", "2025-07-15", 6, 200),
			),
			// Previous window 2024-03-31 < date <= 2025-03-31, window to 2026-03-31.
			// G1: 1800 against 1200: growth 0.5; 12 even months, cv 0; loyal, loyal before.
			// G2: 100 against 1200: growth -1100/1200 = -0.9167; one month: cv 3.3166;
			//   last purchase 2025-04-15 <= 2025-09-30: lost; 350 days; loyal before.
			// G3: first purchase 2026-02-10 > 2025-12-31: new; two months of 100:
			//   S 200, Q 20000: sqrt(1666.67 - 277.78) / 16.667 = sqrt(5) = 2.2361.
			// R: six months of 200 in each window: growth 0; S 1200, Q 240000:
			//   sqrt(20000 - 10000) / 100 = 1.0; 6 months: occasional; last purchase
			//   2025-12-15, 106 days. At 2025-03-31 its last purchase, 2024-09-15, was
			//   <= 2024-09-30: lost then, bought again since.
			want: []string{
				"G1|1800.00|1200.00|12|12|0.0|16|0.5|loyal|loyal",
				"G2|100.00|1200.00|1|1|3.3166|350|-0.9167|lost|loyal",
				"G3|200.00|0.00|2|2|2.2361|21|NULL|new|none",
				"N|0.00|0.00|0|0|NULL|NULL|NULL|none|none",
				"R|1200.00|1200.00|6|6|1.0|106|0.0|occasional|lost",
			},
		},
		{
			name:     "returns larger than the sales of a month",
			asOf:     "2026-03-31",
			previous: "2025-03-31",
			partners: []channelPartner{{id: "X", potential: 1000}, {id: "Y", potential: 1000}},
			lines: []line{
				{partner: "X", date: "2025-12-10", qty: 5, amount: 500},
				{partner: "X", date: "2026-03-05", qty: 1, amount: 100},
				{partner: "X", date: "2026-03-20", qty: -4, amount: -400}, // March nets -300
				{partner: "Y", date: "2025-01-10", qty: 1, amount: 100},
				{partner: "Y", date: "2026-02-10", qty: -1, amount: -100}, // a return, nothing else
			},
			// X: revenue 500 + 100 - 400 = 200; March nets -300: 1 active month (December);
			//   2 orders (a credit note is none); last purchase 2026-03-05 (a return is no
			//   purchase), 26 days. S 200, Q 500² + 300² = 340000:
			//   sqrt(28333.33 - 277.78) / 16.667 = 10.0499 (beyond sqrt(11)). Best month 500
			//   >= 0.6 × 200, and 500 >= 0.1 × potential 1000: a large deal, opportunistic.
			// Y: revenue -100, no active month, cv NULL (the months' revenue is not > 0);
			//   growth (-100 - 100) / 100 = -2.0; last purchase 2025-01-10: lost, 445 days;
			//   at 2025-03-31 its first purchase was after 2024-12-31: new then.
			want: []string{
				"X|200.00|0.00|2|1|10.0499|26|NULL|opportunistic|none",
				"Y|-100.00|100.00|0|0|NULL|445|-2.0|lost|new",
			},
		},
		{
			name:     "a large deal: against the potential, or the median revenue",
			asOf:     "2026-03-31",
			previous: "2025-03-31",
			partners: []channelPartner{
				{id: "L1"}, {id: "L2"}, {id: "L3"},
				{id: "O1", potential: 10000}, {id: "O2", potential: 50000}, {id: "O3"}, {id: "Z", potential: 0},
			},
			lines: slices.Concat(
				monthly("L1", "2025-04-15", 12, 1000), monthly("L2", "2025-04-15", 12, 1000), monthly("L3", "2025-04-15", 12, 1000),
				monthly("O1", "2025-11-10", 1, 1500), monthly("O2", "2025-11-10", 1, 1500), monthly("O3", "2025-11-10", 1, 1500),
				[]line{
					{partner: "Z", date: "2025-11-10", qty: 1, amount: 100},
					{partner: "Z", date: "2025-11-20", qty: -1, amount: -100},
				},
			),
			// Median of the positive revenues {1500, 1500, 1500, 12000, 12000, 12000} = 6750.
			// O1: 1500 >= 0.1 × 10000: opportunistic. O2: 1500 < 0.1 × 50000 and < 6750:
			// occasional. O3: no potential, 1500 < 6750: occasional. Z: its only month nets 0:
			// no active month, so not opportunistic although 0 >= 0.1 × potential 0: occasional.
			want: []string{
				"L1|12000.00|0.00|12|12|0.0|16|NULL|loyal|none",
				"L2|12000.00|0.00|12|12|0.0|16|NULL|loyal|none",
				"L3|12000.00|0.00|12|12|0.0|16|NULL|loyal|none",
				"O1|1500.00|0.00|1|1|3.3166|141|NULL|opportunistic|none",
				"O2|1500.00|0.00|1|1|3.3166|141|NULL|occasional|none",
				"O3|1500.00|0.00|1|1|3.3166|141|NULL|occasional|none",
				"Z|0.00|0.00|1|0|NULL|141|NULL|occasional|none",
			},
		},
		{
			name:     "leap year: as_of on 29 February",
			asOf:     "2024-02-29",
			previous: "2023-02-28",
			partners: without("P"),
			lines: []line{
				{partner: "P", date: "2023-02-28", qty: 1, amount: 100}, // = previous_as_of: previous window
				{partner: "P", date: "2023-03-01", qty: 1, amount: 200},
				{partner: "P", date: "2024-02-29", qty: 1, amount: 300},
			},
			// 12 months before 2024-02-29 is 2023-02-28 (a month end: the last day of
			// February 2023). Window: March 2023 to February 2024: 500 in 2 months, growth
			// (500 - 100) / 100 = 4.0. S 500, Q 130000: sqrt(10833.33 - 1736.11) / 41.667 =
			// 2.2891. 2 months, best 300 >= 0.6 × 500, 500 >= the median of {500}:
			// opportunistic. At 2023-02-28 its first purchase was that day, after
			// 2022-11-30: new.
			want: []string{"P|500.00|100.00|2|2|2.2891|0|4.0|opportunistic|new"},
		},
		{
			name:     "leap year: the window before a 28 February ends on the 29th",
			asOf:     "2025-02-28",
			previous: "2024-02-29",
			partners: without("P"),
			lines: []line{
				{partner: "P", date: "2024-02-29", qty: 1, amount: 100},
				{partner: "P", date: "2024-03-01", qty: 1, amount: 200},
			},
			// 12 months before 2025-02-28, a month end, is 2024-02-29: that day's line is
			// in the previous window, 2024-03-01's in the window. Growth 1.0. Last purchase
			// 2024-03-01 <= 2024-08-31: lost, 364 days. At 2024-02-29: new.
			want: []string{"P|200.00|100.00|1|1|3.3166|364|1.0|lost|new"},
		},
		{
			name:     "as_of on 1 January",
			asOf:     "2026-01-01",
			previous: "2025-01-01",
			partners: without("J", "K", "Q", "W"),
			lines: slices.Concat(
				monthly("J", "2025-01-15", 12, 100),
				[]line{
					{partner: "K", date: "2026-01-01", qty: 1, amount: 100},
					{partner: "Q", date: "2025-01-01", qty: 1, amount: 100},
					{partner: "W", date: "2025-10-01", qty: 1, amount: 100},
				},
			),
			// Window 2025-01-01 < date <= 2026-01-01; months February 2025 to January 2026.
			// J: 12 × 100 in revenue, January 2025 in no month: 11 active months, loyal;
			//   S 1100, Q 110000: sqrt(9166.67 - 8402.78) / 91.667 = 1/sqrt(11) = 0.3015.
			// K: first purchase on as_of: new. Q: 2025-01-01 is the previous window's last
			//   day: lost (<= 2025-07-01), growth -1.0, new at 2025-01-01.
			// W: first purchase 2025-10-01, exactly 3 months before: not new; one month,
			//   100 >= the median of {100, 100, 1200}: opportunistic.
			want: []string{
				"J|1200.00|0.00|12|11|0.3015|17|NULL|loyal|none",
				"K|100.00|0.00|1|1|3.3166|0|NULL|new|none",
				"Q|0.00|100.00|0|0|NULL|365|-1.0|lost|new",
				"W|100.00|0.00|1|1|3.3166|92|NULL|opportunistic|none",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t)
			insertChannel(t, db, tt.partners)
			insertLines(t, db, tt.lines)
			run(t, db, tt.asOf, scoring())
			expect(t, joined(rows(t, db, `SELECT `+behaviourColumns+` FROM partner_scores ORDER BY partner_id`)), tt.want)
			expect(t, joined(rows(t, db, `SELECT DISTINCT window_months, previous_as_of FROM partner_scores`)), []string{"12|" + tt.previous})
		})
	}
}

// TestScoreGrowthRegularityRank weighs only growth and regularity, on the partners of
// "growth, regularity and the class a window ago": score = 100 × (G + Q) / 2 with
// G = (least(greatest(growth, -1), 1) + 1) / 2 (1 for a partner buying again without a
// previous window) and Q = greatest(0, 1 - cv / sqrt(11)).
func TestScoreGrowthRegularityRank(t *testing.T) {
	db := newDB(t)
	insertChannel(t, db, without("G1", "G2", "G3", "R", "N"))
	insertLines(t, db, slices.Concat(
		monthly("G1", "2024-04-15", 12, 100), monthly("G1", "2025-04-15", 12, 150),
		monthly("G2", "2024-04-15", 12, 100), monthly("G2", "2025-04-15", 1, 100),
		monthly("G3", "2026-02-10", 2, 100),
		monthly("R", "2024-04-15", 6, 200), monthly("R", "2025-07-15", 6, 200),
	))
	s := scoring()
	s.Weights = config.Weights{Growth: 1, Regularity: 1}
	run(t, db, "2026-03-31", s)
	// G1: G (0.5 + 1) / 2 = 0.75, Q 1:                          100 × 1.75 / 2     = 87.5
	// G3: G 1, Q 1 - 2.2361 / 3.3166 = 0.3258:                   100 × 1.3258 / 2   = 66.3
	// R:  G 0.5, Q 1 - 1 / 3.3166 = 0.6985:                      100 × 1.1985 / 2   = 59.9
	// G2: G (1 - 0.9167) / 2 = 0.0417, Q 0 (cv = sqrt(11)):      100 × 0.0417 / 2   =  2.1
	// N:  nothing: 0.
	expect(t, joined(rows(t, db, `SELECT rank, partner_id, score FROM partner_scores ORDER BY rank`)), []string{
		"1|G1|87.5", "2|G3|66.3", "3|R|59.9", "4|G2|2.1", "5|N|0.0",
	})
}

// TestPotentialEstimates: a partner without a potential gets the median of the positive
// potentials of its trade and size band, else of its trade, flagged; without either, none
// and a NULL share of wallet, never 0. High potential and plans use the estimates.
func TestPotentialEstimates(t *testing.T) {
	db := newDB(t)
	insertChannel(t, db, []channelPartner{
		{id: "A", trade: "DIY", size: "1-9", potential: 1000},
		{id: "B", trade: "DIY", size: "1-9", potential: 3000},
		{id: "C", trade: "DIY", size: "10-49", potential: 10000},
		{id: "D", trade: "DIY", size: "1-9"},     // median of A and B (G's 0 is no potential)
		{id: "E", trade: "DIY", size: "50-249"},  // no peer of its size: median of DIY
		{id: "F", trade: "Plumber", size: "1-9"}, // no peer at all
		{id: "G", trade: "DIY", size: "1-9", potential: 0},
		{id: "H"},
	})
	insertLines(t, db, []line{
		{partner: "D", date: "2026-01-10", qty: 6, amount: 600},
		{partner: "F", date: "2026-01-10", qty: 8, amount: 800},
		{partner: "G", date: "2026-01-10", qty: 3, amount: 300},
	})
	s := scoring()
	s.RetentionTopN = 1
	run(t, db, "2026-03-31", s)
	// D: median(1000, 3000) = 2000, estimated; share 600 / 2000 = 0.3.
	// E: median(1000, 3000, 10000) = 3000, estimated: share 0. F, H: none; F's share NULL.
	// G: 0 as given, share NULL (no positive potential).
	// High: quantile_cont(0.5) of {0, 1000, 2000, 3000, 3000, 10000} = 2500: B, C, E.
	// Plans (retention_top_n 1: F, 800, is first): D retention by share 0.3 >= 0.3; B, C, E
	// never bought, high: prospecting; the others support.
	expect(t, joined(rows(t, db, `SELECT partner_id, potential, potential_estimated, round(share_of_wallet, 4), high_potential, loyalty, plan
		FROM partner_scores ORDER BY partner_id`)), []string{
		"A|1000.00|false|0.0|false|none|support",
		"B|3000.00|false|0.0|true|none|prospecting",
		"C|10000.00|false|0.0|true|none|prospecting",
		"D|2000.00|true|0.3|false|new|retention",
		"E|3000.00|true|0.0|true|none|prospecting",
		"F|NULL|false|NULL|false|new|retention",
		"G|0.00|false|NULL|false|new|support",
		"H|NULL|false|NULL|false|none|support",
	})

	// The same partners in territories: coverage per territory and per trade.
	exec(t, db, `UPDATE partners SET territory = CASE WHEN partner_id IN ('A', 'B', 'D') THEN 'T1'
	                                                   WHEN partner_id IN ('C', 'E', 'F') THEN 'T2' END`)
	run(t, db, "2026-03-31", s)
	// Columns: partners, active, coverage_pct, revenue, potential (channel database),
	// estimated_potential, share (revenue / potential), white_space_potential (channel
	// database potentials of the partners that bought nothing), white_spaces (high
	// potential, bought nothing), prospecting.
	const coverage = `partners, active_partners, coverage_pct, revenue_12m, potential, estimated_potential,
		share_of_wallet, white_space_potential, white_spaces, prospecting_partners`
	// T1 (A, B, D): D bought 600; potential 1000 + 3000, D's 2000 estimated; 600 / 4000.
	// T2 (C, E, F): F bought 800; 10000, E's 3000 estimated; white spaces C and E.
	// (none) (G, H): G bought 300; potential 0: no share.
	expect(t, joined(rows(t, db, `SELECT territory, `+coverage+` FROM territory_coverage ORDER BY territory`)), []string{
		"(none)|2|1|50.0|300.00|0.00|0.00|NULL|0.00|0|0",
		"T1|3|1|33.3|600.00|4000.00|2000.00|0.15|4000.00|1|1",
		"T2|3|1|33.3|800.00|10000.00|3000.00|0.08|10000.00|2|2",
	})
	// DIY (A, B, C, D, E, G): D and G bought 900; 14000 given, 5000 estimated;
	// 900 / 14000 = 0.0643; A, B, C, E bought nothing: 14000; white spaces B, C, E.
	expect(t, joined(rows(t, db, `SELECT trade, `+coverage+` FROM trade_coverage ORDER BY trade`)), []string{
		"(none)|1|0|0.0|0.00|NULL|0.00|NULL|0.00|0|0",
		"DIY|6|2|33.3|900.00|14000.00|5000.00|0.0643|14000.00|3|3",
		"Plumber|1|1|100.0|800.00|NULL|0.00|NULL|0.00|0|0",
	})
}

// TestProgrammeKPIs checks programme_kpis and the previous window's plan on a hand-built
// year, at 2026-03-31 against 2025-03-31, with retention_top_n 2 and development_top_n 1.
func TestProgrammeKPIs(t *testing.T) {
	db := newDB(t)
	insertChannel(t, db, []channelPartner{
		{id: "T1", potential: 100}, {id: "T2", potential: 200}, {id: "T3", potential: 300},
		{id: "O1", potential: 100000}, {id: "O2", potential: 100000}, {id: "N1", potential: 400},
	})
	insertLines(t, db, slices.Concat(
		[]line{
			// The previous window: three single deals...
			{partner: "T1", date: "2024-12-10", qty: 1, amount: 3000},
			{partner: "T2", date: "2024-12-10", qty: 1, amount: 2000},
			{partner: "T3", date: "2024-12-10", qty: 1, amount: 1000},
			// ...and the window: T1 and T3 buy again, T2 does not, N1 is new.
			{partner: "T1", date: "2026-03-10", qty: 1, amount: 100},
			{partner: "T3", date: "2026-03-10", qty: 1, amount: 50},
			{partner: "N1", date: "2026-02-10", qty: 1, amount: 100},
		},
		monthly("O1", "2024-10-15", 5, 100), monthly("O1", "2025-04-15", 12, 100),
		monthly("O2", "2024-10-15", 5, 80), monthly("O2", "2025-10-15", 4, 100),
	))
	s := scoring()
	s.RetentionTopN, s.DevelopmentTopN = 2, 1
	run(t, db, "2026-03-31", s)
	// At 2025-03-31: T1, T2, T3 one deal each: opportunistic; O1, O2 5 months:
	// occasional; N1 none. High potential: quantile_cont(0.5) of {100, 200, 300, 400,
	// 100000, 100000} = 350: N1, O1, O2. Plans then: T1, T2 top 2 by revenue, T3 share
	// 1000 / 300 >= 0.3: retention; O1, O2 occasional, high, share 0.005 / 0.004:
	// development; N1 none, high: prospecting.
	expect(t, joined(rows(t, db, `SELECT partner_id, revenue_prev_12m, loyalty_prev, plan_prev, revenue_12m, loyalty
		FROM partner_scores ORDER BY partner_id`)), []string{
		"N1|0.00|none|prospecting|100.00|new",
		"O1|500.00|occasional|development|1200.00|loyal",
		"O2|400.00|occasional|development|400.00|occasional",
		"T1|3000.00|opportunistic|retention|100.00|opportunistic",
		"T2|2000.00|opportunistic|retention|0.00|lost",
		"T3|1000.00|opportunistic|retention|50.00|opportunistic",
	})
	// top_retained: T1 and T2 were the top 2; T1 still buys: 1 of 2.
	// occasional_to_loyal: O1 and O2 were occasional; O1 is loyal: 1 of 2.
	// base_renewed: T1, T3, O1, O2, N1 buy; N1 did not before: 1 of 5.
	// development_top_volume: the largest development partner then, O1: 500 -> 1200, +140 %.
	expect(t, joined(rows(t, db, `SELECT previous_as_of, kpi, plan, partners, base, value, pct FROM programme_kpis ORDER BY kpi`)), []string{
		"2025-03-31|base_renewed|prospecting|5|5.00|1.00|20.0",
		"2025-03-31|development_top_volume|development|1|500.00|1200.00|140.0",
		"2025-03-31|occasional_to_loyal|prospecting|2|2.00|1.00|50.0",
		"2025-03-31|top_retained|retention|2|2.00|1.00|50.0",
	})
}

// TestPartnerMovements: the view compares the latest as_of with the one before it; the
// macro compares any two; with one snapshot the view is empty.
func TestPartnerMovements(t *testing.T) {
	db := newDB(t)
	insertChannel(t, db, without("U", "V", "Z"))
	insertLines(t, db, slices.Concat(
		monthly("U", "2025-06-15", 8, 100), // June 2025 to January 2026
		[]line{
			{partner: "U", date: "2026-03-15", qty: 1, amount: 100},
			{partner: "V", date: "2026-03-10", qty: 1, amount: 100},
		},
	))
	const movement = `SELECT from_as_of, to_as_of, partner_id, from_loyalty, to_loyalty, from_plan, to_plan,
		from_revenue_12m, to_revenue_12m, revenue_change, loyalty_changed, plan_changed FROM `
	run(t, db, "2026-02-28", scoring())
	expect(t, joined(rows(t, db, movement+`partner_movements`)), nil)

	// At 2026-02-28, U has 8 months (occasional), at 2026-03-31 9 (loyal); V buys first in
	// March (new). Without potentials, every buyer is among the top 50: retention.
	run(t, db, "2026-03-31", scoring())
	run(t, db, "2025-12-31", scoring()) // an earlier date does not change the latest two
	expect(t, joined(rows(t, db, movement+`partner_movements ORDER BY partner_id`)), []string{
		"2026-02-28|2026-03-31|U|occasional|loyal|retention|retention|800.00|900.00|100.00|true|false",
		"2026-02-28|2026-03-31|V|none|new|support|retention|0.00|100.00|100.00|true|true",
		"2026-02-28|2026-03-31|Z|none|none|support|support|0.00|0.00|0.00|false|false",
	})
	// At 2025-12-31 U had 7 months (June to December).
	expect(t, joined(rows(t, db, movement+`partner_movements_between(DATE '2025-12-31', DATE '2026-03-31') WHERE partner_id = 'U'`)), []string{
		"2025-12-31|2026-03-31|U|occasional|loyal|retention|retention|700.00|900.00|200.00|true|false",
	})
	// A date without a snapshot: NULL on its side.
	expect(t, joined(rows(t, db, movement+`partner_movements_between(DATE '2026-01-15', DATE '2026-03-31') WHERE partner_id = 'Z'`)), []string{
		"2026-01-15|2026-03-31|Z|NULL|none|NULL|support|NULL|0.00|0.00|true|true",
	})
}

// TestRunKeepsSnapshots: each as_of keeps its own partner_scores, coverage and KPI rows;
// a re-run replaces those of its as_of only.
func TestRunKeepsSnapshots(t *testing.T) {
	db := newDB(t)
	insertChannel(t, db, []channelPartner{{id: "A", territory: "T1", trade: "DIY", potential: 1000}, {id: "B", territory: "T1", trade: "DIY"}})
	insertLines(t, db, monthly("A", "2025-01-15", 15, 100))
	for _, asOf := range []string{"2026-02-28", "2026-03-31", "2026-03-31"} {
		run(t, db, asOf, scoring())
	}
	counts := `SELECT as_of, count(*),
		(SELECT count(*) FROM territory_coverage c WHERE c.as_of = s.as_of),
		(SELECT count(*) FROM trade_coverage c WHERE c.as_of = s.as_of),
		(SELECT count(*) FROM programme_kpis k WHERE k.as_of = s.as_of)
		FROM partner_scores s GROUP BY as_of ORDER BY as_of`
	expect(t, joined(rows(t, db, counts)), []string{"2026-02-28|2|1|1|4", "2026-03-31|2|1|1|4"})
	expect(t, joined(rows(t, db, `SELECT count(*) FROM partner_movements`)), []string{"2"})
}
