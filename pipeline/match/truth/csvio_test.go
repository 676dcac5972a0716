package truth

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestWriteLoad(t *testing.T) {
	c := &Corpus{
		Companies: []Company{{PartnerID: "CB1", Name: `Dupont "Elec", SARL`, Registration: "552100554",
			Address: "12 rue de la Gare\nBâtiment B", Postcode: "06000", City: "Nice", Country: "FR"}},
		Resellers: []Reseller{{Case: caseVariant, Distributor: "ACME", ResellerID: "C1", Name: "DUPONT ELEC",
			Postcode: "6000", TruePartnerID: "CB1"}, {Case: caseAbsent, Distributor: "BRAVO", Name: "X"}},
	}
	dir := t.TempDir()
	if err := c.Write(dir); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("Load(Write(c)) = %+v, want %+v", got, c)
	}
}

func TestLoadErrors(t *testing.T) {
	const companies = "partner_id,name,registration,vat,address,postcode,city,country\n"
	const resellers = "case,distributor,reseller_id,reseller_name,reseller_registration,reseller_vat,reseller_address," +
		"reseller_postcode,reseller_city,reseller_country,true_partner_id\n"
	for _, tc := range []struct {
		name, companies, resellers string
		want                       []string // parts of the error
	}{
		{"missing file", "", "", []string{"companies.csv"}},
		{"bad header", "partner,name\n", resellers, []string{"companies.csv", "line 1", "partner_id"}},
		{"field count", companies + "CB1,A,,,,,\n", resellers, []string{"companies.csv", "line 2", "wrong number of fields"}},
		{"empty id", companies + ",A,,,,,Nice,FR\n", resellers, []string{"companies.csv", "line 2", "partner_id", "empty"}},
		{"duplicate id", companies + "CB1,A,,,,,Nice,FR\nCB1,B,,,,,Nice,FR\n", resellers,
			[]string{"companies.csv", "line 3", "partner_id", "twice"}},
		{"unknown case", companies + "CB1,A,,,,,Nice,FR\n", resellers + "guess,ACME,1,A,,,,,,,CB1\n",
			[]string{"resellers.csv", "line 2", "field case", "guess"}},
		{"unknown truth", companies + "CB1,A,,,,,Nice,FR\n", resellers + "variant,ACME,1,A,,,,,,,CB2\n",
			[]string{"resellers.csv", "line 2", "true_partner_id", "CB2"}},
		{"bad quote", companies + "CB1,\"A,,,,,Nice,FR\n", resellers, []string{"companies.csv", "line 2"}},
		{"not utf-8", companies + "CB1,\xe9lec,,,,,Nice,FR\n", resellers, []string{"companies.csv", "line 2", "name", "UTF-8"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.companies != "" {
				write(t, filepath.Join(dir, companiesFile), tc.companies)
				write(t, filepath.Join(dir, resellersFile), tc.resellers)
			}
			_, err := Load(dir)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadBOM(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, companiesFile), "\ufeffpartner_id,name,registration,vat,address,postcode,city,country\nCB1,A,,,,,Nice,FR\n")
	write(t, filepath.Join(dir, resellersFile), "case,distributor,reseller_id,reseller_name,reseller_registration,"+
		"reseller_vat,reseller_address,reseller_postcode,reseller_city,reseller_country,true_partner_id\r\n"+
		"exact_key,ACME,1,A,552100554,,,,,FR,CB1\r\n")
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Companies) != 1 || len(c.Resellers) != 1 || c.Resellers[0].TruePartnerID != "CB1" {
		t.Errorf("got %+v", c)
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
