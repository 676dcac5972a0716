package truth

import "testing"

// BenchmarkGenerate builds a full-size world: 200,000 companies and 50,000 resellers.
func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		c := Generate(corpusSeed, 200000, 50000)
		if len(c.Companies) != 200000 || len(c.Resellers) != 50000 {
			b.Fatalf("got %d companies and %d resellers", len(c.Companies), len(c.Resellers))
		}
	}
}
