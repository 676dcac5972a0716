package mail

import (
	"fmt"
	htmltemplate "html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"
	"unicode/utf8"
)

// Deviation is one KPI deviation that an alert is about.
type Deviation struct {
	AlertID          int64
	Scope            string    // total | territory | sales_rep | partner | product_line | distributor
	ScopeID          string    // e.g. "FR-IDF", "rep-007", partner id
	ScopeName        string    // human name when known (rep name, partner name), else ""
	KPI              string    // revenue | units
	Period           string    // ytd
	AsOf             time.Time // date the figures are computed at
	Actual           float64
	Target           float64 // part of the annual target due by AsOf
	AnnualTarget     float64
	DeviationPct     float64 // -23.5 means 23.5 % below target
	Severity         string  // warning | critical
	PreviousSeverity string  // "" when first sent; else the severity of the last e-mail (the mail then says it got worse)
	Currency         string  // base currency for revenue, e.g. EUR ("" for units)
}

// Render writes the e-mail about d, from from to the addresses to. The subject reads
// like "[salesout] CRITICAL: territory FR-IDF revenue 32% behind target (YTD)",
// prefixed "Worse: " when d.PreviousSeverity is set. Both bodies say what deviates and
// why it matters, give the figures, what they concern, the as-of date and, when set,
// the severity the alert was previously sent at.
//
// Line breaks and other control characters in d's text fields are replaced by spaces,
// so that data cannot break the subject or forge lines of the text body; the HTML body
// is escaped by html/template. Date is set to time.Now(): callers with a clock of their
// own overwrite it. MessageID is derived from d.AlertID, d.AsOf and a hash of the
// addresses, subject and bodies.
//
// Render fails on an invalid address (see ErrInvalidHeader), a severity other than
// warning or critical, an empty scope, KPI or period, a zero AsOf, or a figure that is not
// finite.
func Render(d Deviation, from string, to []string) (Message, error) {
	if err := d.check(); err != nil {
		return Message{}, err
	}
	if _, err := formatAddress("From", from); err != nil {
		return Message{}, err
	}
	if _, err := formatAddressList(to); err != nil {
		return Message{}, err
	}
	return build(newView(d.oneLine()), from, to, d.AlertID, d.AsOf)
}

// build renders a view into a message to the given addresses.
func build(v view, from string, to []string, alertID int64, day time.Time) (Message, error) {
	var text, html strings.Builder
	if err := textBody.Execute(&text, v); err != nil {
		return Message{}, err
	}
	if err := htmlBody.Execute(&html, v); err != nil {
		return Message{}, err
	}
	m := Message{
		From:    from,
		To:      slices.Clone(to),
		Subject: v.Subject,
		Date:    time.Now(),
		Text:    text.String(),
		HTML:    html.String(),
	}
	sum := hash(append([]string{m.From, m.Subject, m.Text, m.HTML}, m.To...)...)
	m.MessageID = fmt.Sprintf("<alert-%d-%s-%s@salesout>", alertID, day.Format("20060102"), sum[:16])
	return m, nil
}

var severityRank = map[string]int{"warning": 1, "critical": 2}

func (d Deviation) check() error {
	if severityRank[d.Severity] == 0 {
		return fmt.Errorf("alert %d: severity %q is not warning or critical", d.AlertID, d.Severity)
	}
	if d.PreviousSeverity != "" && severityRank[d.PreviousSeverity] == 0 {
		return fmt.Errorf("alert %d: previous severity %q is not warning or critical", d.AlertID, d.PreviousSeverity)
	}
	if strings.TrimSpace(d.Scope) == "" || strings.TrimSpace(d.KPI) == "" || strings.TrimSpace(d.Period) == "" {
		return fmt.Errorf("alert %d: scope, KPI and period are required", d.AlertID)
	}
	if d.AsOf.IsZero() {
		return fmt.Errorf("alert %d: the as-of date is not set", d.AlertID)
	}
	for _, f := range []float64{d.Actual, d.Target, d.AnnualTarget, d.DeviationPct} {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("alert %d: figures must be finite, got %v", d.AlertID, f)
		}
	}
	return nil
}

