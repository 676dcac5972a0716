package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Company identifiers (SIREN, SIRET, VAT numbers) with valid check digits, and the ways
// distributors spell company names.

// newSIREN is a 9-digit French company number with its Luhn check digit; it never
// starts with 0, so that no reader can lose a leading zero.
func newSIREN(r *rand.Rand) string {
	s := fmt.Sprintf("%d%07d", between(r, 3, 9), r.IntN(10_000_000))
	return s + luhnDigit(s)
}

// siretOf is the 14-digit number of establishment n (1, 2...) of the company siren.
func siretOf(siren string, n int) string {
	s := fmt.Sprintf("%s%04d", siren, n)
	return s + luhnDigit(s)
}

// luhnDigit is the digit that makes digits+digit pass the Luhn check.
func luhnDigit(digits string) string {
	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return strconv.Itoa((10 - sum%10) % 10)
}

// frVAT is the French VAT number of a SIREN: FR, a 2-digit key, the SIREN.
func frVAT(siren string) string {
	n, _ := strconv.Atoi(siren)
	return fmt.Sprintf("FR%02d%s", (12+3*(n%97))%97, siren)
}

// beVAT is a Belgian VAT number: BE, 8 digits starting with 0, and their mod-97 check.
func beVAT(r *rand.Rand) string {
	n := 2_000_000 + r.IntN(8_000_000)
	return fmt.Sprintf("BE%08d%02d", n, 97-n%97)
}

// chUID is a Swiss company number CHE + 9 digits, the last a mod-11 check.
func chUID(r *rand.Rand) string {
	weights := []int{5, 4, 3, 2, 7, 6, 5, 4}
	for {
		digits := fmt.Sprintf("%08d", 10_000_000+r.IntN(90_000_000))
		sum := 0
		for i, w := range weights {
			sum += int(digits[i]-'0') * w
		}
		if c := (11 - sum%11) % 11; c < 10 {
			return "CHE" + digits + strconv.Itoa(c)
		}
	}
}

// ukVAT is a British VAT number: GB and 9 digits.
func ukVAT(r *rand.Rand) string { return fmt.Sprintf("GB%09d", 100_000_000+r.IntN(900_000_000)) }

// printedVAT is how a distributor's system prints a VAT number: Swiss ones with dots and
// the tax's name, others sometimes grouped with spaces.
func printedVAT(r *rand.Rand, vat, country, region string) string {
	switch country {
	case "CH":
		suffix := "MWST"
		switch region {
		case "Genève", "Vaud", "Fribourg", "Neuchâtel":
			suffix = "TVA"
		}
		return fmt.Sprintf("CHE-%s.%s.%s %s", vat[3:6], vat[6:9], vat[9:], suffix)
	case "FR":
		if chance(r, 0.2) {
			return vat[:2] + " " + vat[2:4] + " " + vat[4:7] + " " + vat[7:10] + " " + vat[10:]
		}
	case "GB":
		if chance(r, 0.3) {
			return vat[:2] + " " + vat[2:5] + " " + vat[5:9] + " " + vat[9:]
		}
	}
	return vat
}

// spelling is one way a distributor's system writes a company name.
type spelling int

const (
	asListed       spelling = iota // as in the channel database
	upperASCII                     // SARL DUPONT ELECTRICITE
	upperFormMoved                 // DUPONT ÉLECTRICITÉ SARL for SARL Dupont Électricité
	abbreviated                    // DUPONT ELEC, legal form dropped
	coreOnly                       // Dupont Electricite
	truncated30                    // upperASCII with the legal form first, cut at 30 characters
)

// spell writes the name of p the way s does.
func (p *party) spell(s spelling) string {
	switch s {
	case upperASCII:
		return strings.ToUpper(ascii(p.name))
	case upperFormMoved:
		if p.formFirst {
			return strings.ToUpper(p.core + " " + p.form)
		}
		return strings.ToUpper(p.form + " " + p.core)
	case abbreviated:
		words := strings.Fields(strings.ToUpper(ascii(p.core)))
		for i, w := range words {
			if a, ok := abbreviations[w]; ok {
				words[i] = a
			}
		}
		return strings.Join(words, " ")
	case coreOnly:
		return ascii(p.core)
	case truncated30:
		return strings.TrimSpace(truncate(strings.ToUpper(ascii(p.form+" "+p.core)), 30))
	}
	return p.name
}

var asciiFold = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ÿ", "y",
	"œ", "oe", "æ", "ae", "À", "A", "Â", "A", "Ä", "A", "Ç", "C", "É", "E", "È", "E",
	"Ê", "E", "Ë", "E", "Î", "I", "Ï", "I", "Ô", "O", "Ö", "O", "Ù", "U", "Û", "U", "Ü", "U",
	"Œ", "OE", "Æ", "AE", "×", "x", "–", "-", "€", "EUR",
)

// ascii folds the accented letters of French and German names to plain ASCII.
func ascii(s string) string { return asciiFold.Replace(s) }

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
