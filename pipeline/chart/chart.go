// Package chart draws the small trend chart of the alert e-mails and the business-review
// pack: a scope's monthly actual (bars) against its target and last year (lines), as a
// PNG of 600 x 260 pixels, legible on a phone. It uses github.com/go-analyze/charts,
// whose fonts are embedded: no network, no system font, and the same bytes for the
// same input.
package chart

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/go-analyze/charts"

	"github.com/salesout/salesout/pipeline/explain"
)

// Size of the PNG, in pixels.
const (
	Width  = 600
	Height = 260
)

// TrendInput is what Trend draws: a title (a scope's name and KPI, may be empty), the
// unit of the values (a currency code, "units"; shown after the title) and the months
// of explain.Explanation.Months.
type TrendInput struct {
	Title, Unit string
	Months      []explain.Month
}

// maxTitle is the most characters of a title shown, with its unit.
const maxTitle = 24

// Series names, as the legend shows them.
const (
	nameActual   = "Actual"
	nameTarget   = "Target"
	nameLastYear = "Last year"
)

var (
	colorActual   = charts.ColorRGB(0x2f, 0x6f, 0xb1)
	colorTarget   = charts.ColorRGB(0xd9, 0x62, 0x1f)
	colorLastYear = charts.ColorRGB(0x8a, 0x94, 0x9e)
)

// Trend draws the months as a PNG: actual as bars, target and last year as lines (a line
// whose values are all 0 is left out: no target, or no sales last year). The month of
// as_of, when not complete, is labelled with a "*" (its figures are to as_of).
func Trend(in TrendInput) ([]byte, error) {
	if len(in.Months) == 0 {
		return nil, errors.New("chart: no month to draw")
	}
	labels := make([]string, len(in.Months))
	var actual, target, lastYear []float64
	var hasTarget, hasLastYear bool
	for i, m := range in.Months {
		labels[i] = m.Month.Format("Jan")
		if m.Partial {
			labels[i] += "*"
		}
		for _, v := range []float64{m.Actual, m.Target, m.LastYear} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("chart: %s: value %v cannot be drawn", labels[i], v)
			}
		}
		actual = append(actual, m.Actual)
		target = append(target, m.Target)
		lastYear = append(lastYear, m.LastYear)
		hasTarget = hasTarget || m.Target != 0
		hasLastYear = hasLastYear || m.LastYear != 0
	}
	series := charts.GenericSeriesList{{Type: charts.ChartTypeBar, Name: nameActual, Values: actual}}
	colors := []charts.Color{colorActual}
	if hasTarget {
		series = append(series, charts.GenericSeries{Type: charts.ChartTypeLine, Name: nameTarget, Values: target})
		colors = append(colors, colorTarget)
	}
	if hasLastYear {
		series = append(series, charts.GenericSeries{Type: charts.ChartTypeLine, Name: nameLastYear, Values: lastYear})
		colors = append(colors, colorLastYear)
	}
	names := make([]string, len(series))
	for i, s := range series {
		names[i] = s.Name
	}
	// Bars start at 0 with round steps, unless returns make a month negative.
	var yMin, yMax *float64
	labelCount := 0
	if slices.Min(actual) >= 0 && slices.Min(target) >= 0 && slices.Min(lastYear) >= 0 {
		top := max(slices.Max(actual), slices.Max(target), slices.Max(lastYear))
		step := niceStep(top / 5)
		n := math.Ceil(top/step - 1e-9)
		yMin, yMax, labelCount = charts.Ptr(0.0), charts.Ptr(n*step), int(n)+1
	}
	theme := charts.GetTheme(charts.ThemeLight).WithSeriesColors(colors)
	// The legend takes the right half of the top line: a long title is shortened.
	title, unit := strings.TrimSpace(in.Title), ""
	if in.Unit != "" && title != "" {
		unit = " (" + in.Unit + ")"
	}
	if r := []rune(title); len(r)+len([]rune(unit)) > maxTitle {
		title = strings.TrimSpace(string(r[:max(1, maxTitle-len([]rune(unit))-1)])) + "…"
	}
	title += unit
	opt := charts.ChartOption{
		OutputFormat: charts.ChartOutputPNG,
		Width:        Width,
		Height:       Height,
		Theme:        theme,
		Padding:      charts.NewBox(10, 10, 16, 10),
		SeriesList:   series,
		XAxis:        charts.XAxisOption{Labels: labels, LabelCount: len(labels), LabelFontStyle: charts.FontStyle{FontSize: 13}},
		YAxis: []charts.YAxisOption{{
			LabelFontStyle: charts.FontStyle{FontSize: 14},
			Min:            yMin,
			Max:            yMax,
			LabelCount:     labelCount,
			ValueFormatter: func(v float64) string { return charts.FormatValueHumanizeShort(v, 0, false) },
		}},
		Legend: charts.LegendOption{
			SeriesNames: names,
			FontStyle:   charts.FontStyle{FontSize: 13},
			Offset:      charts.OffsetStr{Left: charts.PositionRight},
		},
		Title:           charts.TitleOption{Text: title, FontStyle: charts.FontStyle{FontSize: 15}},
		LineStrokeWidth: 2.5,
		Symbol:          charts.Symbol{Shape: charts.SymbolCircle, Size: 3},
	}
	p, err := charts.Render(opt)
	if err != nil {
		return nil, fmt.Errorf("chart %q: %w", title, err)
	}
	b, err := p.Bytes()
	if err != nil {
		return nil, fmt.Errorf("chart %q: %w", title, err)
	}
	return b, nil
}

// niceStep is the smallest of 1, 2, 2.5 or 5 times a power of ten that is at least v
// (1 for v <= 0).
func niceStep(v float64) float64 {
	if v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v*(1-1e-12) {
			return m * p
		}
	}
	return 10 * p
}
