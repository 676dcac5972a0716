package norm

import (
	"strings"
	"testing"
)

func TestLegalFormsTable(t *testing.T) {
	countries := map[string]bool{}
	codes := map[string]string{}
	for _, f := range LegalForms() {
		countries[f.Country] = true
		if prev, ok := codes[f.Code]; ok && prev != f.Country {
			t.Errorf("ELF code %s listed for %s and %s", f.Code, prev, f.Country)
		}
		codes[f.Code] = f.Country
	}
	for _, c := range strings.Fields("FR DE GB US NL BE ES IT CH AT LU CA AU IE PT") {
		if !countries[c] {
			t.Errorf("no legal form for %s", c)
		}
	}
	if f, ok := LegalFormByCode("2HBR"); !ok || f.Country != "DE" {
		t.Errorf("LegalFormByCode(2HBR) = %+v, %v", f, ok)
	}
}

func TestLegalFormsCSVErrors(t *testing.T) {
	for _, bad := range []string{
		"code,country\nX,Y\n",
		"elf_code,country,abbreviations,name\nTOOLONG,FR,SA,x\n",
		"elf_code,country,abbreviations,name\n\"unclosed,FR,SA,x\n",
	} {
		if _, err := loadLegalForms(bad); err == nil {
			t.Errorf("loadLegalForms(%q) accepted", bad)
		}
	}
}
