// Package canon names the canonical sales-out line that every feed format is read into
// (shared/docs/contract.md, "Canonical line fields"). Parsers produce these fields as
// text; typing, validation and quarantine happen once, in pipeline/ingest/typing.go.
package canon

// Fields of a canonical line, in the order of the staging table's columns.
var Fields = []string{
	"invoice_date",
	"invoice_number",
	"reseller_id",
	"reseller_name",
	"reseller_vat",
	"reseller_registration",
	"reseller_address",
	"reseller_postcode",
	"reseller_city",
	"reseller_country",
	"end_customer_name",
	"end_customer_postcode",
	"end_customer_country",
	"sku",
	"distributor_sku",
	"gtin",
	"quantity",
	"unit_price",
	"amount",
	"currency",
}

var index = func() map[string]int {
	m := make(map[string]int, len(Fields))
	for i, f := range Fields {
		m[f] = i
	}
	return m
}()

// Index returns the position of field in Fields, or -1.
func Index(field string) int {
	if i, ok := index[field]; ok {
		return i
	}
	return -1
}

// Required field groups: a line needs at least one field of each group.
var Required = [][]string{
	{"invoice_date"},
	{"reseller_id", "reseller_name"},
	{"sku", "distributor_sku", "gtin"},
	{"quantity"},
}

// Line is one line of a feed file as text, as every format's parser produces it.
// Fields is indexed like Fields; a nil entry is an absent field.
type Line struct {
	LineNo int64  // 1-based position in the file (physical line, row or segment number)
	Raw    string // the line's text as read, for the quarantine
	Err    string // non-empty: the parser could not read this line (the reason)
	Fields []*string
}