// oneLine returns d with each run of control characters or line and paragraph
// separators in its text fields replaced by one space, and surrounding spaces trimmed.
func (d Deviation) oneLine() Deviation {
	for _, s := range []*string{&d.Scope, &d.ScopeID, &d.ScopeName, &d.KPI, &d.Period, &d.Currency} {
		*s = strings.TrimSpace(strings.Join(strings.FieldsFunc(*s, func(r rune) bool {
			return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
		}), " "))
	}
	return d
}

// view is what both body templates show; every string is plain text.
type view struct {
	Subject  string
	Severity string // "CRITICAL"
	Colour   string // of the severity badge in HTML
	Summary  string // what deviates and why it matters
	Figures  []row
	Concerns []row
	AsOf     string
	Previous string // "" unless the alert was sent before
	AlertID  int64
}

type row = Row

var scopeLabels = map[string]string{"sales_rep": "sales rep", "product_line": "product line"}

var periodLabels = map[string]string{"ytd": "year to date"}

func newView(d Deviation) view {
	scope := scopeLabels[d.Scope]
	if scope == "" {
		scope = strings.ReplaceAll(d.Scope, "_", " ")
	}
	who := d.ScopeID // who is behind: "territory FR-IDF", "partner Acme (P-1)"
	if d.ScopeName != "" {
		who = d.ScopeName + " (" + d.ScopeID + ")"
	}
	subjectWho, summaryWho := scope+" "+who, scope+" "+who
	if d.Scope == "total" {
		subjectWho, summaryWho = "total", "the business as a whole"
	}
	period := periodLabels[d.Period]
	if period == "" {
		period = strings.ToUpper(d.Period)
	}
	direction := "behind"
	if d.DeviationPct >= 0 {
		direction = "ahead of"
	}
	asOf := d.AsOf.Format("2 January 2006")
	severity := strings.ToUpper(d.Severity)

	subject := fmt.Sprintf("[salesout] %s: %s %s %s%% %s target (%s)", severity, subjectWho, d.KPI,
		formatNumber(math.Abs(d.DeviationPct), 0), direction, strings.ToUpper(d.Period))
	if d.PreviousSeverity != "" {
		subject = "Worse: " + subject
	}

	summary := []string{fmt.Sprintf("%s is %s%% %s target on %s %s: %s against %s due by %s.",
		capitalise(summaryWho), formatNumber(math.Abs(d.DeviationPct), 1), direction, d.KPI, period,
		d.amount(d.Actual), d.amount(d.Target), asOf)}
	if d.Target > 0 && d.AnnualTarget > 0 {
		projected := d.Actual * d.AnnualTarget / d.Target
		gap, side := d.AnnualTarget-projected, "short of"
		if gap < 0 {
			gap, side = -gap, "above"
		}
		summary = append(summary, fmt.Sprintf("At this pace the year would close at about %s, %s %s the annual target of %s.",
			d.approx(projected), d.approx(gap), side, d.amount(d.AnnualTarget)))
	}
	switch {
	case d.DeviationPct >= 0:
		summary = append(summary, "A lead this large may mean that the target is too low or that one-off orders inflate the figures: worth a check.")
	case d.Severity == "critical":
		summary = append(summary, "The gap is large: without corrective action the annual target will be missed.")
	default:
		summary = append(summary, "The gap can still be closed if it is addressed now.")
	}

	var previous string
	switch {
	case d.PreviousSeverity == "":
	case severityRank[d.Severity] > severityRank[d.PreviousSeverity]:
		previous = fmt.Sprintf("This alert was previously sent at severity %s; it is now %s.", strings.ToUpper(d.PreviousSeverity), severity)
	default:
		previous = fmt.Sprintf("This alert was previously sent at severity %s; the deviation has grown since.", strings.ToUpper(d.PreviousSeverity))
	}

	concerns := []row{{"Scope", scope}, {"ID", d.ScopeID}}
	if d.ScopeName != "" {
		concerns = append(concerns, row{"Name", d.ScopeName})
	}
	colour := "#b35c00"
	if d.Severity == "critical" {
		colour = "#b00020"
	}
	return view{
		Subject:  subject,
		Severity: severity,
		Colour:   colour,
		Summary:  strings.Join(summary, " "),
		Figures: []row{
			{"Actual (" + period + ")", d.amount(d.Actual)},
			{"Target due by " + asOf, d.amount(d.Target)},
			{"Annual target", d.amount(d.AnnualTarget)},
			{"Deviation", signedPercent(d.DeviationPct)},
			{"Severity", severity},
		},
		Concerns: concerns,
		AsOf:     asOf,
		Previous: previous,
		AlertID:  d.AlertID,
	}
}

