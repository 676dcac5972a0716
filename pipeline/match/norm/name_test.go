package norm

import (
	"strings"
	"testing"
)

func TestParseName(t *testing.T) {
	for _, c := range []struct {
		raw, country string
		full, form   string
	}{
		{"DUPONT ÉLECTRICITÉ SARL", "FR", "DUPONT ELECTRICITE", "V9QP"},
		{"SARL DUPONT ELEC", "FR", "DUPONT ELECTRICITE", "V9QP"},
		{"Dupont Electricite", "FR", "DUPONT ELECTRICITE", ""},
		{"Dupont S.A.R.L.", "FR", "DUPONT", "V9QP"},
		{"Dupont S A R L", "FR", "DUPONT", "V9QP"},
		{"Dupont EURL", "FR", "DUPONT", "V9QP"}, // a one-member SARL: same code, another key (see TestLegalKey)
		{"Dupont SA", "FR", "DUPONT", "QVPB"},
		{"Dupont SAS", "FR", "DUPONT", "6CHY"},
		{"Ets Martin & Fils", "FR", "ETABLISSEMENTS MARTIN FILS", ""},
		{"Ets. Martin et fils", "FR", "ETABLISSEMENTS MARTIN FILS", ""},
		{"Sté Nouvelle de la Quinc. du Centre", "FR", "SOCIETE NOUVELLE QUINCAILLERIE CENTRE", ""},
		{"L'Atelier du Bricolage", "FR", "ATELIER BRICOLAGE", ""},
		{"Müller Elektro GmbH & Co. KG", "DE", "MULLER ELECTRICITE", "8Z6G"},
		{"Müller Elektro GmbH & Co KG", "DE", "MULLER ELECTRICITE", "8Z6G"},
		{"Müller Elektro GmbH", "DE", "MULLER ELECTRICITE", "2HBR"},
		{"Schmidt u. Söhne e.K.", "DE", "SCHMIDT SOHNE", "OL20"},
		{"Bauer UG (haftungsbeschränkt)", "DE", "BAUER", "63KS"},
		{"Van den Berg B.V.", "NL", "BERG", "54M6"},
		{"Van den Berg B. V.", "NL", "BERG", "54M6"},
		{"Janssens BVBA", "BE", "JANSSENS", "N5NT"},
		{"Janssens NV", "BE", "JANSSENS", "R85P"},
		{"Smith Bros Ltd", "GB", "SMITH BROTHERS", "H0PO"},
		{"Smith Brothers Limited", "GB", "SMITH BROTHERS", "H0PO"},
		{"The Garden Store PLC", "GB", "GARDEN STORE", "B6ES"},
		{"Acme Intl Inc.", "US", "ACME INTERNATIONAL", "XTIQ"},
		{"Acme International Corporation", "US", "ACME INTERNATIONAL", "XTIQ"},
		{"Acme LLC", "US", "ACME", "HZEH"},
		{"Ferreteria Garcia y Hijos S.L.", "ES", "FERRETERIA GARCIA HIJOS", "DP3Q"},
		{"Ferreteria Garcia SLU", "ES", "FERRETERIA GARCIA", "R6UT"},
		{"Rossi Elettrica S.r.l.", "IT", "ROSSI ELECTRICITE", "OV32"},
		{"Rossi S.p.A.", "IT", "ROSSI", "P418"},
		{"Bricolage Silva Lda", "PT", "BRICOLAGE SILVA", "USOG"},
		{"Huber AG", "CH", "HUBER", "MVII"},
		{"Huber Sàrl", "CH", "HUBER", "3EKS"},
		{"Weber GmbH", "AT", "WEBER", "AXSB"},
		{"Kelly Electrical Teoranta", "IE", "KELLY ELECTRICITE", "MNQ7"},
		{"Outback Tools Pty Ltd", "AU", "OUTBACK TOOLS", "TXVC"},
		{"Maple Hardware Ltée", "CA", "MAPLE HARDWARE", "UDLA"},
		{"Dupont Ltd", "FR", "DUPONT", "H0PO"}, // a foreign form of 3+ letters is recognised anywhere
		{"Dupont AG", "FR", "DUPONT AG", ""},   // but not a two-letter one
		{"SA", "FR", "SA", ""},                 // a name is never emptied
		{"Le Comptoir de la Plomberie", "FR", "COMPTOIR PLOMBERIE", ""},
		{"J & M Electrics", "GB", "J M ELECTRICITE", ""},
		{"", "FR", "", ""},
	} {
		n := ParseName(c.raw, c.country)
		if n.Full != c.full || n.LegalForm != c.form {
			t.Errorf("ParseName(%q, %s) = %q [%s], want %q [%s]", c.raw, c.country, n.Full, n.LegalForm, c.full, c.form)
		}
		if n.Full != strings.Join(n.Tokens, " ") {
			t.Errorf("ParseName(%q): Full %q is not its tokens %q", c.raw, n.Full, n.Tokens)
		}
	}
}

func TestParseNameLegalAbbr(t *testing.T) {
	if n := ParseName("Dupont S.A.R.L.", "FR"); n.LegalAbbr != "SARL" {
		t.Errorf("LegalAbbr = %q, want SARL", n.LegalAbbr)
	}
}

func TestLegalKey(t *testing.T) {
	for _, c := range []struct {
		a, b, country string
		same          bool
	}{
		{"Dupont SARL", "Dupont S.A.R.L.", "FR", true},
		{"Dupont SARL", "Dupont EURL", "FR", false},
		{"Dupont SAS", "Dupont SASU", "FR", false},
		{"Dupont SA", "Dupont SARL", "FR", false},
		{"Janssens BVBA", "Janssens BV", "BE", true}, // 2019 reform
		{"Janssens SPRL", "Janssens SRL", "BE", true},
		{"Janssens SCRL", "Janssens CV", "BE", true},
		{"Huber SA", "Huber AG", "CH", true},
		{"Maple Ltd", "Maple Limitée", "CA", true},
		{"Maple Ltd", "Maple Corp", "CA", false},
		{"Acme Inc", "Acme Incorporated", "US", true},
		{"Acme Inc", "Acme Corp", "US", false},
		{"Acme Corp", "Acme Corporation", "US", true},
		{"Smith Ltd", "Smith Limited", "GB", true},
	} {
		a, b := ParseName(c.a, c.country), ParseName(c.b, c.country)
		if a.LegalKey == "" || b.LegalKey == "" || (a.LegalKey == b.LegalKey) != c.same {
			t.Errorf("%q [%s] vs %q [%s]: same = %v, want %v", c.a, a.LegalKey, c.b, b.LegalKey, !c.same, c.same)
		}
	}
}
