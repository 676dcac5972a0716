package linkage

import (
	"strings"
	"testing"

	"github.com/salesout/salesout/pipeline/match/norm"
)

func TestCoreName(t *testing.T) {
	for _, c := range []struct{ name, town, want string }{
		{"Point.P - Épinal", "Épinal", "POINT P"},
		{"Bricomarché Vaux-le-Château", "Vaux-le-Château", "BRICOMARCHE"},
		{"Garage de Saint-Germain-la-Gar", "Saint-Germain-la-Garenne", "GARAGE"},
		{"Saint-Georges-les-Vignes Électricité", "St-Georges-les-Vignes", "ELECTRICITE"},
		{"Épinal", "Épinal", "EPINAL"},
		{"Dupont Électricité", "Poitiers", "DUPONT ELECTRICITE"},
		{"Dupont Électricité", "", "DUPONT ELECTRICITE"},
	} {
		town := norm.ParseName(norm.City(c.town), "FR").Tokens
		if got := coreName(norm.ParseName(c.name, "FR"), town).Full; got != c.want {
			t.Errorf("coreName(%q, %q) = %q, want %q", c.name, c.town, got, c.want)
		}
	}
}

func TestIdentify(t *testing.T) {
	for _, c := range []struct {
		registration, vat, country string
		reg, vatKey, siren         string
	}{
		{"732 829 320 00074", "", "FR", "FR:73282932000074", "", "732829320"},
		{"", "FR44 732829320", "FR", "", "FR44732829320", "732829320"},
		{"FR44732829320", "", "", "", "FR44732829320", "732829320"},
		{"84172600680", "", "IT", "IT:84172600680", "", ""},
		{"", "IT 84172600680", "IT", "IT:84172600680", "IT84172600680", ""},
		{"0963.109.436", "", "BE", "BE:963109436", "", ""},
		{"", "BE0963109436", "", "BE:963109436", "BE0963109436", ""},
		{"HRB 21061", "DE136695976", "DE", "DE:21061", "DE136695976", ""},
		{"", "51 824 753 556", "AU", "AU:824753556", "AU51824753556", ""},
		{"920167525", "920167525RT0001", "CA", "CA:920167525", "", ""},
		{"12345", "", "", ":12345", "", ""},
	} {
		k := identify(c.registration, c.vat, c.country)
		if k.reg != c.reg || k.vat != c.vatKey || k.siren != c.siren {
			t.Errorf("identify(%q, %q, %s) = %+v, want %s %s %s", c.registration, c.vat, c.country, k, c.reg, c.vatKey, c.siren)
		}
	}
}

func TestPrepareResellerPlace(t *testing.T) {
	ix := NewIndex(fixtureCompanies())
	recs := ix.prepareResellers([]Reseller{
		{Name: "SA Dupont Electricite", Postcode: "86000"},    // country and town from the postcode
		{Name: "Müller Elektro", City: "Berlin"},              // country from the town
		{Name: "Someone", Postcode: "99999", City: "Nowhere"}, // nothing to tell
	}, 1)
	if r := recs[0]; r.country != "FR" || r.city != "POITIERS" || r.name.LegalForm != "QVPB" {
		t.Errorf("reseller 0: %s %q %s", r.country, r.city, r.name.LegalForm)
	}
	if r := recs[1]; r.country != "DE" || !strings.HasPrefix(r.name.Full, "MULLER") {
		t.Errorf("reseller 1: %s %q", r.country, r.name.Full)
	}
	if r := recs[2]; r.country != "" || r.city != "NOWHERE" {
		t.Errorf("reseller 2: %s %q", r.country, r.city)
	}
}
