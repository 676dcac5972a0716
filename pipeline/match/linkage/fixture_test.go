package linkage

import (
	"fmt"
	"testing"
)

// fixtureCompanies is a small channel database: the companies the tests name, and
// background companies that give words and places realistic frequencies.
func fixtureCompanies() []Company {
	cs := []Company{
		{PartnerID: "P1", Name: "Dupont Électricité SARL", Registration: "732829320", VAT: "FR44732829320", Address: "12 rue de la Gare", Postcode: "86000", City: "Poitiers", Country: "FR"},
		{PartnerID: "P2", Name: "Dupont Électricité SA", Address: "14 rue de la Gare", Postcode: "86000", City: "Poitiers", Country: "FR"},
		{PartnerID: "P3", Name: "Vergnaud Bricolage", Address: "3 avenue Foch", Postcode: "86100", City: "Châtellerault", Country: "FR"},
		{PartnerID: "P4", Name: "Bricomarché", Address: "1 route de Paris", Postcode: "86000", City: "Poitiers", Country: "FR"},
		{PartnerID: "P5", Name: "Bricomarché", Address: "2 route de Niort", Postcode: "79000", City: "Niort", Country: "FR"},
		{PartnerID: "P6", Name: "Bricomarché", Address: "5 quai de Loire", Postcode: "37000", City: "Tours", Country: "FR"},
		{PartnerID: "P7", Name: "Müller Elektro GmbH", VAT: "DE136695976", Address: "Hauptstraße 12", Postcode: "10115", City: "Berlin", Country: "DE"},
		{PartnerID: "P8", Name: "Smith Bros Ltd", Address: "10 Downing Street", Postcode: "SW1A 2AA", City: "London", Country: "GB"},
		{PartnerID: "P9", Name: "Garage Martin", Address: "40 boulevard Voltaire", Postcode: "75011", City: "Paris", Country: "FR"},
		{PartnerID: "P10", Name: "Garage Martini", Address: "42 boulevard Voltaire", Postcode: "75011", City: "Paris", Country: "FR"},
	}
	surnames := []string{"Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
		"Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard"}
	trades := []string{"Électricité", "Plomberie", "Bricolage", "Quincaillerie", "Matériaux", "Chauffage", "Menuiserie", "Jardinerie"}
	towns := []struct{ pc, city string }{{"86000", "Poitiers"}, {"86100", "Châtellerault"}, {"79000", "Niort"},
		{"37000", "Tours"}, {"75011", "Paris"}, {"17000", "La Rochelle"}, {"33000", "Bordeaux"}, {"44000", "Nantes"}}
	for i := 0; i < 400; i++ {
		t := towns[i%len(towns)]
		cs = append(cs, Company{
			PartnerID: fmt.Sprintf("B%03d", i),
			Name:      trades[(i/7)%len(trades)] + " " + surnames[i%len(surnames)] + " " + surnames[(i/3)%len(surnames)],
			Address:   fmt.Sprintf("%d rue %s", 1+i%90, surnames[(i/11)%len(surnames)]),
			Postcode:  t.pc, City: t.city, Country: "FR",
		})
	}
	return cs
}

// fixture indexes the fixture companies and trains on the resellers.
func fixture(t *testing.T, resellers []Reseller) (*Index, *Model) {
	t.Helper()
	ix := NewIndex(fixtureCompanies())
	return ix, ix.Train(resellers)
}
