package chart

import (
	"bytes"
	"flag"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline/explain"
)

var update = flag.Bool("update", false, "rewrite the golden PNG files in testdata/")

// sample is eleven months of a territory behind target, the last one partial.
func sample(withTarget, withLastYear bool) TrendInput {
	in := TrendInput{Title: "FR-IDF revenue", Unit: "EUR"}
	for m := 1; m <= 11; m++ {
		mo := explain.Month{Month: time.Date(2026, time.Month(m), 1, 0, 0, 0, 0, time.UTC),
			Actual: 40000 + 3000*float64(m%4) - 1500*float64(m)}
		if withTarget {
			mo.Target = 45000 + 1000*float64(m%3)
		}
		if withLastYear {
			mo.LastYear = 42000 + 2500*float64(m%4)
		}
		if m == 11 {
			mo.Partial = true
			mo.Actual, mo.Target, mo.LastYear = mo.Actual/2, mo.Target/2, mo.LastYear/2
		}
		in.Months = append(in.Months, mo)
	}
	return in
}

func TestTrend(t *testing.T) {
	tests := []struct {
		name string
		in   TrendInput
	}{
		{"full", sample(true, true)},
		{"no_target", sample(false, true)},
		{"first_year", sample(true, false)},
		{"one_month", TrendInput{Title: "P10114 <script>", Unit: "units", Months: sample(true, true).Months[:1]}},
		{"long_title", TrendInput{Title: "SARL Comptoir des Matériaux Martinez revenue", Unit: "EUR", Months: sample(true, true).Months}},
		{"returns", TrendInput{Months: []explain.Month{
			{Month: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Actual: -1200, Target: 500, LastYear: 300},
			{Month: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), Actual: 800, Target: 500, LastYear: 0},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Trend(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if got := img.Bounds().Size(); got.X != Width || got.Y != Height {
				t.Errorf("size %v, want %dx%d", got, Width, Height)
			}
			again, err := Trend(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, again) {
				t.Error("two renderings of the same input differ")
			}
			golden := filepath.Join("testdata", tt.name+".png")
			if *update {
				if err := os.WriteFile(golden, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(b, want) {
				t.Errorf("%s differs from the rendering (%d bytes, want %d); look at it and run with -update if right", golden, len(b), len(want))
			}
		})
	}
}

func TestTrendRefuses(t *testing.T) {
	if _, err := Trend(TrendInput{}); err == nil {
		t.Error("no month: want an error")
	}
	in := sample(true, true)
	in.Months[3].Actual = math.NaN()
	if _, err := Trend(in); err == nil {
		t.Error("NaN: want an error")
	}
}

func TestNiceStep(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{
		{0, 1}, {-3, 1}, {0.3, 0.5}, {1, 1}, {1.1, 2}, {2.2, 2.5}, {3, 5}, {9900, 10000}, {11000, 20000}, {22000, 25000},
	} {
		if got := niceStep(c.in); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("niceStep(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
