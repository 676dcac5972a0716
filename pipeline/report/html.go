package report

import (
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/salesout/salesout/pipeline/mail"
)

// pageTemplate is the business review. html/template escapes every value by its
// context; the only URL is the chart's src, a data: (or the caller's cid:) URI.
var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"num":    formatNumber,
	"signed": formatSigned,
	"pct":    formatPct,
	"date":   func(t time.Time) string { return t.Format("2 January 2006") },
	"month":  func(t time.Time) string { return t.Format("January 2006") },
	"share":  func(v float64) string { return formatPct(v * 100) },
	"lower":  strings.ToLower,
	"score":  func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
	"cls": func(v float64) string {
		if v < 0 {
			return "neg"
		}
		return "pos"
	},
}).Parse(pageHTML))

// formatNumber writes v with thousands separators (mail.Number): no decimals from 100
// up, two below; the minus is U+2212.
func formatNumber(v float64) string {
	decimals := 0
	if math.Abs(v) < 100 && v != math.Trunc(v) {
		decimals = 2
	}
	return strings.Replace(mail.Number(v, decimals), "-", "\u2212", 1)
}

// formatSigned is formatNumber with a + before a positive value.
func formatSigned(v float64) string {
	s := formatNumber(v)
	if v > 0 && strings.Trim(s, "0.,") != "" {
		return "+" + s
	}
	return s
}

