package truth

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, fold, upper string }{
		{"Électricité Générale", "Electricite Generale", "ELECTRICITE GENERALE"},
		{"Müller & Söhne", "Muller & Sohne", "MULLER & SOHNE"},
		{"Weiß", "Weiss", "WEISS"},
		{"Fontanería Muñoz", "Fontaneria Munoz", "FONTANERIA MUNOZ"},
		{"plain", "plain", "PLAIN"},
	} {
		if got := fold(tc.in); got != tc.fold {
			t.Errorf("fold(%q) = %q, want %q", tc.in, got, tc.fold)
		}
		if got := upperASCII(tc.in); got != tc.upper {
			t.Errorf("upperASCII(%q) = %q, want %q", tc.in, got, tc.upper)
		}
	}
	if got := foldGerman("Müller Straße"); got != "Mueller Strasse" {
		t.Errorf("foldGerman = %q", got)
	}
}

func TestCanonKey(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"SARL Ets Dupont & Fils", "dupont et fils etablissements"},
		{"Dupont Électricité S.A.R.L.", "ELECTRICITE DUPONT"},
		{"Elec Dupont", "Électricité Dupont"},
		{"Müller Elektro GmbH & Co. KG", "Elektro Müller"},
		{"Smith Bros Intl Ltd", "Smith Brothers International"},
		{"Bricomarché", "BRICOMARCHE"},
	} {
		if ka, kb := canonKey(tc.a), canonKey(tc.b); ka != kb {
			t.Errorf("canonKey(%q) = %q, canonKey(%q) = %q: want equal", tc.a, ka, tc.b, kb)
		}
	}
	for _, tc := range []struct{ a, b string }{
		{"Garage Martin", "Garage Martini"},
		{"Électricité Dupont", "Plomberie Dupont"},
	} {
		if canonKey(tc.a) == canonKey(tc.b) {
			t.Errorf("canonKey(%q) = canonKey(%q)", tc.a, tc.b)
		}
	}
}

func TestTypo(t *testing.T) {
	r := newRNG(5)
	for _, s := range []string{"Quincaillerie Martin", "Elektro Müller", "Ferretería García"} {
		for n := 1; n <= 2; n++ {
			for i := 0; i < 50; i++ {
				got := typo(r, s, n)
				if d := editDistance(got, s); d < 1 || d > 2*n {
					t.Errorf("typo(%q, %d) = %q: %d edits", s, n, got, d)
				}
				if got[0] != s[0] {
					t.Errorf("typo(%q) changed the first letter: %q", s, got)
				}
			}
		}
	}
	if got := typo(r, "AB CD", 1); got != "AB CD" {
		t.Errorf("typo on short words = %q, want unchanged", got)
	}
}

func TestTruncate(t *testing.T) {
	s := "Société Nouvelle des Établissements Dupont"
	got := truncate(s, 30)
	if utf8.RuneCountInString(got) > 30 || !strings.HasPrefix(s, got) {
		t.Errorf("truncate = %q", got)
	}
	if truncate("Short", 30) != "Short" {
		t.Error("truncate changed a short name")
	}
}

func TestAbbreviate(t *testing.T) {
	r := newRNG(9)
	for _, tc := range []struct {
		in     string
		list   []abbr
		expand bool
		want   string // with p = 1: every word
	}{
		{"Établissements Dupont et Fils", langFR.nameAbbr, false, "Ets Dupont & Fils"},
		{"Ets Dupont & Fils", langFR.nameAbbr, true, "Établissements Dupont et Fils"},
		{"12 rue de la Gare", langFR.addrAbbr, false, "12 r. de la Gare"},
		{"12 Avenue Jean Jaurès", langFR.addrAbbr, false, "12 Av. Jean Jaurès"},
		{"Hauptstraße 12", langDE.addrAbbr, false, "Hauptstr. 12"},
		{"Smith Brothers International", langEN.nameAbbr, false, "Smith Bros Intl"},
		{"45 Station Road", langEN.addrAbbr, false, "45 Station Rd"},
		{"SMITH BROTHERS", langEN.nameAbbr, false, "SMITH BROS"},
		{"Rue Saint-Martin 4", langFR.addrAbbr, false, "R. St-Martin 4"},
	} {
		got, ok := abbreviate(r, tc.in, tc.list, tc.expand, 1)
		if !ok || got != tc.want {
			t.Errorf("abbreviate(%q, expand=%v) = %q, %v; want %q", tc.in, tc.expand, got, ok, tc.want)
		}
	}
	if _, ok := abbreviate(r, "Garage Martin", langFR.nameAbbr, false, 1); ok {
		t.Error("abbreviate changed a name without abbreviable words")
	}
}
