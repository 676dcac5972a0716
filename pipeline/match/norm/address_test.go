package norm

import (
	"strings"
	"testing"
)

func TestParseAddress(t *testing.T) {
	for _, c := range []struct {
		raw, country   string
		number, street string
		tokens         string
	}{
		{"12 rue de la Gare", "FR", "12", "RUE DE LA GARE", "RUE GARE"},
		{"12, R. de la Gare", "FR", "12", "RUE DE LA GARE", "RUE GARE"},
		{"12 bis av. Foch", "FR", "12BIS", "AVENUE FOCH", "AVENUE FOCH"},
		{"12B Avenue Foch", "FR", "12B", "AVENUE FOCH", "AVENUE FOCH"},
		{"12 B bd Victor Hugo", "FR", "12B", "BOULEVARD VICTOR HUGO", "BOULEVARD VICTOR HUGO"},
		{"3 ter chem. des Vignes", "FR", "3TER", "CHEMIN DES VIGNES", "CHEMIN VIGNES"},
		{"12-14 rte de Lyon", "FR", "12", "ROUTE DE LYON", "ROUTE LYON"},
		{"ZI des Prés BP 45", "FR", "", "ZONE INDUSTRIELLE DES PRES", "ZONE INDUSTRIELLE PRES"},
		{"5 imp. du Moulin", "FR", "5", "IMPASSE DU MOULIN", "IMPASSE MOULIN"},
		{"2 all. des Tilleuls", "FR", "2", "ALLEE DES TILLEULS", "ALLEE TILLEULS"},
		{"1 pl. St Pierre", "FR", "1", "PLACE SAINT PIERRE", "PLACE SAINT PIERRE"},
		{"Hauptstraße 12a", "DE", "12A", "HAUPT STRASSE", "HAUPT STRASSE"},
		{"Hauptstr. 12 a", "DE", "12A", "HAUPT STRASSE", "HAUPT STRASSE"},
		{"Am Markt 3", "DE", "3", "AM MARKT", "AM MARKT"},
		{"Kerkstraat 7", "NL", "7", "KERK STRAAT", "KERK STRAAT"},
		{"221B Baker St", "GB", "221B", "BAKER STREET", "BAKER STREET"},
		{"10 Downing Street", "GB", "10", "DOWNING STREET", "DOWNING STREET"},
		{"1 St Mary Rd", "GB", "1", "SAINT MARY ROAD", "SAINT MARY ROAD"},
		{"1600 Pennsylvania Ave NW", "US", "1600", "PENNSYLVANIA AVENUE NW", "PENNSYLVANIA AVENUE NW"},
		{"C/ Mayor 5", "ES", "5", "CALLE MAYOR", "CALLE MAYOR"},
		{"Avda. de la Constitución 20", "ES", "20", "AVENIDA DE LA CONSTITUCION", "AVENIDA CONSTITUCION"},
		{"Via Roma 10", "IT", "10", "VIA ROMA", "VIA ROMA"},
		{"V. Garibaldi 3", "IT", "3", "VIA GARIBALDI", "VIA GARIBALDI"},
		{"PO Box 123", "GB", "", "", ""},
		{"", "FR", "", "", ""},
	} {
		a := ParseAddress(c.raw, c.country)
		if a.Number != c.number || a.Street != c.street || strings.Join(a.Tokens, " ") != c.tokens {
			t.Errorf("ParseAddress(%q, %s) = %q %q %q, want %q %q %q", c.raw, c.country,
				a.Number, a.Street, a.Tokens, c.number, c.street, c.tokens)
		}
	}
}
