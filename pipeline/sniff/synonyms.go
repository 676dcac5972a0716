package sniff

// Header names of the canonical fields in English, French, German, Spanish, Italian
// and Dutch, as distributors write them.

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// description is a pseudo-field: a product description, which no canonical field
// takes; recognising it keeps it from being taken for a name.
const description = "description"

// synonym is a header (normalised: see normHeader) and how surely it names a field.
type synonym struct {
	field  string
	weight float64
	lang   string // en fr de es it nl, "" for all
}

// synonyms by normalised header. A header may name several fields (a "Client" column
// holds ids in one file and names in another): the values decide.
var synonyms = map[string][]synonym{}

func syn(field string, weight float64, lang string, headers ...string) {
	for _, h := range headers {
		k := normHeader(h)
		synonyms[k] = append(synonyms[k], synonym{field, weight, lang})
	}
}

func init() {
	// invoice_date
	syn("invoice_date", 1, "en", "invoice date", "date", "inv date", "doc date", "document date", "sales date", "billing date", "posting date", "transaction date")
	syn("invoice_date", 0.7, "en", "order date", "ship date", "shipping date", "delivery date")
	syn("invoice_date", 1, "fr", "date facture", "date de facture", "date facturation", "date piece", "date document", "date vente", "date de vente")
	syn("invoice_date", 0.7, "fr", "date commande", "date livraison", "date expedition")
	syn("invoice_date", 1, "de", "rechnungsdatum", "belegdatum", "datum", "fakturadatum", "verkaufsdatum", "buchungsdatum")
	syn("invoice_date", 0.7, "de", "lieferdatum", "auftragsdatum")
	syn("invoice_date", 1, "es", "fecha", "fecha factura", "fecha de factura", "fecha venta")
	syn("invoice_date", 1, "it", "data", "data fattura", "data documento", "data vendita")
	syn("invoice_date", 1, "nl", "factuurdatum", "datum factuur", "verkoopdatum", "boekdatum")
	// invoice_number
	syn("invoice_number", 1, "en", "invoice", "invoice no", "invoice number", "invoice nr", "invoice id", "inv no", "doc no", "document no", "document number", "invoice #")
	syn("invoice_number", 1, "fr", "n facture", "no facture", "num facture", "numero facture", "numero de facture", "facture", "n piece", "numero piece", "n de facture")
	syn("invoice_number", 1, "de", "rechnungsnr", "rechnungsnummer", "rechnung", "belegnr", "belegnummer", "beleg")
	syn("invoice_number", 0.5, "de", "nr", "nummer")
	syn("invoice_number", 1, "es", "factura", "n factura", "no factura", "numero factura", "num factura")
	syn("invoice_number", 1, "it", "fattura", "n fattura", "numero fattura", "num fattura")
	syn("invoice_number", 1, "nl", "factuur", "factuurnummer", "factuurnr", "factuur nr")
	// reseller_id
	syn("reseller_id", 1, "en", "customer no", "customer number", "customer id", "customer code", "customer nr", "account", "account no", "account number", "account id", "acct no", "acct", "sold to", "soldto", "cust no", "client id", "client no", "reseller id", "dealer id", "dealer no")
	syn("reseller_id", 0.6, "en", "customer", "client")
	syn("reseller_id", 1, "fr", "code client", "n client", "no client", "numero client", "num client", "id client", "ref client", "compte client", "code revendeur")
	syn("reseller_id", 1, "de", "kundennr", "kundennummer", "kunden nr", "kunde nr", "debitor", "debitorennr", "debitorennummer", "kd nr")
	syn("reseller_id", 0.6, "de", "kunde")
	syn("reseller_id", 1, "es", "codigo cliente", "cod cliente", "n cliente", "numero cliente", "id cliente")
	syn("reseller_id", 0.6, "es", "cliente")
	syn("reseller_id", 1, "it", "codice cliente", "cod cliente")
	syn("reseller_id", 1, "nl", "klantnummer", "klantnr", "klant nr", "klantcode", "debiteurnummer", "debiteur")
	syn("reseller_id", 0.6, "nl", "klant")
	// reseller_name
	syn("reseller_name", 1, "en", "customer name", "company", "company name", "account name", "acct name", "reseller", "reseller name", "dealer", "dealer name", "sold to name", "name", "client name")
	syn("reseller_name", 0.8, "en", "customer", "client")
	syn("reseller_name", 1, "fr", "raison sociale", "nom client", "nom", "client", "nom du client", "revendeur", "societe", "denomination", "nom revendeur", "enseigne")
	syn("reseller_name", 1, "de", "kundenname", "kunde", "firma", "firmenname", "name kunde", "name")
	syn("reseller_name", 1, "es", "nombre cliente", "nombre", "razon social", "cliente", "empresa")
	syn("reseller_name", 1, "it", "ragione sociale", "nome cliente", "cliente", "nome", "denominazione")
	syn("reseller_name", 1, "nl", "klantnaam", "klant", "naam", "bedrijfsnaam", "bedrijf")
	// reseller_vat
	syn("reseller_vat", 1, "en", "vat", "vat no", "vat number", "vat id", "vat reg no", "tax id", "vatno")
	syn("reseller_vat", 1, "fr", "tva", "tva intracom", "n tva", "numero tva", "tva intracommunautaire", "no tva", "n tva intracom")
	syn("reseller_vat", 1, "de", "ust id", "ustid", "ust idnr", "ust id nr", "umsatzsteuer id", "ustidnr")
	syn("reseller_vat", 1, "es", "nif", "cif", "nif iva", "n iva")
	syn("reseller_vat", 1, "it", "partita iva", "p iva", "piva")
	syn("reseller_vat", 1, "nl", "btw", "btw nummer", "btw nr", "btw nummer klant")
	// reseller_registration
	syn("reseller_registration", 1, "", "siret", "siren", "n siret", "no siret", "siret client", "registration", "registration no", "company registration", "reg no", "company no", "handelsregister", "hr nr", "kvk", "kvk nummer", "rcs", "codice fiscale")
	// reseller_address
	syn("reseller_address", 1, "en", "address", "street", "address 1", "address line 1", "street address")
	syn("reseller_address", 1, "fr", "adresse", "rue", "adresse 1", "adresse client")
	syn("reseller_address", 1, "de", "strasse", "anschrift", "adresse")
	syn("reseller_address", 1, "es", "direccion", "calle", "domicilio")
	syn("reseller_address", 1, "it", "indirizzo", "via")
	syn("reseller_address", 1, "nl", "adres", "straat")
	// reseller_postcode
	syn("reseller_postcode", 1, "en", "postcode", "post code", "postal code", "zip", "zip code", "zipcode")
	syn("reseller_postcode", 1, "fr", "cp", "code postal", "cp client")
	syn("reseller_postcode", 1, "de", "plz", "postleitzahl")
	syn("reseller_postcode", 1, "es", "codigo postal", "cod postal", "c postal")
	syn("reseller_postcode", 1, "it", "cap", "codice postale")
	syn("reseller_postcode", 1, "nl", "postcode klant")
	// reseller_city
	syn("reseller_city", 1, "en", "city", "town")
	syn("reseller_city", 1, "fr", "ville", "localite", "commune", "ville client")
	syn("reseller_city", 1, "de", "ort", "stadt", "wohnort")
	syn("reseller_city", 1, "es", "ciudad", "poblacion", "localidad", "municipio")
	syn("reseller_city", 1, "it", "citta", "comune", "localita")
	syn("reseller_city", 1, "nl", "plaats", "woonplaats", "stad")
	// reseller_country
	syn("reseller_country", 1, "en", "country", "country code", "ctry")
	syn("reseller_country", 1, "fr", "pays", "code pays")
	syn("reseller_country", 1, "de", "land", "landercode", "laenderkennzeichen")
	syn("reseller_country", 1, "es", "pais")
	syn("reseller_country", 1, "it", "paese", "nazione")
	syn("reseller_country", 1, "nl", "landcode")
	// end customer
	syn("end_customer_name", 1, "en", "end customer", "end customer name", "end user", "end user name", "project", "end client")
	syn("end_customer_name", 1, "fr", "client final", "utilisateur final", "nom client final")
	syn("end_customer_name", 1, "de", "endkunde", "endkunde name")
	syn("end_customer_name", 1, "es", "cliente final")
	syn("end_customer_name", 1, "it", "cliente finale")
	syn("end_customer_name", 1, "nl", "eindklant", "eindgebruiker")
	syn("end_customer_postcode", 1, "", "end customer postcode", "end customer zip", "end user zip", "end user postcode", "cp client final", "endkunde plz")
	syn("end_customer_country", 1, "", "end customer country", "end user country", "pays client final", "endkunde land")
	// products
	syn("sku", 1, "en", "sku", "part no", "part number", "mpn", "manufacturer part no", "manufacturer part number", "mfr part no", "vendor part no", "product code", "product no", "item")
	syn("sku", 0.7, "en", "product", "article", "item no", "item number", "reference", "ref")
	syn("sku", 1, "fr", "ref fabricant", "reference fabricant", "ref constructeur", "reference constructeur", "code produit", "ref produit", "ref fournisseur", "ref article")
	syn("sku", 0.7, "fr", "article", "produit", "reference", "code article")
	syn("sku", 1, "de", "herstellernr", "hersteller artikelnr", "herstellerartikelnummer", "artikelnr", "artikelnummer", "artikel", "materialnummer")
	syn("sku", 1, "es", "referencia", "ref fabricante", "codigo articulo", "articulo", "codigo producto")
	syn("sku", 1, "it", "codice articolo", "articolo", "codice prodotto", "cod articolo")
	syn("sku", 1, "nl", "artikelnummer", "artikel", "artikelcode", "productcode")
	syn("distributor_sku", 1, "", "item code", "itemcode", "ref interne", "reference interne", "code interne", "internal ref", "internal code", "distributor sku", "our ref", "eigene artikelnr", "referencia interna", "codice interno", "eigen artikelnummer")
	syn("distributor_sku", 0.6, "", "code article", "item no", "item number", "ref")
	syn("gtin", 1, "", "gtin", "ean", "ean13", "ean 13", "ean code", "code ean", "upc", "barcode", "gencod", "code barre", "code barres", "gtin13", "gtin 13", "ean nummer", "codigo ean", "codice ean", "streepjescode")
	syn(description, 1, "", "description", "designation", "libelle", "item desc", "itemdesc", "product description", "product name", "bezeichnung", "artikelbezeichnung", "beschreibung", "descripcion", "descrizione", "omschrijving", "libelle article", "designation article")
	// numbers
	syn("quantity", 1, "en", "qty", "quantity", "units", "pieces", "pcs", "qty sold", "quantity sold", "sold qty")
	syn("quantity", 1, "fr", "qte", "quantite", "qte vendue", "quantite vendue", "nb", "nombre")
	syn("quantity", 1, "de", "menge", "anzahl", "stuck", "stueck", "stuckzahl")
	syn("quantity", 1, "es", "cantidad", "cant", "unidades", "uds")
	syn("quantity", 1, "it", "quantita", "qta", "pezzi")
	syn("quantity", 1, "nl", "aantal", "hoeveelheid", "stuks")
	syn("unit_price", 1, "en", "unit price", "price", "net price", "unit cost", "unit net price", "price each")
	syn("unit_price", 1, "fr", "pu", "pu ht", "prix unitaire", "prix unitaire ht", "prix", "prix net", "prix ht", "pu net")
	syn("unit_price", 1, "de", "einzelpreis", "preis", "stuckpreis", "nettopreis", "ep")
	syn("unit_price", 1, "es", "precio", "precio unitario", "precio neto")
	syn("unit_price", 1, "it", "prezzo", "prezzo unitario", "prezzo netto")
	syn("unit_price", 1, "nl", "prijs", "stukprijs", "eenheidsprijs", "netto prijs")
	syn("amount", 1, "en", "amount", "net amount", "line total", "total", "line amount", "net value", "value", "revenue", "sales", "net sales", "extended price", "ext price")
	syn("amount", 1, "fr", "montant", "montant ht", "total ht", "montant net", "ca", "ca ht", "chiffre d affaires", "total ligne")
	syn("amount", 1, "de", "betrag", "nettobetrag", "gesamt", "summe", "umsatz", "gesamtbetrag", "nettowert", "wert")
	syn("amount", 1, "es", "importe", "importe neto", "total linea", "importe total")
	syn("amount", 1, "it", "importo", "totale", "importo netto")
	syn("amount", 1, "nl", "bedrag", "netto bedrag", "totaal", "omzet")
	syn("currency", 1, "", "currency", "cur", "curr", "ccy", "currency code", "devise", "monnaie", "wahrung", "waehrung", "moneda", "divisa", "valuta", "munt")
}

