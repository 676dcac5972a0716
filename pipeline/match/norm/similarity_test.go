package norm

import (
	"math"
	"testing"
)

func TestJaroWinkler(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"MARTHA", "MARHTA", 0.9611},
		{"DWAYNE", "DUANE", 0.84},
		{"DIXON", "DICKSONX", 0.8133},
		{"DUPONT", "DUPONT", 1},
		{"", "DUPONT", 0},
		{"ABC", "XYZ", 0},
		{"ÉLAN", "ÉLAN", 1},
		{"ÉLAN", "ÉLAM", 0.8833},
	} {
		if got := JaroWinkler(c.a, c.b); math.Abs(got-c.want) > 0.0005 {
			t.Errorf("JaroWinkler(%q, %q) = %.4f, want %.4f", c.a, c.b, got, c.want)
		}
		if got, back := JaroWinkler(c.a, c.b), JaroWinkler(c.b, c.a); got != back {
			t.Errorf("JaroWinkler(%q, %q) not symmetric: %v %v", c.a, c.b, got, back)
		}
	}
}

func TestTokenSet(t *testing.T) {
	for _, c := range []struct {
		a, b []string
		want float64
	}{
		{[]string{"DUPONT", "ELECTRICITE"}, []string{"ELECTRICITE", "DUPONT"}, 1},
		{[]string{"DUPONT", "ELECTRICITE"}, []string{"DUPONT"}, 2.0 / 3},
		{[]string{"DUPONT", "DUPONT"}, []string{"DUPONT"}, 1},
		{[]string{"A"}, []string{"B"}, 0},
		{nil, nil, 0},
	} {
		if got := TokenSet(c.a, c.b); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("TokenSet(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestJaroWinklerMin(t *testing.T) {
	pairs := [][2]string{{"MARTHA", "MARHTA"}, {"DWAYNE", "DUANE"}, {"DUPONT", "DURAND"}, {"ABC", "XYZ"},
		{"DUPONT ELECTRICITE", "DUPOND ELECTRICITE"}, {"ÉLAN", "ÉLAM"}, {"", "A"}, {"SAME", "SAME"},
		{"AB", "ABCDEFGHIJ"}, {"dupont", "DUPONT"}, {"CRATE", "TRACE"}}
	for _, p := range pairs {
		full := JaroWinkler(p[0], p[1])
		for _, min := range []float64{0, 0.8, 0.9, 0.95} {
			got := JaroWinklerMin(p[0], p[1], min)
			if full >= min && got != full || full < min && got >= min {
				t.Errorf("JaroWinklerMin(%q, %q, %v) = %v, JaroWinkler = %v", p[0], p[1], min, got, full)
			}
		}
	}
}
