package linkage

import (
	"context"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// cascadeCases are resellers with the partner, the method and the review flag the
// cascade must give them.
var cascadeCases = []struct {
	name     string
	reseller Reseller
	partner  string
	method   string
	review   bool
}{
	{"override", Reseller{Distributor: "D", ResellerID: "1", Name: "Whatever", Override: &Override{PartnerID: "P3"}}, "P3", MethodOverride, false},
	{"override not a partner", Reseller{Distributor: "D", ResellerID: "2", Name: "Dupont Electricite", Registration: "732829320", Override: &Override{NotAPartner: true}}, "", MethodOverride, false},
	{"registration", Reseller{Distributor: "D", ResellerID: "3", Name: "DUPONT ELEC", Registration: "732 829 320", Postcode: "86000"}, "P1", MethodRegistration, false},
	{"vat", Reseller{Distributor: "D", ResellerID: "4", Name: "Müller", VAT: "DE 136 695 976", City: "Berlin"}, "P7", MethodVAT, false},
	{"siren from a siret", Reseller{Distributor: "D", ResellerID: "5", Name: "Dupont", Registration: "732 829 320 00074"}, "P1", MethodSIREN, false},
	{"reseller_id from another spelling", Reseller{Distributor: "D", ResellerID: "3", Name: "DPT ELEC"}, "P1", MethodResellerID, false},
	{"reseller_id known", Reseller{Distributor: "E", ResellerID: "9", Name: "Vergnaud", Known: "P3"}, "P3", MethodResellerID, false},
	{"reseller_id known, name against it", Reseller{Distributor: "E", ResellerID: "8", Name: "Zorglub", Known: "P3"}, "P3", MethodResellerID, true},
	{"exact name", Reseller{Distributor: "D", ResellerID: "10", Name: "VERGNAUD BRICOLAGE", Postcode: "86100"}, "P3", MethodExactName, false},
	{"exact name keeps the legal form", Reseller{Distributor: "D", ResellerID: "11", Name: "SA DUPONT ELECTRICITE", Postcode: "86000", Country: "FR"}, "P2", MethodExactName, false},
	{"exact name of a chain branch", Reseller{Distributor: "D", ResellerID: "12", Name: "BRICOMARCHE", Postcode: "79000", City: "NIORT"}, "P5", MethodExactName, false},
	{"exact name over a one-letter decoy", Reseller{Distributor: "D", ResellerID: "13", Name: "Garage Martin", Postcode: "75011", City: "Paris"}, "P9", MethodExactName, false},
	{"probabilistic", Reseller{Distributor: "D", ResellerID: "14", Name: "Vergnaud Bricol.", Address: "3 av. Foch", Postcode: "86100", City: "CHATELLERAULT", Country: "France"}, "P3", MethodProbabilistic, false},
	{"chain without a place", Reseller{Distributor: "D", ResellerID: "15", Name: "Bricomarché"}, "", "", true},
	{"chain in a town without a branch", Reseller{Distributor: "D", ResellerID: "16", Name: "Bricomarché", Postcode: "17000", City: "La Rochelle"}, "", "", true},
	{"same name, legal form unknown", Reseller{Distributor: "D", ResellerID: "17", Name: "Dupont Electricite", Postcode: "86000"}, "", "", true},
	{"rejected", Reseller{Distributor: "D", ResellerID: "18", Name: "VERGNAUD BRICOLAGE", Postcode: "86100", Override: &Override{Rejected: []string{"P3"}}}, "", "", true},
	{"absent", Reseller{Distributor: "D", ResellerID: "19", Name: "Zorglub Informatique", Postcode: "86000"}, "", "", true},
}

func cascadeResellers() []Reseller {
	rs := make([]Reseller, len(cascadeCases))
	for i, c := range cascadeCases {
		rs[i] = c.reseller
	}
	return rs
}

func TestResolveCascade(t *testing.T) {
	rs := cascadeResellers()
	ix, m := fixture(t, rs)
	res, err := ix.Resolve(context.Background(), m, rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cascadeCases {
		r := res[i]
		if r.PartnerID != c.partner || r.Method != c.method || r.Review != c.review {
			t.Errorf("%s: got %q %q review=%v (%s), want %q %q review=%v\n  evidence: %s",
				c.name, r.PartnerID, r.Method, r.Review, r.ReviewReason, c.partner, c.method, c.review, r.Evidence)
		}
		if r.Review && r.ReviewReason == "" {
			t.Errorf("%s: review without a reason", c.name)
		}
		if r.Method == "" && r.PartnerID != "" || r.Method != "" && r.Method != MethodOverride && r.PartnerID == "" {
			t.Errorf("%s: method %q with partner %q", c.name, r.Method, r.PartnerID)
		}
		if len(r.Candidates) > 3 {
			t.Errorf("%s: %d candidates", c.name, len(r.Candidates))
		}
		for _, cand := range r.Candidates {
			if cand.PartnerID == "P3" && c.name == "rejected" {
				t.Errorf("rejected partner proposed: %+v", cand)
			}
		}
	}
}

func TestResolveReasons(t *testing.T) {
	rs := cascadeResellers()
	ix, m := fixture(t, rs)
	res, _ := ix.Resolve(context.Background(), m, rs, Options{})
	for i, c := range cascadeCases {
		switch c.name {
		case "chain without a place", "same name, legal form unknown":
			if !strings.HasPrefix(res[i].ReviewReason, "ambiguous") && !strings.HasPrefix(res[i].ReviewReason, "below threshold") {
				t.Errorf("%s: reason %q", c.name, res[i].ReviewReason)
			}
			if len(res[i].Candidates) < 2 {
				t.Errorf("%s: %d candidates, want the tied ones", c.name, len(res[i].Candidates))
			}
		}
	}
}

// TestResolveDeterministic checks that results do not depend on the number of workers.
func TestResolveDeterministic(t *testing.T) {
	rs := cascadeResellers()
	ix, m := fixture(t, rs)
	one, err := ix.Resolve(context.Background(), m, rs, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	many, err := ix.Resolve(context.Background(), m, rs, Options{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one, many) {
		t.Error("results differ between 1 and 4 workers")
	}
	if again := ix.Train(rs); !reflect.DeepEqual(again.Rows(), m.Rows()) {
		t.Error("training twice gives different models")
	}
}

func TestResolveCanceled(t *testing.T) {
	rs := cascadeResellers()
	ix, m := fixture(t, rs)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Resolve(ctx, m, rs, Options{}); err == nil {
		t.Error("a canceled context did not stop Resolve")
	}
}

// bits reads the weight each part of an evidence string adds: the first signed number
// in its parentheses.
var bits = regexp.MustCompile(`\(([+-]\d+\.\d)`)

// TestEvidenceIsTheWeight checks that the evidence adds up to the weight: both are read
// from the same model rows.
func TestEvidenceIsTheWeight(t *testing.T) {
	rs := cascadeResellers()
	ix, m := fixture(t, rs)
	res, _ := ix.Resolve(context.Background(), m, rs, Options{})
	checked := 0
	for _, r := range res {
		for _, c := range r.Candidates {
			sum, parts := 0.0, 0
			for _, part := range strings.Split(c.Evidence, "; ") {
				if g := bits.FindStringSubmatch(part); g != nil {
					v, _ := strconv.ParseFloat(g[1], 64)
					sum += v
					parts++
				}
			}
			if diff := sum - c.Weight; diff > 0.05*float64(parts)+1e-9 || -diff > 0.05*float64(parts)+1e-9 {
				t.Errorf("evidence adds up to %.2f, weight %.2f: %s", sum, c.Weight, c.Evidence)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no candidate to check")
	}
}

func TestEvidenceReadable(t *testing.T) {
	rs := []Reseller{{Distributor: "D", ResellerID: "1", Name: "Vergnaud Bricol.", Address: "3 av. Foch", Postcode: "86100", City: "CHATELLERAULT", Country: "France"}}
	ix, m := fixture(t, rs)
	res, _ := ix.Resolve(context.Background(), m, rs, Options{})
	ev := res[0].Evidence
	for _, want := range []string{"name token-set", "rare VERGNAUD", "postcode 86100 exact", "city not compared: same postcode",
		"street AVENUE FOCH exact", "number 3 exact", "country FR exact"} {
		if !strings.Contains(ev, want) {
			t.Errorf("evidence lacks %q: %s", want, ev)
		}
	}
}