// normHeader normalises a header for the synonyms: camel case split ("DocDate" is
// "doc date"), lower case, accents and symbols dropped, words separated by one space.
func normHeader(h string) string { return normalise(splitCamel(h)) }

// splitCamel puts a space between the words of a camel-case header.
func splitCamel(h string) string {
	var b strings.Builder
	rs := []rune(h)
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])) {
			b.WriteRune(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// normalise lowers, drops accents and symbols, and separates words by one space.
func normalise(h string) string {
	s := strings.ToLower(h)
	s = strings.NewReplacer("ß", "ss", "œ", "oe", "æ", "ae", "n°", "n ", "nº", "n ").Replace(s)
	var out strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			out.WriteRune(r)
		default:
			out.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(out.String()), " ")
}

// headerMatch is a field a header may name, how surely, and the synonym that says so.
type headerMatch struct {
	field   string
	score   float64
	synonym string
	lang    string
}

// matchHeader returns the fields a header may name: an exact synonym scores its
// weight; a synonym whose words are all in the header ("Montant HT €" holds "montant
// ht") scores less, the more so the more words it leaves out.
func matchHeader(h string) []headerMatch {
	best := map[string]headerMatch{}
	matchNormalised(normHeader(h), best)
	if flat := normalise(h); flat != normHeader(h) {
		matchNormalised(flat, best) // "USt-IdNr." is not camel case
	}
	out := make([]headerMatch, 0, len(best))
	for _, m := range best {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].field < out[j].field })
	return out
}

// matchNormalised adds the fields a normalised header may name to best.
func matchNormalised(n string, best map[string]headerMatch) {
	if n == "" {
		return
	}
	consider := func(m headerMatch) {
		cur, ok := best[m.field]
		if !ok || m.score > cur.score || m.score == cur.score &&
			(len(m.synonym) > len(cur.synonym) || len(m.synonym) == len(cur.synonym) && m.synonym < cur.synonym) {
			best[m.field] = m
		}
	}
	for _, s := range synonyms[n] {
		consider(headerMatch{s.field, s.weight, n, s.lang})
	}
	words := strings.Fields(n)
	for k, ss := range synonyms {
		if k == n {
			continue
		}
		kw := strings.Fields(k)
		if len(kw) > len(words) || !containsWords(words, kw) {
			continue
		}
		share := float64(len(kw)) / float64(len(words))
		for _, s := range ss {
			consider(headerMatch{s.field, s.weight * (0.5 + 0.4*share), k, s.lang})
		}
	}
}

// containsWords: every word of sub is in words, in order and adjacent.
func containsWords(words, sub []string) bool {
	for i := 0; i+len(sub) <= len(words); i++ {
		ok := true
		for j := range sub {
			if words[i+j] != sub[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