// formatPct writes a percentage with one decimal and a sign when negative.
func formatPct(v float64) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', 1, 64)
	if v < 0 && s != "0.0" {
		s = "\u2212" + s
	}
	return s + "\u00a0%"
}

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Business review: {{.Name}} ({{.ScopeLabel}}), {{month .AsOf}}</title>
<style>
body { margin: 0; padding: 0; background: #f3f4f6; color: #1f2933; font: 14px/1.45 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
.page { max-width: 960px; margin: 0 auto; padding: 16px; }
.card { background: #ffffff; border: 1px solid #d9dee3; border-radius: 6px; padding: 14px 16px; margin: 0 0 14px 0; }
h1 { font-size: 22px; margin: 4px 0 2px 0; }
h2 { font-size: 17px; margin: 0 0 10px 0; color: #12263a; }
h3 { font-size: 14px; margin: 12px 0 6px 0; color: #3e4c59; }
.sub { color: #616e7c; margin: 0 0 8px 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #e4e7eb; vertical-align: top; }
th { background: #f5f7fa; font-weight: 600; color: #3e4c59; }
td.n, th.n { text-align: right; white-space: nowrap; }
.neg { color: #b42318; }
.pos { color: #1e7b34; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; }
.critical { background: #fde2e1; color: #b42318; }
.warning { background: #fff1d6; color: #8a5300; }
.ok { background: #e3f4e8; color: #1e7b34; }
.figures td { border: 0; padding: 2px 6px 2px 0; }
.figures td.k { color: #616e7c; width: 45%; }
img.chart { width: 100%; max-width: 600px; height: auto; display: block; margin: 8px 0; }
.note { color: #616e7c; font-size: 12px; }
.wrap { overflow-x: auto; }
</style>
</head>
<body>
<div class="page">
<div class="card">
<p class="sub">Business review &middot; {{.ScopeLabel}} {{.ID}} &middot; {{month .AsOf}}</p>
<h1>{{.Name}}</h1>
{{if .Detail}}<p class="sub">{{.Detail}}</p>{{end}}
<p class="note">Figures as of {{date .AsOf}}: year to date from 1 January, against the same dates last year.</p>
</div>
{{range .KPIs}}
<div class="card">
<h2>Attainment: {{if eq .KPI "units"}}units{{else}}revenue ({{.Unit}}){{end}}
{{if .Severity}} <span class="badge {{.Severity}}">{{.Severity}}</span>{{end}}</h2>
<table class="figures" role="presentation">
<tr><td class="k">Year to date</td><td class="n">{{num .Actual}}</td></tr>
{{if .HasTarget}}<tr><td class="k">Target to date</td><td class="n">{{num .Target}}</td></tr>
<tr><td class="k">Attainment</td><td class="n"><span class="{{cls .DeviationPct}}">{{pct .Attained}}</span> ({{pct .DeviationPct}} against target)</td></tr>
<tr><td class="k">Annual target</td><td class="n">{{num .AnnualTarget}}</td></tr>{{end}}
<tr><td class="k">Same period last year</td><td class="n">{{num .LastYear}}{{if .HasLastYear}} (<span class="{{cls .YoYPct}}">{{pct .YoYPct}}</span>){{end}}</td></tr>
<tr><td class="k">Pace to year end</td><td class="n">{{num .PaceYearEnd}}</td></tr>
{{if .HasTarget}}<tr><td class="k">Needed per remaining month</td><td class="n">{{if .NeededPerMonth}}{{num .NeededPerMonth}}{{else}}target reached{{end}}</td></tr>{{end}}
{{if .Unattributed}}<tr><td class="k">Unrecognised resellers in the area</td><td class="n">{{num .Unattributed}}</td></tr>{{end}}
</table>
<img class="chart" src="{{.Chart}}" width="600" height="260" alt="{{.KPI}} by month: actual against target and last year">
<p class="note">Bars: actual per month; lines: target{{if eq .Phasing "last_year"}} (spread like last year's sales){{else if eq .Phasing "monthly"}} (monthly targets){{end}} and last year. The last month, marked *, is to {{date .AsOf}}.
Pace: {{if eq .PaceMethod "last_year"}}this year so far &times; last year's full year / last year to the same date{{else if eq .PaceMethod "target_phasing"}}this year so far / the share of the target due by now{{else}}this year so far, spread evenly over the year{{end}}.
{{if .Unattributed}}Unrecognised resellers: sales of resellers not matched to the channel database whose postcode lies in the territory; they count in no partner.{{end}}</p>
</div>
{{end}}
{{if .Contributors}}
<div class="card">
<h2>What makes the gap</h2>
<p class="note">Within the {{lower .ScopeLabel}}: year to date against the same period last year; the largest drops, the largest rises, then the others.</p>
{{range .Contributors}}
<h3>{{.Title}}</h3>
<div class="wrap"><table>
<tr><th>{{if eq .Kind "partner"}}Partner{{else if eq .Kind "distributor"}}Distributor{{else}}Product line{{end}}</th><th class="n">This year</th><th class="n">Last year</th><th class="n">Change</th></tr>
{{range .Rows}}<tr><td>{{.Name}}{{if .Town}}, {{.Town}}{{end}}</td><td class="n">{{num .Actual}}</td><td class="n">{{num .LastYear}}</td><td class="n {{cls .Delta}}">{{signed .Delta}}</td></tr>
{{end}}</table></div>
{{end}}
</div>
{{end}}
<div class="card">
<h2>Loyalty movements</h2>
{{with .Movements}}
<p class="note">Partners' loyalty class now against one window (12 months) earlier: {{.Changed}} changed class.</p>
{{if .AnyMatrix}}<div class="wrap"><table>
<tr><th>from \ to</th>{{range .Classes}}<th class="n">{{.}}</th>{{end}}</tr>
{{range $i, $row := .Matrix}}<tr><th>{{index $.Movements.Classes $i}}</th>{{range $row}}<td class="n">{{if .}}{{.}}{{else}}&middot;{{end}}</td>{{end}}</tr>
{{end}}</table></div>{{end}}
{{if .Moves}}<h3>Changes of class, the most revenue lost first</h3>
<div class="wrap"><table>
<tr><th>Partner</th><th>Class</th><th class="n">Revenue 12 months</th><th class="n">Before</th></tr>
{{range .Moves}}<tr><td>{{.Name}}{{if .City}}, {{.City}}{{end}}</td><td>{{.LoyaltyPrev}} &rarr; {{.Loyalty}}</td><td class="n">{{num .Revenue}}</td><td class="n">{{num .RevenuePrev}}</td></tr>
{{end}}</table></div>{{end}}
{{if not .SinceRun.IsZero}}<h3>Since the run of {{date .SinceRun}}</h3>
{{if .RunMoves}}<div class="wrap"><table>
<tr><th>Partner</th><th>Class</th><th class="n">Revenue 12 months</th></tr>
{{range .RunMoves}}<tr><td>{{.Name}}{{if .City}}, {{.City}}{{end}}</td><td>{{.RunFromLoyalty.String}} &rarr; {{.Loyalty}}</td><td class="n">{{num .Revenue}}</td></tr>
{{end}}</table></div>{{else}}<p class="note">No partner changed class.</p>{{end}}{{end}}
{{end}}
</div>
<div class="card">
<h2>Coverage and white spaces</h2>
{{with .Coverage}}
<table class="figures" role="presentation">
<tr><td class="k">Partners in the channel database</td><td class="n">{{.Partners}}</td></tr>
<tr><td class="k">Bought in the last 12 months</td><td class="n">{{.Active}} ({{pct .CoveragePct}})</td></tr>
<tr><td class="k">Revenue, 12 months</td><td class="n">{{num .Revenue}}</td></tr>
{{if .HasShare}}<tr><td class="k">Share of wallet</td><td class="n">{{share .ShareOfWallet}} of {{num .Potential}}</td></tr>{{end}}
<tr><td class="k">Potential of partners that bought nothing</td><td class="n">{{num .WhiteSpacePotential}}</td></tr>
<tr><td class="k">White spaces (high potential, no purchase)</td><td class="n">{{.WhiteSpaces}}</td></tr>
</table>
{{end}}
{{if .WhiteSpaces}}<h3>White spaces, the largest potential first</h3>
<div class="wrap"><table>
<tr><th>Partner</th><th>Trade</th><th class="n">Potential</th><th>Plan</th></tr>
{{range .WhiteSpaces}}<tr><td>{{.Name}}{{if .City}}, {{.City}}{{end}}</td><td>{{.Trade}}</td><td class="n">{{num .Potential.Float64}}{{if .PotentialEstimated}} (est.){{end}}</td><td>{{.Plan}}</td></tr>
{{end}}</table></div>{{end}}
</div>
<div class="card">
<h2>Top targets</h2>
<h3>Development: active partners with room to grow</h3>
{{if .Development}}<div class="wrap"><table>
<tr><th>Partner</th><th>Class</th><th class="n">Revenue 12 months</th><th class="n">Share of wallet</th><th class="n">Score</th></tr>
{{range .Development}}<tr><td>{{.Name}}{{if .City}}, {{.City}}{{end}}</td><td>{{.Loyalty}}</td><td class="n">{{num .Revenue}}</td><td class="n">{{if .ShareOfWallet.Valid}}{{share .ShareOfWallet.Float64}}{{end}}</td><td class="n">{{score .Score}}</td></tr>
{{end}}</table></div>{{else}}<p class="note">None.</p>{{end}}
<h3>Prospecting: partners to win</h3>
{{if .Prospecting}}<div class="wrap"><table>
<tr><th>Partner</th><th>Trade</th><th class="n">Potential</th><th class="n">Score</th></tr>
{{range .Prospecting}}<tr><td>{{.Name}}{{if .City}}, {{.City}}{{end}}</td><td>{{.Trade}}</td><td class="n">{{if .Potential.Valid}}{{num .Potential.Float64}}{{if .PotentialEstimated}} (est.){{end}}{{end}}</td><td class="n">{{score .Score}}</td></tr>
{{end}}</table></div>{{else}}<p class="note">None.</p>{{end}}
</div>
<p class="note">salesout business review, {{.ScopeLabel}} {{.ID}}, as of {{date .AsOf}}. Amounts in {{.Currency}}.</p>
</div>
</body>
</html>
`
