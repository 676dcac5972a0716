package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline/canon"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/formats"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// french is the typing of a CSV feed in the French dialect.
var french = formats.Typing{DateFormat: "%d/%m/%Y", Decimal: ",", Strip: " \u00a0\u202f"}

// line builds a canonical line from field=value pairs.
func line(no int64, raw string, kv ...string) canon.Line {
	l := canon.Line{LineNo: no, Raw: raw, Fields: make([]*string, len(canon.Fields))}
	for i := 0; i < len(kv); i += 2 {
		v := kv[i+1]
		l.Fields[canon.Index(kv[i])] = &v
	}
	return l
}

// testWindow is the plausible window of invoice dates of stageLines: the default one
// (config.DefaultDateWindow) of a run on 2026-01-05.
var testWindow = newDateWindow(config.DefaultDateWindow.Bounds(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)))

// stageLines types lines through a Stager into a fresh warehouse (batches of batch lines)
// and returns the warehouse's lines and quarantine as text rows.
func stageLines(t *testing.T, typing formats.Typing, batch int, lines []canon.Line) (good, bad []string) {
	t.Helper()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO fx_rates VALUES ('2026-01-01', 'USD', 0.9), ('2026-02-01', 'USD', 0.8)`); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := registerStagedLines(conn); err != nil {
		t.Fatal(err)
	}
	err = conn.Raw(func(dc any) error {
		tx := rawTx{ctx: ctx, dc: dc.(driver.Conn)}
		for _, q := range stageDDL {
			if _, err := tx.exec(q); err != nil {
				return err
			}
		}
		s, err := newStager(tx, lineTarget{fileID: 1, runID: 1, distributor: "D"}, batch, typing, "EUR", nil, false, func() error { return nil })
		if err != nil {
			return err
		}
		s.dates = testWindow
		defer s.close()
		for _, l := range lines {
			if err := s.AppendIn(l, ""); err != nil {
				return err
			}
		}
		return s.Flush()
	})
	conn.Close()
	if err != nil {
		t.Fatal(err)
	}
	if other := rows(t, db, `SELECT line_no, changed_run FROM lines WHERE changed_run IS DISTINCT FROM 1`); len(other) > 0 {
		t.Errorf("lines without the loading run as changed_run: %v", other)
	}
	good = rows(t, db, `SELECT line_no, invoice_date::VARCHAR, quantity::VARCHAR, unit_price::VARCHAR, amount::VARCHAR, currency, amount_base::VARCHAR, reseller_country FROM lines ORDER BY line_no`)
	bad = rows(t, db, `SELECT line_no, field, reason, raw FROM quarantine ORDER BY line_no`)
	return good, bad
}

func rows(t *testing.T, db *warehouse.DB, q string) []string {
	t.Helper()
	r, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cols, _ := r.Columns()
	var out []string
	for r.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		s := make([]string, len(vals))
		for i, v := range vals {
			s[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(s, "|"))
	}
	return out
}

// Every rule, in its order, with the reason naming the field and the value; the good
// lines typed, their amounts derived and converted.
func TestTypingRules(t *testing.T) {
	base := []string{"invoice_date", "05/01/2026", "reseller_name", "R", "sku", "S", "quantity", "2", "amount", "10,50"}
	with := func(kv ...string) []string {
		out := append([]string(nil), base...)
		for i := 0; i < len(kv); i += 2 {
			found := false
			for j := 0; j < len(out); j += 2 {
				if out[j] == kv[i] {
					out[j+1], found = kv[i+1], true
				}
			}
			if !found {
				out = append(out, kv[i], kv[i+1])
			}
		}
		return out
	}
	long := strings.Repeat("é", 70)
	lines := []canon.Line{
		line(2, "ok", base...),
		{LineNo: 3, Raw: "a;\"b", Err: "unterminated quote starting on line 3", Fields: make([]*string, len(canon.Fields))},
		line(4, "no date", with("invoice_date", "  ")...),
		line(5, "bad date", with("invoice_date", "32/01/2026")...),
		line(6, "digits", with("invoice_date", "2026091")...),
		line(7, "nobody", with("reseller_name", "")...),
		line(8, "no product", with("sku", "")...),
		line(9, "no quantity", with("quantity", "")...),
		line(10, "bad quantity", with("quantity", "douze")...),
		line(11, "bad price", with("unit_price", "abc")...),
		line(12, "bad amount", with("amount", long)...),
		line(13, "no amount", with("amount", "")...),
		line(14, "currency", with("currency", "euro")...),
		line(15, "TOTAL;;;", with("invoice_date", "TOTAL")...),
		line(16, "Sous-total", with("quantity", "")...),
		line(17, "totalement", with("quantity", "")...),
		// good lines: unit price from the amount, amount from the unit price, a trailing
		// minus, thousands separators, a foreign currency at the latest rate before the
		// invoice date, a lower-case country and currency, more decimals rounded
		line(18, "ok", with("amount", "", "unit_price", "1 234,5")...),
		line(19, "ok", with("quantity", "3-", "amount", "7,5")...),
		line(20, "ok", with("invoice_date", "15/02/2026", "currency", "usd", "amount", "100")...),
		line(21, "ok", with("reseller_country", "fr", "amount", "1\u00a0000,123456", "quantity", "1,00049")...),
		line(22, "ok", with("invoice_date", "31/12/2025", "currency", "USD")...),
		line(23, "ok", with("quantity", "1e3", "amount", "1_000")...),
		// the plausible window, 2000-01-01..2027-01-05 (as_of 2026-01-05 + 365 days):
		// its bounds are in it
		line(24, "year 9999", with("invoice_date", "31/12/9999")...),
		line(25, "year 1", with("invoice_date", "01/01/0001")...),
		line(26, "ok", with("invoice_date", "01/01/2000")...),
		line(27, "day before", with("invoice_date", "31/12/1999")...),
		line(28, "ok", with("invoice_date", "05/01/2027")...),
		line(29, "day after", with("invoice_date", "06/01/2027")...),
		line(30, "Total 9999", with("invoice_date", "31/12/9999")...),
	}
	for _, batch := range []int{1, 4, 1000} {
		good, bad := stageLines(t, french, batch, lines)
		wantBad := []string{
			`3|line|unterminated quote starting on line 3|a;"b`,
			`4|invoice_date|invoice_date is empty (required)|no date`,
			`5|invoice_date|invoice_date "32/01/2026" does not match the date format %d/%m/%Y|bad date`,
			`6|invoice_date|invoice_date "2026091" does not match the date format %d/%m/%Y|digits`,
			`7|reseller_id|reseller_id and reseller_name are both empty (one is required)|nobody`,
			`8|sku|sku, distributor_sku and gtin are all empty (one is required)|no product`,
			`9|quantity|quantity is empty (required)|no quantity`,
			`10|quantity|quantity "douze" is not a number|bad quantity`,
			`11|unit_price|unit_price "abc" is not a number|bad price`,
			`12|amount|amount "` + strings.Repeat("é", 60) + `..." is not a number|bad amount`,
			`13|amount|amount and unit_price are both empty: the amount cannot be computed|no amount`,
			`14|currency|currency "EURO" is not an ISO 4217 code|currency`,
			`15|invoice_date|totals row (not a sale): invoice_date "TOTAL" does not match the date format %d/%m/%Y|TOTAL;;;`,
			`16|quantity|totals row (not a sale): quantity is empty (required)|Sous-total`,
			`17|quantity|quantity is empty (required)|totalement`,
			`24|invoice_date|invoice_date "31/12/9999" is outside the plausible window 2000-01-01..2027-01-05 (load.dates)|year 9999`,
			`25|invoice_date|invoice_date "01/01/0001" is outside the plausible window 2000-01-01..2027-01-05 (load.dates)|year 1`,
			`27|invoice_date|invoice_date "31/12/1999" is outside the plausible window 2000-01-01..2027-01-05 (load.dates)|day before`,
			`29|invoice_date|invoice_date "06/01/2027" is outside the plausible window 2000-01-01..2027-01-05 (load.dates)|day after`,
			`30|invoice_date|totals row (not a sale): invoice_date "31/12/9999" is outside the plausible window 2000-01-01..2027-01-05 (load.dates)|Total 9999`,
		}
		wantGood := []string{
			"2|2026-01-05|2.000|5.2500|10.5000|EUR|10.5000|<nil>",
			"18|2026-01-05|2.000|1234.5000|2469.0000|EUR|2469.0000|<nil>",
			"19|2026-01-05|-3.000|-2.5000|7.5000|EUR|7.5000|<nil>",
			"20|2026-02-15|2.000|50.0000|100.0000|USD|80.0000|<nil>",
			"21|2026-01-05|1.001|999.6237|1000.1235|EUR|1000.1235|FR",
			"22|2025-12-31|2.000|5.2500|10.5000|USD|<nil>|<nil>",
			"23|2026-01-05|1000.000|1.0000|1000.0000|EUR|1000.0000|<nil>",
			"26|2000-01-01|2.000|5.2500|10.5000|EUR|10.5000|<nil>",
			"28|2027-01-05|2.000|5.2500|10.5000|EUR|10.5000|<nil>",
		}
		if strings.Join(bad, "\n") != strings.Join(wantBad, "\n") {
			t.Errorf("batch %d: quarantine:\n%s\nwant:\n%s", batch, strings.Join(bad, "\n"), strings.Join(wantBad, "\n"))
		}
		if strings.Join(good, "\n") != strings.Join(wantGood, "\n") {
			t.Errorf("batch %d: lines:\n%s\nwant:\n%s", batch, strings.Join(good, "\n"), strings.Join(wantGood, "\n"))
		}
	}
}

