package demo

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The eight distributors: five send CSV, each in its own dialect; the last three send
// ANSI X12 867, UN/EDIFACT SLSRPT and Excel workbooks. Those three came later: their
// sales come on top of what their customers buy through the first five (see resell).
const (
	acme = iota
	bravo
	charlie
	delta
	echo
	foxtrot
	golf
	hotel
	nFeeds
)

// Feed formats, as config.yaml names them.
const (
	formatCSV     = "csv"
	formatX12     = "x12-867"
	formatEDIFACT = "edifact-slsrpt"
	formatXLSX    = "xlsx"
)

// wrapping is the container a feed's files come in.
type wrapping int

const (
	plain   wrapping = iota
	gzipped          // name.csv.gz holding name.csv
	zipped           // name.zip holding name.csv
)

// dialect is a CSV dialect, with the meaning of the feeds[].csv keys of config.yaml.
type dialect struct {
	delimiter, quote rune
	encoding         string // utf-8 | windows-1252 | iso-8859-15
	bom              bool   // UTF-8 files only
	crlf             bool
	decimal          string // "." or ","
	thousands        string // "" or one character
	headerRow        int    // 1-based
	dateFormat       string // strptime
}

// column is one column of a feed's files: its header and the canonical field it holds,
// or "description" for the product's description, which no canonical field takes.
type column struct{ header, field string }

// feedDef is a distributor's feed: its files, their dialect, and how the distributor
// reports its customers.
type feedDef struct {
	code     string // the distributor's code in every table
	source   string // the local source's name, and its folder under drop/
	name     string // the feed's name in config.yaml
	about    string // comment above the feed in config.yaml
	format   string // as config.yaml names it; "" is csv
	match    string // glob on file names
	weekly   bool   // one file per ISO week rather than per month
	file     func(start time.Time) string
	wrap     wrapping
	dialect  dialect                           // CSV files; also the number and date formats of cell
	preamble func(from, to time.Time) []string // lines above the header
	columns  []column                          // CSV and Excel files
	edi      ediParties                        // X12 and EDIFACT files
	defaults [][2]string
	mode     string
	every    string // expected_every

	// share is the weight as the main distributor of a French partner; 0 for the
	// distributors of the other formats, whose customers are drawn by resale.
	share        float64
	account      func(n int) string
	firstAccount int
	accountGap   int // account numbers grow by 1 to accountGap between customers
	spellings    []spelling
	spellWeights []float64
	// registration is what the registration column carries, "siret" or "siren".
	registration  string
	pRegistration float64                            // share of lines with the registration filled in
	pVAT          float64                            // share of lines with the VAT number filled in
	pEndCustomer  float64                            // share of project orders naming the end customer
	invoice       func(date time.Time, n int) string // nil: the files carry no invoice number
	badDate       func(date time.Time) string        // how a garbled date looks
	ownCatalogue  bool                               // products by the distributor's item codes
	upperCity     bool
	shortPostcode bool // postcodes went through a spreadsheet: 06000 became 6000
}