// amount formats a figure of d's KPI: money with two decimals and the currency
// ("1,234,567.89 EUR"); a count without decimals when it is whole ("1,235 units"),
// else with two.
func (d Deviation) amount(v float64) string {
	decimals := 2
	if d.Currency == "" && math.Round(v*100) == math.Round(v)*100 {
		decimals = 0
	}
	return formatNumber(v, decimals) + d.unit()
}

// approx formats a figure of d's KPI rounded to a whole number: "675,133 EUR".
func (d Deviation) approx(v float64) string {
	return formatNumber(v, 0) + d.unit()
}

// unit is what follows a figure of d's KPI: " EUR", " units" or nothing.
func (d Deviation) unit() string {
	switch {
	case d.Currency != "":
		return " " + d.Currency
	case d.KPI == "units":
		return " units"
	}
	return ""
}

// formatNumber formats v with the given number of decimals and a comma between
// thousands: formatNumber(-1234567.891, 2) is "-1,234,567.89". A value that rounds to
// zero has no sign.
func formatNumber(v float64, decimals int) string {
	digits := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(digits, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(digits, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// signedPercent formats a deviation with one decimal and its sign: "-32.5%", "+4.0%".
func signedPercent(pct float64) string {
	s := formatNumber(pct, 1) + "%"
	if !strings.HasPrefix(s, "-") && s != "0.0%" {
		s = "+" + s
	}
	return s
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// textWidth is the width the text body's paragraphs are wrapped at.
const textWidth = 72

var textBody = texttemplate.Must(texttemplate.New("text").Funcs(texttemplate.FuncMap{
	"wrap":  wrap,
	"table": table,
}).Parse(`{{wrap .Summary}}

{{table .Figures true}}
Concerns
{{table .Concerns false}}
Figures as of {{.AsOf}}.
{{with .Previous}}{{wrap .}}
{{end}}
salesout alert #{{.AlertID}}
`))

// wrap breaks s into lines of at most textWidth characters at spaces; a longer word
// gets a line of its own.
func wrap(s string) string {
	var b strings.Builder
	width := 0
	for i, word := range strings.Fields(s) {
		n := utf8.RuneCountInString(word)
		switch {
		case i == 0:
		case width+1+n > textWidth:
			b.WriteByte('\n')
			width = 0
		default:
			b.WriteByte(' ')
			width++
		}
		b.WriteString(word)
		width += n
	}
	return b.String()
}

// table lays rows out in two columns, indented by two spaces: the labels aligned
// left, the values aligned right (for figures) or left.
func table(rows []row, alignRight bool) string {
	var labelWidth, valueWidth int
	for _, r := range rows {
		labelWidth = max(labelWidth, utf8.RuneCountInString(r.Label))
		valueWidth = max(valueWidth, utf8.RuneCountInString(r.Value))
	}
	var b strings.Builder
	for _, r := range rows {
		pad := labelWidth - utf8.RuneCountInString(r.Label) + 3
		if alignRight {
			pad += valueWidth - utf8.RuneCountInString(r.Value)
		}
		b.WriteString("  " + r.Label + strings.Repeat(" ", pad) + r.Value + "\n")
	}
	return b.String()
}

// htmlBody is escaped by html/template and styled inline: mail clients drop style
// sheets and must not fetch anything.
var htmlBody = htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Subject}}</title>
</head>
<body style="margin:0;padding:16px;background:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5">
<p style="margin:0 0 12px"><span style="display:inline-block;padding:2px 8px;border-radius:3px;background:{{.Colour}};color:#ffffff;font-weight:bold">{{.Severity}}</span></p>
<p style="margin:0 0 16px;max-width:640px">{{.Summary}}</p>
<table style="border-collapse:collapse;margin:0 0 16px">
{{- range .Figures}}
<tr><th style="text-align:left;font-weight:normal;color:#555555;padding:4px 24px 4px 0">{{.Label}}</th><td style="text-align:right;padding:4px 0;white-space:nowrap">{{.Value}}</td></tr>
{{- end}}
</table>
<h2 style="margin:0 0 8px;font-size:14px">Concerns</h2>
<table style="border-collapse:collapse;margin:0 0 16px">
{{- range .Concerns}}
<tr><th style="text-align:left;font-weight:normal;color:#555555;padding:4px 24px 4px 0">{{.Label}}</th><td style="padding:4px 0">{{.Value}}</td></tr>
{{- end}}
</table>
<p style="margin:0 0 8px">Figures as of {{.AsOf}}.</p>
{{- with .Previous}}
<p style="margin:0 0 8px">{{.}}</p>
{{- end}}
<p style="margin:16px 0 0;color:#777777;font-size:12px">salesout alert #{{.AlertID}}</p>
</body>
</html>
`))

// Item puts d in words for a digest: a headline for the subject ("FR-IDF revenue
// −32.0 %"), a title, the summary of the single-alert e-mail and its figures.
func (d Deviation) Item() Item {
	d = d.oneLine()
	short := d.ScopeID
	switch {
	case d.Scope == "total":
		short = "total"
	case d.ScopeName != "":
		short = d.ScopeName
	}
	scope := scopeLabels[d.Scope]
	if scope == "" {
		scope = strings.ReplaceAll(d.Scope, "_", " ")
	}
	who := scope + " " + d.ScopeID
	switch {
	case d.Scope == "total":
		who = "all sales"
	case d.ScopeName != "":
		who = scope + " " + d.ScopeName + " (" + d.ScopeID + ")"
	}
	direction := "behind"
	if d.DeviationPct >= 0 {
		direction = "ahead of"
	}
	period := periodLabels[d.Period]
	if period == "" {
		period = strings.ToUpper(d.Period)
	}
	// Whole amounts read faster in a digest than cents.
	figure := d.amount
	if d.Currency != "" {
		figure = d.approx
	}
	figures := []Row{
		{"Actual (" + period + ")", figure(d.Actual)},
		{"Target due by " + d.AsOf.Format("2 January 2006"), figure(d.Target)},
		{"Annual target", figure(d.AnnualTarget)},
		{"Deviation", Percent(d.DeviationPct)},
	}
	// The summary without the single e-mail's pace sentence: the digest gives the pace
	// package explain computes (seasonal when last year is known).
	summary := fmt.Sprintf("%s is %s%% %s target on %s %s: %s against %s due by %s.",
		capitalise(who), formatNumber(math.Abs(d.DeviationPct), 1), direction, d.KPI, period,
		figure(d.Actual), figure(d.Target), d.AsOf.Format("2 January 2006"))
	switch {
	case d.DeviationPct >= 0:
		summary += " A lead this large may mean that the target is too low or that one-off orders inflate the figures: worth a check."
	case d.Severity == "critical":
		summary += " The gap is large: without corrective action the annual target will be missed."
	default:
		summary += " The gap can still be closed if it is addressed now."
	}
	return Item{
		AlertID:  d.AlertID,
		Severity: d.Severity,
		Headline: fmt.Sprintf("%s %s %s", short, d.KPI, Percent(d.DeviationPct)),
		Title: fmt.Sprintf("%s: %s %s%% %s target (%s)", capitalise(who), d.KPI,
			formatNumber(math.Abs(d.DeviationPct), 1), direction, period),
		Summary: summary,
		Figures: figures,
		Rank:    d.DeviationPct,
	}
}

// Amount formats a figure of d's KPI: "1,234,567.89 EUR", "1,235 units".
func (d Deviation) Amount(v float64) string { return d.amount(v) }
