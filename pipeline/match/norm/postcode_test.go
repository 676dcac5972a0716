package norm

import "testing"

func TestPostcode(t *testing.T) {
	for _, c := range []struct {
		raw, country, want string
		valid              bool
	}{
		{"86000", "FR", "86000", true},
		{"1000", "FR", "01000", true},
		{"F-75011", "FR", "75011", true},
		{"75 011", "FR", "75011", true},
		{"00123", "FR", "00123", false},
		{"7501", "DE", "07501", true},
		{"D-10115", "DE", "10115", true},
		{"sw1a1aa", "GB", "SW1A 1AA", true},
		{"SW1A 1AA", "GB", "SW1A 1AA", true},
		{"M1 1AE", "GB", "M1 1AE", true},
		{"B33 8TH", "GB", "B33 8TH", true},
		{"12345", "GB", "12 345", false},
		{"12345-6789", "US", "12345", true},
		{"2134", "US", "02134", true},
		{"1234ab", "NL", "1234 AB", true},
		{"0123 AB", "NL", "0123 AB", false},
		{"1000", "BE", "1000", true},
		{"CH-1200", "CH", "1200", true},
		{"L-1234", "LU", "1234", true},
		{"2000", "AU", "2000", true},
		{"28001", "ES", "28001", true},
		{"00100", "IT", "00100", true},
		{"k1a0b1", "CA", "K1A 0B1", true},
		{"K1A 0BB", "CA", "K1A 0BB", false},
		{"1000-001", "PT", "1000-001", true},
		{"D02 X285", "IE", "D02 X285", true},
		{"ab-12", "XX", "AB12", false},
		{"", "FR", "", false},
		{"8600A", "FR", "8600A", false},
	} {
		got, valid := Postcode(c.raw, c.country)
		if got != c.want || valid != c.valid {
			t.Errorf("Postcode(%q, %s) = %q %v, want %q %v", c.raw, c.country, got, valid, c.want, c.valid)
		}
	}
}

func TestPostcodeArea(t *testing.T) {
	for _, c := range []struct{ code, country, want string }{
		{"86000", "FR", "86"}, {"97411", "FR", "974"}, {"SW1A 1AA", "GB", "SW1A"}, {"K1A 0B1", "CA", "K1A"},
		{"1234 AB", "NL", "1234"}, {"12345", "US", "123"}, {"10115", "DE", "10"}, {"1200", "CH", "1"}, {"6030", "BE", "6"}, {"4215", "AU", "4"},
		{"00100", "IT", "001"}, {"1000-001", "PT", "1000"}, {"", "FR", ""},
	} {
		if got := PostcodeArea(c.code, c.country); got != c.want {
			t.Errorf("PostcodeArea(%q, %s) = %q, want %q", c.code, c.country, got, c.want)
		}
	}
}
