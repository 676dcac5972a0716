package norm

import "testing"

func TestParseID(t *testing.T) {
	for _, c := range []struct {
		raw, country    string
		kind, value, cc string
		valid           bool
		siren           string
	}{
		{"732 829 320", "FR", KindSIREN, "732829320", "FR", true, "732829320"},
		{"732829321", "FR", KindSIREN, "732829321", "FR", false, "732829321"},
		{"732 829 320 00074", "FR", KindSIRET, "73282932000074", "FR", true, "732829320"},
		{"73282932000075", "", KindSIRET, "73282932000075", "FR", false, "732829320"},
		{"35600000012346", "FR", KindSIRET, "35600000012346", "FR", true, "356000000"}, // La Poste: digits add up to 30
		{"35600000012345", "FR", KindSIRET, "35600000012345", "FR", false, "356000000"},
		{"RCS Paris B 732 829 320", "FR", KindSIREN, "732829320", "FR", true, "732829320"},
		{"RCS Paris B 732 829 321", "FR", KindNumber, "RCSPARISB732829321", "FR", false, ""},
		{"FR 44 732829320", "FR", KindVAT, "FR44732829320", "FR", true, "732829320"},
		{"FR45732829320", "", KindVAT, "FR45732829320", "FR", false, "732829320"},
		{"FRX1732829320", "", KindVAT, "FRX1732829320", "FR", true, "732829320"},
		{"CHE-116.281.710 MWST", "CH", KindVAT, "CHE116281710", "CH", true, ""},
		{"CHE-116.281.711 TVA", "CH", KindVAT, "CHE116281711", "CH", false, ""},
		{"DE 136 695 976", "DE", KindVAT, "DE136695976", "DE", true, ""},
		{"DE136695977", "DE", KindVAT, "DE136695977", "DE", false, ""},
		{"BE 0403.170.701", "BE", KindVAT, "BE0403170701", "BE", true, ""},
		{"BE403170701", "BE", KindVAT, "BE0403170701", "BE", true, ""},
		{"NL 004495445 B01", "NL", KindVAT, "NL004495445B01", "NL", true, ""},
		{"IT 00743110157", "IT", KindVAT, "IT00743110157", "IT", true, ""},
		{"IT743110157", "IT", KindVAT, "IT00743110157", "IT", true, ""},
		{"GB 980 7806 84", "GB", KindVAT, "GB980780684", "GB", true, ""},
		{"GB 123 4567 89", "GB", KindVAT, "GB123456789", "GB", false, ""},
		{"ESA28015865", "ES", KindVAT, "ESA28015865", "ES", true, ""},
		{"LU 15027442", "LU", KindVAT, "LU15027442", "LU", true, ""},
		{"HRB 12345", "DE", KindNumber, "HRB12345", "DE", false, ""},
		{"", "FR", "", "", "", false, ""},
	} {
		id := ParseID(c.raw, c.country)
		if id.Kind != c.kind || id.Value != c.value || id.Country != c.cc || id.Valid != c.valid || id.SIREN() != c.siren {
			t.Errorf("ParseID(%q, %s) = %+v SIREN %q, want %s %s %s %v %q", c.raw, c.country, id, id.SIREN(),
				c.kind, c.value, c.cc, c.valid, c.siren)
		}
	}
}

func TestParseVAT(t *testing.T) {
	for _, c := range []struct{ raw, country, want string }{
		{"44732829320", "FR", "FR44732829320"},
		{"136695976", "DE", "DE136695976"},
		{"116.281.710", "CH", "CHE116281710"},
		{"FR44732829320", "DE", "FR44732829320"},
		{"12", "FR", "12"},
	} {
		if got := ParseVAT(c.raw, c.country).Value; got != c.want {
			t.Errorf("ParseVAT(%q, %s) = %q, want %q", c.raw, c.country, got, c.want)
		}
	}
}

func TestFrenchVATKey(t *testing.T) {
	for _, c := range []struct{ siren, key string }{
		{"732829320", "44"}, {"404833048", "83"}, {"x", ""},
	} {
		if got := FrenchVATKey(c.siren); got != c.key {
			t.Errorf("FrenchVATKey(%s) = %q, want %q", c.siren, got, c.key)
		}
	}
}

func TestLuhn(t *testing.T) {
	for _, c := range []struct {
		digits string
		ok     bool
	}{
		{"732829320", true}, {"732829321", false}, {"79927398713", true}, {"", false}, {"12a", false},
	} {
		if got := Luhn(c.digits); got != c.ok {
			t.Errorf("Luhn(%q) = %v, want %v", c.digits, got, c.ok)
		}
	}
}

func TestRegistrationDigits(t *testing.T) {
	for _, c := range []struct{ raw, country, want string }{
		{"732 829 320 00074", "FR", "73282932000074"},
		{"732 829 320", "FR", "732829320"},
		{"HRB 123456", "DE", "123456"},
		{"KvK 01234567", "NL", "1234567"},
		{"123456789RT0001", "CA", "123456789"},
		{"51 824 753 556", "AU", "824753556"},
		{"004 085 616", "AU", "4085616"},
		{"SC123", "GB", ""},
		{"FR44732829320", "FR", ""},
		{"", "FR", ""},
	} {
		if got := RegistrationDigits(c.raw, c.country); got != c.want {
			t.Errorf("RegistrationDigits(%q, %s) = %q, want %q", c.raw, c.country, got, c.want)
		}
	}
}
