package truth

import (
	"strconv"
	"strings"
)

// This file holds the check-digit algorithms of the identifiers the corpus uses, in
// both directions: complete a number with its check digits, and verify one.

// luhnSum is the Luhn sum of digits (the rightmost digit is not doubled).
func luhnSum(digits string) int {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum
}

// luhnValid reports whether digits pass the Luhn check (SIREN, SIRET, Canadian BN,
// Italian partita IVA).
func luhnValid(digits string) bool { return allDigits(digits) && luhnSum(digits)%10 == 0 }

// luhnComplete appends the Luhn check digit to prefix.
func luhnComplete(prefix string) string {
	s := luhnSum(prefix + "0")
	return prefix + strconv.Itoa((10-s%10)%10)
}

// frVATKey is the two-digit key of a French VAT number for a SIREN.
func frVATKey(siren string) string {
	n, _ := strconv.Atoi(siren)
	return pad2((12 + 3*(n%97)) % 97)
}

// deVATCheck is the ISO 7064 MOD 11,10 check digit of a German USt-IdNr.
func deVATCheck(d8 string) byte {
	product := 10
	for i := 0; i < len(d8); i++ {
		sum := (int(d8[i]-'0') + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = (2 * sum) % 11
	}
	check := 11 - product
	if check == 10 {
		check = 0
	}
	return byte('0' + check)
}

// gbVATCheck is the two-digit modulus 97 check of a UK VAT number (7 digits before it).
func gbVATCheck(d7 string) string {
	sum := 0
	for i := 0; i < 7; i++ {
		sum += int(d7[i]-'0') * (8 - i)
	}
	return pad2((97 - sum%97) % 97)
}

// gbVATValid accepts both the old (sum ≡ 0) and new (sum + 55 ≡ 0) modulus 97 schemes.
func gbVATValid(d9 string) bool {
	if len(d9) != 9 || !allDigits(d9) {
		return false
	}
	sum := 0
	for i := 0; i < 7; i++ {
		sum += int(d9[i]-'0') * (8 - i)
	}
	check, _ := strconv.Atoi(d9[7:])
	return (sum+check)%97 == 0 || (sum+check+55)%97 == 0
}

// nlElfCheck is the "elfproef" check digit of a 9-digit Dutch RSIN (used in the old
// VAT numbers NLxxxxxxxxxB01); ok is false when no digit satisfies it.
func nlElfCheck(d8 string) (byte, bool) {
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(d8[i]-'0') * (9 - i)
	}
	c := sum % 11
	return byte('0' + c), c < 10
}

// beCheck is the two-digit modulus 97 check of a Belgian enterprise number.
func beCheck(d8 string) string {
	n, _ := strconv.Atoi(d8)
	return pad2(97 - n%97)
}

// esCIFCheck is the control digit of a Spanish CIF (for letters A and B) over its seven
// digits.
func esCIFCheck(d7 string) byte {
	sum := 0
	for i := 0; i < 7; i++ {
		d := int(d7[i] - '0')
		if i%2 == 0 {
			d *= 2
			d = d/10 + d%10
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// esNIFLetter is the control letter of a Spanish NIF/DNI (sole traders).
func esNIFLetter(d8 string) byte {
	n, _ := strconv.Atoi(d8)
	return "TRWAGMYFPDXBNJZSQVHLCKE"[n%23]
}

// chUIDCheck is the modulus 11 check digit of a Swiss UID; ok is false when it would be 10.
func chUIDCheck(d8 string) (byte, bool) {
	weights := [8]int{5, 4, 3, 2, 7, 6, 5, 4}
	sum := 0
	for i, w := range weights {
		sum += int(d8[i]-'0') * w
	}
	c := 11 - sum%11
	if c == 11 {
		c = 0
	}
	return byte('0' + c), c < 10
}

// acnCheck is the check digit of an Australian Company Number.
func acnCheck(d8 string) byte {
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(d8[i]-'0') * (8 - i)
	}
	return byte('0' + (10-sum%10)%10)
}

// abnValid checks an Australian Business Number (11 digits, modulus 89).
func abnValid(d11 string) bool {
	if len(d11) != 11 || !allDigits(d11) || d11[0] == '0' {
		return false
	}
	weights := [11]int{10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19}
	sum := 0
	for i, w := range weights {
		d := int(d11[i] - '0')
		if i == 0 {
			d--
		}
		sum += d * w
	}
	return sum%89 == 0
}

// abnFor prefixes nine digits (an ACN or any base) with the two ABN check digits.
func abnFor(d9 string) string {
	weights := [9]int{3, 5, 7, 9, 11, 13, 15, 17, 19}
	s := 0
	for i, w := range weights {
		s += int(d9[i]-'0') * w
	}
	x := (89 - s%89) % 89 // = 10*(first-1) + second
	return strconv.Itoa(x/10+1) + strconv.Itoa(x%10) + d9
}

// allDigits reports whether s is non-empty and only ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// pad2 writes n (0-99) on two digits.
func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// compact removes the separators people print identifiers with and upper-cases them.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '/', '\u00a0':
			return -1
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}
