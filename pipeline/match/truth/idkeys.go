package truth

import (
	"fmt"
	"strings"
)

// idKeys reads a registration and a VAT number as they are printed (with spaces, dots,
// dashes, with or without country prefix, leading zeros lost) for a country, verifies
// their check digits and returns the identity keys they stand for: two records naming
// the same company share a key (a SIRET and a FR VAT number both give the SIREN). An
// empty field gives no key; a malformed or invalid one gives an error.
func idKeys(country, reg, vat string) ([]string, error) {
	var keys []string
	for _, f := range []struct {
		kind, value string
	}{{"registration", reg}, {"vat", vat}} {
		if strings.TrimSpace(f.value) == "" {
			continue
		}
		k, err := idKey(country, f.kind, compact(f.value))
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", f.kind, f.value, err)
		}
		keys = append(keys, k...)
	}
	return keys, nil
}

// idKey validates one compacted identifier of a country.
func idKey(country, kind, s string) ([]string, error) {
	bad := func(why string) ([]string, error) { return nil, fmt.Errorf("%s %s: %s", country, kind, why) }
	switch country {
	case "FR":
		s = strings.TrimPrefix(s, "FR")
		key := ""
		if len(s) == 11 { // VAT: key + SIREN
			key, s = s[:2], s[2:]
		}
		if len(s) != 9 && len(s) != 14 {
			return bad("want a SIREN (9 digits), a SIRET (14) or FRkk+SIREN")
		}
		if !luhnValid(s) || !luhnValid(s[:9]) {
			return bad("Luhn check fails")
		}
		if key != "" && key != frVATKey(s[:9]) {
			return bad("VAT key does not match the SIREN")
		}
		return []string{"FR:" + s[:9]}, nil
	case "DE":
		if i := max(strings.LastIndex(s, "HRA"), strings.LastIndex(s, "HRB")); i >= 0 && allDigits(s[i+3:]) {
			return []string{"DE:" + s[i:]}, nil
		}
		s = strings.TrimPrefix(s, "DE")
		if len(s) != 9 || !allDigits(s) || deVATCheck(s[:8]) != s[8] {
			return bad("want HRA/HRB n or a USt-IdNr with a valid check digit")
		}
		return []string{"DE:VAT" + s}, nil
	case "GB":
		if kind == "vat" {
			s = strings.TrimPrefix(s, "GB")
			if !gbVATValid(s) {
				return bad("modulus 97 check fails")
			}
			return []string{"GB:VAT" + s}, nil
		}
		if allDigits(s) && len(s) <= 8 {
			s = strings.Repeat("0", 8-len(s)) + s
		}
		if len(s) != 8 || !allDigits(s[2:]) {
			return bad("want a Companies House number")
		}
		return []string{"GB:" + s}, nil
	case "US":
		if len(s) != 9 || !allDigits(s) {
			return bad("want an EIN (9 digits)")
		}
		return []string{"US:" + s}, nil
	case "NL":
		if kind == "vat" {
			s = strings.TrimPrefix(s, "NL")
			if len(s) != 12 || s[9] != 'B' || !allDigits(s[:9]) {
				return bad("want NLnnnnnnnnnBnn")
			}
			if c, ok := nlElfCheck(s[:8]); !ok || c != s[8] {
				return bad("elfproef fails")
			}
			return []string{"NL:VAT" + s[:9]}, nil
		}
		s = strings.TrimPrefix(s, "KVK")
		if len(s) != 8 || !allDigits(s) {
			return bad("want a KvK number (8 digits)")
		}
		return []string{"NL:" + s}, nil
	case "BE":
		s = strings.TrimPrefix(s, "BE")
		if len(s) == 9 {
			s = "0" + s
		}
		if len(s) != 10 || !allDigits(s) || beCheck(s[:8]) != s[8:] {
			return bad("modulus 97 check fails")
		}
		return []string{"BE:" + s}, nil
	case "ES":
		s = strings.TrimPrefix(s, "ES")
		switch {
		case len(s) == 9 && (s[0] == 'A' || s[0] == 'B') && allDigits(s[1:]) && esCIFCheck(s[1:8]) == s[8]:
		case len(s) == 9 && allDigits(s[:8]) && esNIFLetter(s[:8]) == s[8]:
		default:
			return bad("want a CIF or NIF with a valid control character")
		}
		return []string{"ES:" + s}, nil
	case "IT":
		s = strings.TrimPrefix(s, "IT")
		if allDigits(s) && len(s) < 11 {
			s = strings.Repeat("0", 11-len(s)) + s
		}
		if len(s) != 11 || !luhnValid(s) {
			return bad("partita IVA check fails")
		}
		return []string{"IT:" + s}, nil
	case "CH":
		for _, suffix := range []string{"MWST", "TVA", "IVA"} {
			s = strings.TrimSuffix(s, suffix)
		}
		s = strings.TrimPrefix(s, "CHE")
		if len(s) != 9 || !allDigits(s) {
			return bad("want CHE-nnn.nnn.nnn")
		}
		if c, ok := chUIDCheck(s[:8]); !ok || c != s[8] {
			return bad("modulus 11 check fails")
		}
		return []string{"CH:" + s}, nil
	case "CA":
		if len(s) >= 9 && allDigits(s[:9]) && (len(s) == 9 || (len(s) == 15 && s[9:11] == "RT")) && luhnValid(s[:9]) {
			return []string{"CA:" + s[:9]}, nil
		}
		return bad("want a business number (9 digits, Luhn) with an optional RTnnnn account")
	case "AU":
		switch {
		case len(s) == 9 && allDigits(s) && acnCheck(s[:8]) == s[8]:
			return []string{"AU:" + s}, nil
		case abnValid(s):
			return []string{"AU:" + s[2:]}, nil
		}
		return bad("want an ACN or an ABN with valid check digits")
	}
	return bad("unknown country")
}
