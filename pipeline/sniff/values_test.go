package sniff

import (
	"slices"
	"testing"
)

func TestShapeNumber(t *testing.T) {
	for _, c := range []struct {
		in                        string
		ok                        bool
		decimal, thousands, ambig string
		value                     float64
	}{
		{"12", true, "", "", "", 12},
		{"12,50", true, ",", "", "", 12.5},
		{"12.50", true, ".", "", "", 12.5},
		{"1 234,56", true, ",", " ", "", 1234.56},
		{"1\u00a0234,56", true, ",", " ", "", 1234.56},
		{"1.234,56", true, ",", ".", "", 1234.56},
		{"1,234.56", true, ".", ",", "", 1234.56},
		{"1.234.567", true, ",", ".", "", 1234567},
		{"1,000", true, "", "", ",", 1},
		{"0,500", true, ",", "", "", 0.5},
		{"12,5-", true, ",", "", "", -12.5},
		{"-3", true, "", "", "", -3},
		{"douze", false, "", "", "", 0},
		{"12,50 €", false, "", "", "", 0},
	} {
		sh := shapeNumber(c.in)
		if sh.ok != c.ok || sh.decimal != c.decimal || sh.thousands != c.thousands || sh.ambiguous != c.ambig || sh.ok && sh.value != c.value {
			t.Errorf("shapeNumber(%q) = %+v", c.in, sh)
		}
	}
}

func TestParseNumberAsTheLoader(t *testing.T) {
	for _, c := range []struct {
		in, dec, thou string
		want          float64
		ok            bool
	}{
		{"1 234,56", ",", " ", 1234.56, true},
		{"1\u202f234,56", ",", " ", 1234.56, true},
		{"1.234,56", ",", ".", 1234.56, true},
		{"1,000", ".", "", 0, false},
		{"12,5", ".", "", 0, false},
		{"7-", ".", "", -7, true},
	} {
		got, ok := parseNumber(c.in, c.dec, c.thou)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("parseNumber(%q, %q, %q) = %v %v", c.in, c.dec, c.thou, got, ok)
		}
	}
}

func TestShapes(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(string) bool
		yes  []string
		no   []string
	}{
		{"GTIN", gtinValid, []string{"4006381333931", "3701234540092", "96385074", "036000291452"}, []string{"4006381333932", "12345", "ABC"}},
		{"SIRET/SIREN", func(s string) bool { _, ok := siretShape(s); return ok },
			[]string{"732 829 320 00074", "73282932000074", "732829320", "35600000000048"}, []string{"73282932000075", "12345678901234", "ABC"}},
		{"VAT", func(s string) bool { _, ok := vatShape(s); return ok },
			[]string{"FR40303265045", "DE123456789", "GB251239840", "BE 0123.456.789"}, []string{"XX123456789", "FRANCE", "12345"}},
		{"postcode", postcodeShape, []string{"75002", "1000", "1012 AB", "SW1A 1AA", "F-75001"}, []string{"Paris", "123"}},
		{"id", idLike, []string{"AC-00480", "B1", "001344"}, []string{"DUPONT SARL", "VERSAILLES", ""}},
		{"name", nameLike, []string{"SARL Matériaux Gérard", "VERSAILLES", "Bad Date SA"}, []string{"AC-00480", "12"}},
		{"date", looksLikeDate, []string{"2026-01-05", "05/01/2026", "20260105", "05.01.2026", "2026-01-05 10:30:00"}, []string{"32/01/2026", "2026-13-01", "12", "n/a"}},
	} {
		for _, v := range c.yes {
			if !c.f(v) {
				t.Errorf("%s: %q refused", c.name, v)
			}
		}
		for _, v := range c.no {
			if c.f(v) {
				t.Errorf("%s: %q accepted", c.name, v)
			}
		}
	}
}

// TestSynonyms: the headers distributors write, in six languages, name their fields.
func TestSynonyms(t *testing.T) {
	for header, want := range map[string]string{
		"Raison sociale": "reseller_name", "Customer name": "reseller_name", "Kundenname": "reseller_name",
		"Razón social": "reseller_name", "Ragione sociale": "reseller_name", "Klantnaam": "reseller_name",
		"Qté": "quantity", "Menge": "quantity", "Cantidad": "quantity", "Quantità": "quantity", "Aantal": "quantity", "QTY": "quantity",
		"Date facture": "invoice_date", "Rechnungsdatum": "invoice_date", "Fecha factura": "invoice_date", "Data fattura": "invoice_date", "Factuurdatum": "invoice_date", "DocDate": "invoice_date",
		"N° facture": "invoice_number", "Belegnr": "invoice_number", "Invoice No": "invoice_number", "Factuurnummer": "invoice_number",
		"Code client": "reseller_id", "Kundennr": "reseller_id", "AcctNo": "reseller_id", "Codice cliente": "reseller_id", "Klantnummer": "reseller_id",
		"PU HT €": "unit_price", "Einzelpreis": "unit_price", "Precio unitario": "unit_price", "Prezzo unitario": "unit_price", "Stukprijs": "unit_price",
		"Montant HT €": "amount", "Betrag": "amount", "Importe": "amount", "Importo": "amount", "Bedrag": "amount", "LineTotal": "amount",
		"TVA intracom": "reseller_vat", "USt-IdNr.": "reseller_vat", "Partita IVA": "reseller_vat", "BTW-nummer": "reseller_vat",
		"SIRET": "reseller_registration", "CP": "reseller_postcode", "PLZ": "reseller_postcode", "Código postal": "reseller_postcode", "Postcode": "reseller_postcode",
		"Ville": "reseller_city", "Ort": "reseller_city", "Ciudad": "reseller_city", "Città": "reseller_city", "Plaats": "reseller_city",
		"Réf. fabricant": "sku", "Artikelnummer": "sku", "EAN13": "gtin", "Währung": "currency", "Devise": "currency", "Pays": "reseller_country",
		"End Customer": "end_customer_name", "Désignation": description,
	} {
		ms := matchHeader(header)
		best := headerMatch{}
		for _, m := range ms {
			if m.score > best.score {
				best = m
			}
		}
		if best.field != want {
			t.Errorf("%q reads as %q (%v), want %s", header, best.field, ms, want)
		}
	}
	if got := normHeader("N° Facture HT"); got != "n facture ht" {
		t.Errorf("normHeader = %q", got)
	}
	// A header naming both ids and names leaves the choice to the values.
	var fields []string
	for _, m := range matchHeader("Client") {
		fields = append(fields, m.field)
	}
	if !slices.Contains(fields, "reseller_id") || !slices.Contains(fields, "reseller_name") {
		t.Errorf("Client reads as %v, want both reseller_id and reseller_name", fields)
	}
}
