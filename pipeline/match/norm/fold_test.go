package norm

import "testing"

func TestFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Électricité Dupont", "ELECTRICITE DUPONT"},
		{"  Sté  l'Atelier  ", "STE L ATELIER"},
		{"S.A.R.L.", "S A R L"},
		{"Müller & Söhne GmbH", "MULLER & SOHNE GMBH"},
		{"Straße", "STRASSE"},
		{"Œuvre Ærø Łódź", "OEUVRE AERO LODZ"},
		{"Dupont&Fils", "DUPONT & FILS"},
		{"12-14, rue/Gare", "12 14 RUE GARE"},
		{"Ωmega", "MEGA"},
		{"", ""},
	} {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCompact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"S.A.R.L.", "SARL"},
		{"FR 12 345 678 901", "FR12345678901"},
		{"che-123.456.789", "CHE123456789"},
	} {
		if got := Compact(c.in); got != c.want {
			t.Errorf("Compact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCountry(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"FR", "FR"}, {"fra", "FR"}, {"France", "FR"}, {"Deutschland", "DE"}, {"Royaume-Uni", "GB"},
		{"UK", "GB"}, {"Schweiz", "CH"}, {"België", "BE"}, {"pl", "PL"}, {"Atlantis", ""}, {"", ""},
	} {
		if got := Country(c.in); got != c.want {
			t.Errorf("Country(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCity(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Paris 11e", "PARIS"},
		{"PARIS CEDEX 09", "PARIS"},
		{"Lyon 3ème", "LYON"},
		{"St-Étienne", "SAINT ETIENNE"},
		{"Ste Foy lès Lyon", "SAINTE FOY LES LYON"},
		{"Marseille 08", "MARSEILLE"},
		{"L'Isle-Adam", "L ISLE ADAM"},
		{"2000 Antwerpen", "2000 ANTWERPEN"},
	} {
		if got := City(c.in); got != c.want {
			t.Errorf("City(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