var feeds = [nFeeds]feedDef{
	acme: {
		code: "ACME", source: "acme", name: "acme-monthly",
		about: "ACME (France): Windows-1252, ';', French decimals, monthly files, SIRET on most lines",
		match: "ACME_ventes_*.csv",
		file:  func(t time.Time) string { return "ACME_ventes_" + t.Format("200601") + ".csv" },
		dialect: dialect{delimiter: ';', quote: '"', encoding: "windows-1252", crlf: true,
			decimal: ",", thousands: " ", headerRow: 1, dateFormat: "%d/%m/%Y"},
		columns: []column{
			{"Date facture", "invoice_date"}, {"N° facture", "invoice_number"},
			{"Code client", "reseller_id"}, {"Raison sociale", "reseller_name"},
			{"SIRET", "reseller_registration"}, {"Adresse", "reseller_address"},
			{"CP", "reseller_postcode"}, {"Ville", "reseller_city"},
			{"Réf fabricant", "sku"}, {"Désignation", "description"}, {"Qté", "quantity"},
			{"PU HT €", "unit_price"}, {"Montant HT €", "amount"},
		},
		defaults: [][2]string{{"currency", "EUR"}, {"reseller_country", "FR"}},
		mode:     "append", every: "35d",
		share:   0.34,
		account: func(n int) string { return fmt.Sprintf("AC-%05d", n) }, firstAccount: 100, accountGap: 7,
		spellings:    []spelling{asListed, upperASCII, upperFormMoved, abbreviated},
		spellWeights: []float64{0.3, 0.3, 0.2, 0.2},
		registration: "siret", pRegistration: 0.85,
		invoice: func(d time.Time, n int) string { return fmt.Sprintf("FA%s-%06d", d.Format("0601"), n) },
		badDate: func(d time.Time) string { return fmt.Sprintf("32/%02d/%04d", d.Month(), d.Year()) },
	},
	bravo: {
		code: "BRAVO", source: "bravo", name: "bravo-monthly",
		about: "BRAVO (Europe): gzip, UTF-8, ',', ISO dates, EUR/GBP/CHF/USD, VAT numbers",
		match: "BRAVO_sales_*.csv.gz",
		file:  func(t time.Time) string { return "BRAVO_sales_" + t.Format("2006-01") + ".csv.gz" },
		wrap:  gzipped,
		dialect: dialect{delimiter: ',', quote: '"', encoding: "utf-8",
			decimal: ".", headerRow: 1, dateFormat: "%Y-%m-%d"},
		columns: []column{
			{"Invoice Date", "invoice_date"}, {"Invoice No", "invoice_number"},
			{"Customer No", "reseller_id"}, {"Customer Name", "reseller_name"},
			{"VAT No", "reseller_vat"}, {"Street", "reseller_address"},
			{"Postcode", "reseller_postcode"}, {"City", "reseller_city"},
			{"Country", "reseller_country"}, {"End Customer", "end_customer_name"},
			{"End Customer Country", "end_customer_country"}, {"Part No", "sku"}, {"EAN", "gtin"},
			{"Qty", "quantity"}, {"Unit Price", "unit_price"}, {"Net Amount", "amount"},
			{"Currency", "currency"},
		},
		mode: "append", every: "35d",
		share:   0.10,
		account: func(n int) string { return fmt.Sprintf("BR%06d", n) }, firstAccount: 104000, accountGap: 30,
		spellings:    []spelling{asListed, upperASCII},
		spellWeights: []float64{0.6, 0.4},
		pVAT:         0.9, pEndCustomer: 0.15,
		invoice: func(_ time.Time, n int) string { return fmt.Sprintf("INV%08d", 40_000_000+n) },
		badDate: func(d time.Time) string { return fmt.Sprintf("%04d-13-%02d", d.Year(), d.Day()) },
	},
	charlie: {
		code: "CHARLIE", source: "charlie", name: "charlie-weekly",
		about: "CHARLIE: UTF-8 with BOM, tab, 3-line preamble, dates YYYYMMDD, its own item codes, weekly files",
		match: "CHARLIE_sellout_*.tsv", weekly: true,
		file: func(t time.Time) string {
			y, w := t.ISOWeek()
			return fmt.Sprintf("CHARLIE_sellout_%04dW%02d.tsv", y, w)
		},
		dialect: dialect{delimiter: '\t', quote: '"', encoding: "utf-8", bom: true, crlf: true,
			decimal: ".", headerRow: 4, dateFormat: "%Y%m%d"},
		preamble: func(from, to time.Time) []string {
			return []string{
				"CHARLIE DISTRIBUTION - Rapport sell-out fabricant",
				"Période du " + from.Format("02/01/2006") + " au " + to.Format("02/01/2006"),
				strings.Repeat("\t", 11),
			}
		},
		columns: []column{
			{"DocDate", "invoice_date"}, {"DocNo", "invoice_number"},
			{"AcctNo", "reseller_id"}, {"AcctName", "reseller_name"}, {"VATNo", "reseller_vat"},
			{"Zip", "reseller_postcode"}, {"Town", "reseller_city"},
			{"ItemCode", "distributor_sku"}, {"ItemDesc", "description"}, {"Qty", "quantity"},
			{"NetPrice", "unit_price"}, {"LineTotal", "amount"},
		},
		defaults: [][2]string{{"currency", "EUR"}, {"reseller_country", "FR"}},
		mode:     "append", every: "8d",
		share:   0.20,
		account: func(n int) string { return fmt.Sprintf("%06d", n) }, firstAccount: 1000, accountGap: 20,
		spellings:    []spelling{truncated30},
		spellWeights: []float64{1},
		pVAT:         0.12,
		invoice:      func(_ time.Time, n int) string { return fmt.Sprintf("%07d", 1_200_000+n) },
		badDate:      func(d time.Time) string { return fmt.Sprintf("%04d13%02d", d.Year(), d.Day()) },
		ownCatalogue: true, upperCity: true,
	},
	delta: {
		code: "DELTA", source: "delta", name: "delta-monthly",
		about: "DELTA: ISO-8859-15, '|', decimals 1.234,56, dates DD.MM.YYYY, restated months replace the earlier file",
		match: "DELTA_*.csv",
		file:  func(t time.Time) string { return "DELTA_" + t.Format("200601") + ".csv" },
		dialect: dialect{delimiter: '|', quote: '"', encoding: "iso-8859-15",
			decimal: ",", thousands: ".", headerRow: 1, dateFormat: "%d.%m.%Y"},
		columns: []column{
			{"Belegdatum", "invoice_date"}, {"Belegnr", "invoice_number"},
			{"Kundennr", "reseller_id"}, {"Kunde", "reseller_name"}, {"SIREN", "reseller_registration"},
			{"PLZ", "reseller_postcode"}, {"Ort", "reseller_city"}, {"Artikelnr", "sku"},
			{"Menge", "quantity"}, {"Einzelpreis", "unit_price"}, {"Betrag", "amount"},
			{"Währung", "currency"},
		},
		defaults: [][2]string{{"reseller_country", "FR"}},
		mode:     "replace_period", every: "35d",
		share:   0.18,
		account: func(n int) string { return fmt.Sprintf("K%05d", n) }, firstAccount: 10000, accountGap: 9,
		spellings:    []spelling{asListed, coreOnly},
		spellWeights: []float64{0.5, 0.5},
		registration: "siren", pRegistration: 0.5,
		invoice: func(d time.Time, n int) string { return fmt.Sprintf("RE%s-%06d", d.Format("06"), n) },
		badDate: func(d time.Time) string { return fmt.Sprintf("00.%02d.%04d", d.Month(), d.Year()) },
	},
	echo: {
		code: "ECHO", source: "echo", name: "echo-monthly",
		about: "ECHO: a zip holding one CSV, ',' with ' as quote, GTINs, no amount (quantity x unit price), EUR by default",
		match: "ECHO_*.zip",
		file:  func(t time.Time) string { return "ECHO_" + t.Format("200601") + ".zip" },
		wrap:  zipped,
		dialect: dialect{delimiter: ',', quote: '\'', encoding: "utf-8", crlf: true,
			decimal: ".", headerRow: 1, dateFormat: "%Y-%m-%d"},
		columns: []column{
			{"date", "invoice_date"}, {"code_client", "reseller_id"}, {"client", "reseller_name"},
			{"adresse", "reseller_address"}, {"cp", "reseller_postcode"}, {"ville", "reseller_city"},
			{"ean13", "gtin"}, {"quantite", "quantity"}, {"prix_unitaire", "unit_price"},
		},
		defaults: [][2]string{{"currency", "EUR"}, {"reseller_country", "FR"}},
		mode:     "append", every: "35d",
		share:   0.18,
		account: func(n int) string { return fmt.Sprintf("E%04d", n) }, firstAccount: 1000, accountGap: 5,
		spellings:     []spelling{asListed, coreOnly, abbreviated},
		spellWeights:  []float64{0.3, 0.4, 0.3},
		badDate:       func(time.Time) string { return "n/a" },
		shortPostcode: true,
	},
	foxtrot: {
		code: "FOXTROT", source: "foxtrot", name: "foxtrot-867",
		about:   "FOXTROT: ANSI X12 867 4010, monthly, EUR, its account numbers and VAT numbers; a month restated later by a BPT 05 report",
		format:  formatX12,
		match:   "FOXTROT_867_*.x12",
		file:    func(t time.Time) string { return "FOXTROT_867_" + t.Format("200601") + ".x12" },
		dialect: dialect{decimal: ".", dateFormat: "%Y%m%d"},
		edi: ediParties{sender: "FOXTROTDIST", senderName: "FOXTROT DISTRIBUTION SAS", receiver: "SALESOUTMFR",
			receiverName: "SALESOUT MANUFACTURING"},
		mode: "append", every: "35d",
		account: func(n int) string { return fmt.Sprintf("F%06d", n) }, firstAccount: 200_000, accountGap: 40,
		spellings:    []spelling{upperASCII, abbreviated},
		spellWeights: []float64{0.75, 0.25},
		pVAT:         0.85,
		invoice:      func(d time.Time, n int) string { return fmt.Sprintf("%s%07d", d.Format("06"), 3_000_000+n) },
		badDate:      func(d time.Time) string { return fmt.Sprintf("%04d%02d32", d.Year(), d.Month()) },
		upperCity:    true,
	},
	golf: {
		code: "GOLF", source: "golf", name: "golf-slsrpt",
		about:   "GOLF: UN/EDIFACT SLSRPT D96A, monthly, UNOC (Latin-1), location first, GTINs and SKUs, VAT numbers",
		format:  formatEDIFACT,
		match:   "GOLF_SLSRPT_*.edi",
		file:    func(t time.Time) string { return "GOLF_SLSRPT_" + t.Format("200601") + ".edi" },
		dialect: dialect{decimal: ".", dateFormat: "%Y%m%d"},
		edi: ediParties{sender: gtin13("541234500001"), senderName: "GOLF Distribution", receiver: gtin13(gtinPrefix + "0000"),
			receiverName: "Salesout Manufacturing"},
		mode: "append", every: "35d",
		account: func(n int) string { return fmt.Sprintf("%07d", n) }, firstAccount: 4_100_000, accountGap: 60,
		spellings:    []spelling{asListed, upperFormMoved},
		spellWeights: []float64{0.8, 0.2},
		pVAT:         0.9,
		badDate:      func(d time.Time) string { return fmt.Sprintf("%04d%02d00", d.Year(), d.Month()) },
	},
	hotel: {
		code: "HOTEL", source: "hotel", name: "hotel-monthly",
		about:  "HOTEL: Excel workbook, monthly, sheet Ventes (title rows, header on row 3, totals row), date cells, SIRET, no account numbers",
		format: formatXLSX,
		match:  "HOTEL_ventes_*.xlsx",
		file:   func(t time.Time) string { return "HOTEL_ventes_" + t.Format("200601") + ".xlsx" },
		// The workbook's header row, and the format of a date typed as text.
		dialect: dialect{decimal: ".", headerRow: 3, dateFormat: "%d/%m/%Y"},
		columns: []column{
			{"Date facture", "invoice_date"}, {"N° facture", "invoice_number"},
			{"Client", "reseller_name"}, {"SIRET", "reseller_registration"},
			{"Adresse", "reseller_address"}, {"CP", "reseller_postcode"}, {"Ville", "reseller_city"},
			{"Réf. fabricant", "sku"}, {"Désignation", "description"}, {"Quantité", "quantity"},
			{"Prix unitaire HT", "unit_price"}, {"Montant HT", "amount"},
		},
		defaults: [][2]string{{"currency", "EUR"}, {"reseller_country", "FR"}},
		mode:     "append", every: "35d",
		// Its account numbers stay in its ERP: the workbook names its customers.
		account: func(n int) string { return fmt.Sprintf("H%05d", n) }, firstAccount: 100, accountGap: 3,
		spellings:    []spelling{asListed, upperASCII},
		spellWeights: []float64{0.6, 0.4},
		registration: "siret", pRegistration: 0.8,
		invoice: func(d time.Time, n int) string { return fmt.Sprintf("FH%s/%05d", d.Format("2006"), n) },
		badDate: func(d time.Time) string { return fmt.Sprintf("30/02/%04d", d.Year()) },
	},
}