// numberTypings are the typings the number tests try.
var numberTypings = []formats.Typing{
	french,
	{DateFormat: "%Y-%m-%d", Decimal: "."},
	{DateFormat: "%Y-%m-%d", Decimal: ".", Strip: ","},
	{DateFormat: "%Y-%m-%d", Decimal: ",", Strip: "."},
	{DateFormat: "%Y-%m-%d", Decimal: ".", Strip: "'"},
}

// checkNumbers compares numberReader with sql/ingest/type_values.sql on texts, for each
// typing: where the reader answers, type_values.sql must give the same number.
func checkNumbers(t *testing.T, db *warehouse.DB, texts []string) {
	t.Helper()
	for _, typing := range numberTypings {
		typed := typeBySQL(t, db, typing, texts)
		r := newNumberReader(typing)
		for _, text := range texts {
			got, ok := r.read(text)
			want := typed[text]
			if ok && (!want.numOK || want.num != got) {
				t.Errorf("typing %+v: %q read as %d, type_values.sql says %d (%v)", typing, text, got, want.num, want.numOK)
			}
		}
	}
}

// typeBySQL types texts with sql/ingest/type_values.sql, as a stager of typing does.
func typeBySQL(t *testing.T, db *warehouse.DB, typing formats.Typing, texts []string) map[string]value {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := registerStagedLines(conn); err != nil {
		t.Fatal(err)
	}
	var typed map[string]value
	err = conn.Raw(func(dc any) error {
		tx := rawTx{ctx: ctx, dc: dc.(driver.Conn)}
		for _, q := range stageDDL {
			if _, err := tx.exec(q); err != nil {
				return err
			}
		}
		s, err := newStager(tx, lineTarget{fileID: 1, runID: 1, distributor: "D"}, 10, typing, "EUR", nil, false, func() error { return nil })
		if err != nil {
			return err
		}
		defer s.close()
		typed, err = s.typeTexts(texts)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return typed
}

// The date reader agrees with type_values.sql wherever it answers, and answers for the
// usual shapes of each format.
func TestDateReaderAgreesWithSQL(t *testing.T) {
	db, err := warehouse.Open(context.Background(), config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	texts := []string{"", "x", "1/2/2026", "01/2/2026", "1/02/2026", "00/01/2026", "32/01/2026", "31/04/2026", "29/02/2024",
		"29/02/2025", "29/02/2100", "29/02/2000", "01/13/2026", "12/31/2026", "31/12/2026", "01/01/0001", "01/01/0000",
		"31/12/9999", "2026-01-31", "2026-1-31", "2026-02-30", "20260131", "2026131", "01.02.2026", "01-02-2026",
		" 01/02/2026", "01/02/2026 ", "01/02/26", "+1/02/2026", "٠١/٠٢/٢٠٢٦", "2026/01/31", "01/02/20266"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		y, m, d := 1990+r.IntN(60), 1+r.IntN(12), 1+r.IntN(31)
		texts = append(texts, fmt.Sprintf("%02d/%02d/%04d", d, m, y), fmt.Sprintf("%04d-%02d-%02d", y, m, d),
			fmt.Sprintf("%02d/%02d/%04d", m, d, y), fmt.Sprintf("%04d%02d%02d", y, m, d), fmt.Sprintf("%02d.%02d.%04d", d, m, y))
	}
	for _, tc := range []struct {
		typing formats.Typing
		usual  string
	}{
		{formats.Typing{DateFormat: "%d/%m/%Y"}, "31/01/2026"},
		{formats.Typing{DateFormat: "%m/%d/%Y"}, "01/31/2026"},
		{formats.Typing{DateFormat: "%Y-%m-%d"}, "2026-01-31"},
		{formats.Typing{DateFormat: "%Y%m%d"}, "20260131"},
		{formats.Typing{DateFormat: "%d.%m.%Y"}, "31.01.2026"},
		{formats.Typing{DateFormat: "%d/%m/%y"}, ""},                            // two-digit years: left to DuckDB
		{formats.Typing{DateFormat: "%d/%m/%Y", DateFormatAlt: "%Y-%m-%d"}, ""}, // two formats: left to DuckDB
	} {
		typed := typeBySQL(t, db, tc.typing, texts)
		dr := newDateReader(tc.typing)
		for _, text := range texts {
			got, ok := dr.read(text)
			if want := typed[text]; ok && (!want.dayOK || want.day != got) {
				t.Errorf("format %q: %q read as day %d, type_values.sql says %d (%v)", tc.typing.DateFormat, text, got, want.day, want.dayOK)
			}
		}
		if _, ok := dr.read(tc.usual); tc.usual != "" && !ok {
			t.Errorf("format %q: %q left to DuckDB", tc.typing.DateFormat, tc.usual)
		}
	}
}

// numberSeeds are texts near the edges of what numberReader reads.
var numberSeeds = []string{
	"0", "7", "-0", "12", "007", "1,5", "1.5", "1 234,56", "1\u00a0234,56", "1\u202f234.5", "1,234.56", "1.234,56",
	"3-", "-3", "-3-", "3--", "--3", "-", "1e3", "1_000", "+5", ".5", "5.", "5,", ",5", "1.23456", "1,2345",
	"12345678901234", "123456789012345", "12345678901234,9999", "99999999999999.99995", "1'000.25", "١٢",
	"12 -", "1 2 3", "1..2", "1,,2", "0,0001", "0.00005", "x7", "7x", "12.50 EUR",
}

func TestNumberReaderAgreesWithSQL(t *testing.T) {
	db, err := warehouse.Open(context.Background(), config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkNumbers(t, db, numberSeeds)
	// and the reader answers for the usual numbers
	r := newNumberReader(french)
	for _, text := range []string{"1 234,56", "1\u00a0234,56", "3-", "-0,5", "12"} {
		if _, ok := r.read(text); !ok {
			t.Errorf("%q left to DuckDB", text)
		}
	}
}

// FuzzNumberReader: numberReader never reads a text otherwise than
// sql/ingest/type_values.sql.
func FuzzNumberReader(f *testing.F) {
	for _, s := range numberSeeds {
		f.Add(s)
	}
	db, err := warehouse.Open(context.Background(), config.Warehouse{Path: ":memory:"})
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	f.Fuzz(func(t *testing.T, text string) {
		text = strings.TrimSpace(strings.ToValidUTF8(text, ""))
		if text == "" {
			return
		}
		checkNumbers(t, db, []string{text})
	})
}

// The window of a load: load.dates against the run's as_of date, else today in the
// config's timezone.
func TestDateWindow(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC on 2026-11-14 is already the 15th in Paris.
	now := func() time.Time { return time.Date(2026, 11, 14, 23, 30, 0, 0, time.UTC) }
	custom := config.DateWindow{From: "2020-03-01", UntilAfterAsOf: config.Duration{Duration: 30 * 24 * time.Hour},
		FromDate: time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		name string
		in   Ingest
		want string
	}{
		{"default, today in UTC", Ingest{Now: now}, "2000-01-01..2027-11-14"},
		{"default, today in Paris", Ingest{Now: now, Location: paris}, "2000-01-01..2027-11-15"},
		{"as_of", Ingest{Now: now, Location: paris, AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}, "2000-01-01..2026-06-30"},
		{"configured", Ingest{Now: now, Dates: custom, AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}, "2020-03-01..2025-07-30"},
	} {
		if got := tc.in.dateWindow().String(); got != tc.want {
			t.Errorf("%s: window %s, want %s", tc.name, got, tc.want)
		}
	}
}

// The derived values agree with DuckDB's DECIMAL arithmetic (the rule insert_lines.sql
// used to apply): quantity x unit_price rounded to 4 decimals, the quantity cast to 3;
// amount / quantity, which DuckDB computes in floating point, agrees with an exact
// big-number division. Values beyond DECIMAL(18,4) are refused, not wrapped.
func TestDerivedValues(t *testing.T) {
	db, err := warehouse.Open(context.Background(), config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := rand.New(rand.NewPCG(1, 2))
	pick := func() int64 {
		switch r.IntN(4) {
		case 0:
			return r.Int64N(100_000) - 50_000 // small, either sign
		case 1:
			return r.Int64N(1_000_000_000) // up to 100,000.0000
		case 2:
			return -r.Int64N(10_000_000_000_000) // large negative
		default:
			return r.Int64N(1_000_000_000_000_000_000) // up to the limit
		}
	}
	dec := func(v int64, scale int) string {
		return new(big.Rat).SetFrac(big.NewInt(v), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)).FloatString(scale)
	}
	for range 2000 {
		q, p := pick(), pick()
		got, ok := mulDecimal4(q, p)
		var want sql.NullString
		err := db.QueryRow(`SELECT CASE WHEN abs(x) < 100000000000000 THEN x::DECIMAL(18,4)::VARCHAR END
			FROM (SELECT round(?::DECIMAL(38,4) * ?::DECIMAL(38,4), 4) AS x)`, dec(q, 4), dec(p, 4)).Scan(&want)
		if err != nil {
			t.Fatal(err)
		}
		if ok != want.Valid || (ok && dec(got, 4) != want.String) {
			t.Errorf("%s x %s: got %s (%v), DuckDB %q", dec(q, 4), dec(p, 4), dec(got, 4), ok, want.String)
		}
		var want3 string
		if err := db.QueryRow(`SELECT ?::DECIMAL(18,4)::DECIMAL(18,3)::VARCHAR`, dec(q, 4)).Scan(&want3); err != nil {
			t.Fatal(err)
		}
		if got := dec(roundDiv(q, 10), 3); got != want3 {
			t.Errorf("%s to 3 decimals: got %s, DuckDB %s", dec(q, 4), got, want3)
		}
		if q == 0 {
			continue
		}
		gotDiv, okDiv := divDecimal4(p, q)
		exact := new(big.Rat).SetFrac(big.NewInt(p), big.NewInt(q)) // (p/1e4)/(q/1e4) = p/q
		exact.Mul(exact, big.NewRat(10_000, 1))
		n, rem := new(big.Int).QuoRem(exact.Num(), exact.Denom(), new(big.Int))
		if new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2)).Cmp(exact.Denom()) >= 0 {
			n.Add(n, big.NewInt(int64(exact.Sign())))
		}
		wantOK := n.IsInt64() && n.Int64() <= maxDecimal18 && n.Int64() >= -maxDecimal18
		if okDiv != wantOK || (okDiv && gotDiv != n.Int64()) {
			t.Errorf("%s / %s: got %d (%v), want %s", dec(p, 4), dec(q, 4), gotDiv, okDiv, n)
		}
	}
}
