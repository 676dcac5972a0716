// Package truth builds and reads a benchmark corpus with known truth for reseller
// matching: a synthetic channel database (companies) and the resellers as distributors
// report them in their sales-out feeds, each reseller labelled with the company it
// really is (or none) and with the difficulty it illustrates (its case).
//
// Generate builds a realistic, deterministic world for a seed: several countries with
// their legal forms, registration and VAT numbers (valid check digits), postcodes,
// street names and trade vocabulary; chains with many branches; near-identical names in
// the same town; companies that moved or changed their name; companies missing from the
// channel database. Write and Load store it as two CSV files, companies.csv and
// resellers.csv (UTF-8, comma-separated, header row, RFC 4180 quoting).
//
// The truth is meant to be defensible: a careful human holding all the data could decide
// it. Rows that no one could decide carry the case "ambiguous" (with the partner the
// distributor meant) so that evaluators count them as "should go to review".
package truth

// Company is one company of the channel database (companies.csv).
type Company struct {
	PartnerID    string // identifier in the channel database
	Name         string // legal or trading name as the channel database spells it
	Registration string // SIREN/SIRET, HRB, Companies House number, KvK... ("" when unknown)
	VAT          string // VAT (or GST/ABN) number, "" when unknown
	Address      string
	Postcode     string
	City         string
	Country      string // ISO 3166-1 alpha-2
}

// Reseller is one reseller as a distributor reports it (resellers.csv), with its truth.
type Reseller struct {
	Case          string // the difficulty this row illustrates: one of the case names below
	Distributor   string // distributor code (ACME, BRAVO...)
	ResellerID    string // the reseller's account number at that distributor
	Name          string
	Registration  string
	VAT           string
	Address       string
	Postcode      string
	City          string
	Country       string // as the distributor writes it: FR, France, FRA, or empty
	TruePartnerID string // the company it really is; "" = not in the channel database
}

// Corpus is a channel database and the resellers to match against it.
type Corpus struct {
	Companies []Company
	Resellers []Reseller
}

// Case names, in the order the README and the tests list them.
const (
	caseExactKey     = "exact_key"      // a valid registration or VAT number identifies it
	caseVariant      = "variant"        // spelling variants, typos, case, truncation
	caseLegalForm    = "legal_form"     // legal form added, dropped, moved or dotted
	caseAbbreviation = "abbreviation"   // Ets, Sté, Cie, Bros, Intl, St, Rd, av., bd...
	caseMissingIDs   = "missing_ids"    // no identifier: name and address only
	caseDensePC      = "dense_postcode" // a postcode shared by dozens of companies
	caseDecoy        = "decoy"          // near-identical names in the same town
	caseChainBranch  = "chain_branch"   // one branch of a chain, located by town/postcode
	caseAbsent       = "absent"         // not in the channel database
	caseRenamed      = "renamed"        // changed its name, same address
	caseMoved        = "moved"          // changed its address, same name
	caseAmbiguous    = "ambiguous"      // undecidable from the data: should go to review
)

// cases lists every case name.
var cases = []string{
	caseExactKey, caseVariant, caseLegalForm, caseAbbreviation, caseMissingIDs, caseDensePC,
	caseDecoy, caseChainBranch, caseAbsent, caseRenamed, caseMoved, caseAmbiguous,
}

// Column headers of the two files.
var (
	companyColumns  = []string{"partner_id", "name", "registration", "vat", "address", "postcode", "city", "country"}
	resellerColumns = []string{"case", "distributor", "reseller_id", "reseller_name", "reseller_registration",
		"reseller_vat", "reseller_address", "reseller_postcode", "reseller_city", "reseller_country", "true_partner_id"}
)

// File names inside a corpus directory.
const (
	companiesFile = "companies.csv"
	resellersFile = "resellers.csv"
)