// xlsxSheet is the sheet of HOTEL's workbooks holding the sales.
const xlsxSheet = "Ventes"

// feedShares are the feeds' weights as a French partner's main distributor, up to the
// last feed with a share (the distributors of the other formats have none).
func feedShares() []float64 {
	w := make([]float64, nFeeds)
	n := 0
	for i, f := range feeds {
		if w[i] = f.share; f.share > 0 {
			n = i + 1
		}
	}
	return w[:n]
}

// period is the first day of the period (month or ISO week) of a file holding date d.
func (f *feedDef) period(d time.Time) time.Time {
	if f.weekly {
		return d.AddDate(0, 0, -(int(d.Weekday())+6)%7)
	}
	return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// periodEnd is the last day of the period starting at start.
func (f *feedDef) periodEnd(start time.Time) time.Time {
	if f.weekly {
		return start.AddDate(0, 0, 6)
	}
	return start.AddDate(0, 1, -1)
}

// cell is the text of field on line l, as this distributor writes it.
func (f *feedDef) cell(field string, l *line) string {
	p, d := l.party, f.dialect
	switch field {
	case "invoice_date":
		if l.bad == badDate {
			return f.badDate(l.date)
		}
		return l.date.Format(goLayout(d.dateFormat))
	case "invoice_number":
		return l.invoice
	case "reseller_id":
		return p.accounts[l.feed]
	case "reseller_name":
		return p.spellings[l.feed]
	case "reseller_registration":
		switch {
		case !l.withRegistration:
			return ""
		case f.registration == "siren":
			return p.siren
		}
		return p.siret
	case "reseller_vat":
		if l.withVAT {
			return p.vatPrinted
		}
		return ""
	case "reseller_address":
		return p.address
	case "reseller_postcode":
		if f.shortPostcode {
			return strings.TrimLeft(p.postcode, "0")
		}
		return p.postcode
	case "reseller_city":
		if f.upperCity {
			return strings.ToUpper(ascii(p.city))
		}
		return p.city
	case "reseller_country":
		return p.country
	case "end_customer_name":
		return l.endCustomer
	case "end_customer_country":
		if l.endCustomer != "" {
			return p.country
		}
		return ""
	case "sku":
		if l.bad == badProduct {
			return ""
		}
		return l.product.sku
	case "distributor_sku":
		if l.bad == badProduct {
			return ""
		}
		return l.product.charlieSKU
	case "gtin":
		if l.bad == badProduct {
			return ""
		}
		return l.product.gtin
	case "description":
		if f.ownCatalogue {
			return l.product.charlieDescription
		}
		return l.product.description
	case "quantity":
		if l.bad == badQuantity {
			return "douze"
		}
		return d.integer(int64(l.qty))
	case "unit_price":
		return d.money(l.price)
	case "amount":
		return d.money(l.amount())
	case "currency":
		return l.currency
	}
	panic("demo: no cell for field " + field)
}

var strptimeToGo = strings.NewReplacer("%d", "02", "%m", "01", "%Y", "2006", "%y", "06")

// goLayout turns the strptime formats the feeds use into Go time layouts.
func goLayout(strptime string) string { return strptimeToGo.Replace(strptime) }

// integer writes n with the dialect's thousands separator.
func (d dialect) integer(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	s := strconv.FormatInt(n, 10)
	if d.thousands != "" {
		for i := len(s) - 3; i > 0; i -= 3 {
			s = s[:i] + d.thousands + s[i:]
		}
	}
	return sign + s
}

// money writes an amount in cents with two decimals, as the dialect writes numbers.
func (d dialect) money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	frac := cents % 100
	return sign + d.integer(cents/100) + d.decimal + string([]byte{byte('0' + frac/10), byte('0' + frac%10)})
}
