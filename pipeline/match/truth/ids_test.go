package truth

import (
	"strings"
	"testing"
)

// TestIDKeys checks the identifier readers on published examples, printed the ways
// clerks print them, and on corrupted ones.
func TestIDKeys(t *testing.T) {
	for _, tc := range []struct {
		country, reg, vat string
		want              string // the identity key; "" = an error is expected
	}{
		{"FR", "552100554", "", "FR:552100554"},
		{"FR", "552 100 554 00013", "", "FR:552100554"},
		{"FR", "", "FR 96 552 100 554", "FR:552100554"},
		{"FR", "", "FR44732829320", "FR:732829320"},
		{"FR", "552100555", "", ""},
		{"FR", "", "FR97552100554", ""},
		{"FR", "55210055400014", "", ""},
		{"DE", "", "DE136695976", "DE:VAT136695976"},
		{"DE", "", "136 695 976", "DE:VAT136695976"},
		{"DE", "", "DE136695977", ""},
		{"DE", "Amtsgericht Köln HRB 12345", "", "DE:HRB12345"},
		{"GB", "", "GB 980 7806 84", "GB:VAT980780684"},
		{"GB", "", "GB980780685", ""},
		{"GB", "8123456", "", "GB:08123456"},
		{"GB", "SC123456", "", "GB:SC123456"},
		{"NL", "", "NL 0044.95.445.B01", "NL:VAT004495445"},
		{"NL", "", "NL004495446B01", ""},
		{"NL", "KvK 12345678", "", "NL:12345678"},
		{"BE", "0403.170.701", "", "BE:0403170701"},
		{"BE", "", "BE 403170701", "BE:0403170701"},
		{"BE", "0403.170.702", "", ""},
		{"ES", "A-58818501", "", "ES:A58818501"},
		{"ES", "", "ES B58378431", "ES:B58378431"},
		{"ES", "12345678-Z", "", "ES:12345678Z"},
		{"ES", "B58378432", "", ""},
		{"IT", "", "IT 00743110157", "IT:00743110157"},
		{"IT", "743110157", "", "IT:00743110157"},
		{"IT", "00743110158", "", ""},
		{"CH", "CHE-116.281.710", "", "CH:116281710"},
		{"CH", "", "CHE-116.281.710 MWST", "CH:116281710"},
		{"CH", "CHE-116.281.711", "", ""},
		{"CA", "123456782", "", "CA:123456782"},
		{"CA", "", "123456782 RT0001", "CA:123456782"},
		{"CA", "123456789", "", ""},
		{"AU", "004 085 616", "", "AU:004085616"},
		{"AU", "", "51 824 753 556", "AU:824753556"},
		{"AU", "", "51 824 753 557", ""},
		{"US", "12-3456789", "", "US:123456789"},
		{"US", "12-345678", "", ""},
	} {
		keys, err := idKeys(tc.country, tc.reg, tc.vat)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("idKeys(%s, %q, %q) = %v, want an error", tc.country, tc.reg, tc.vat, keys)
		case tc.want != "" && err != nil:
			t.Errorf("idKeys(%s, %q, %q): %v", tc.country, tc.reg, tc.vat, err)
		case tc.want != "" && strings.Join(keys, ",") != tc.want:
			t.Errorf("idKeys(%s, %q, %q) = %v, want %s", tc.country, tc.reg, tc.vat, keys, tc.want)
		}
	}
}

// TestGeneratedIDs draws many identifiers per country and legal form: all are valid,
// and every printed form a clerk may type names the same company.
func TestGeneratedIDs(t *testing.T) {
	r := newRNG(3)
	for _, co := range countries() {
		for i := 0; i < 300; i++ {
			c := pick(r, co.cities)
			f := &firm{co: co, city: c, lang: c.langs[0], postcode: completePostcode(r, co, pick(r, c.postcodes))}
			f.form = pickForm(r, f)
			f.regFull, f.vatFull, f.siret = newIDs(r, f)
			want, err := idKeys(co.code, f.regFull, f.vatFull)
			if err != nil {
				t.Fatalf("%s %q %q: %v", co.code, f.regFull, f.vatFull, err)
			}
			f.reg, f.vat = f.regFull, f.vatFull
			reg, vat := printedIDs(r, f)
			got, err := idKeys(co.code, reg, vat)
			if err != nil {
				t.Fatalf("%s printed %q %q: %v", co.code, reg, vat, err)
			}
			if !strings.Contains(","+strings.Join(want, ",")+",", ","+got[0]+",") {
				t.Errorf("%s printed %q %q gives %v, want one of %v", co.code, reg, vat, got, want)
			}
		}
	}
}

// TestLuhnComplete: completed numbers pass the check and one changed digit fails it.
func TestLuhnComplete(t *testing.T) {
	for _, prefix := range []string{"55210055", "7328293200007", "1234567", "0"} {
		n := luhnComplete(prefix)
		if !luhnValid(n) {
			t.Errorf("luhnComplete(%s) = %s fails the check", prefix, n)
		}
		bad := n[:len(n)-1] + string('0'+(n[len(n)-1]-'0'+1)%10)
		if luhnValid(bad) {
			t.Errorf("%s passes the check", bad)
		}
	}
}
