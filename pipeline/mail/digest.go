package mail

import (
	"cmp"
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"
	"unicode/utf8"
)

// Digest is the e-mail of one recipient for one run: the alerts that are new, worse or
// due again, most severe first, then the ones resolved since the recipient last heard
// of them.
type Digest struct {
	ID       int64 // the digest's id (alert_digests.digest_id), in the Message-ID
	From     string
	To       string // one address
	AsOf     time.Time
	Items    []Item // open alerts; sorted by Render, most severe first
	Resolved []Item // reported once
}

// Item is one alert of a digest, already put in words by the caller: the digest only
// lays it out. Every string is plain text (escaped for the HTML body).
type Item struct {
	AlertID  int64
	Severity string  // warning | critical (resolved items: the last severity)
	Notice   string  // new | worse | repeat | resolved
	Headline string  // short, for the subject: "FR-IDF revenue −28 %"
	Title    string  // "Territory Île-de-France (FR-IDF): revenue 28 % behind target"
	Detail   string  // who and where: "Lyon, territory FR-ARA, rep Jean Martin"
	Summary  string  // a paragraph saying what and why it matters
	Figures  []Row   // label and value
	Tables   []Table // contributors and the like
	Notes    []string
	Rank     float64 // within a severity, lower comes first (for instance the deviation)
	Chart    []byte  // PNG of the trend; nil when none
	ChartAlt string
}

// Row is a label and its value.
type Row struct{ Label, Value string }

// Table is a small table of an item: the first column is text, the others figures.
type Table struct {
	Title   string
	Columns []string
	Rows    [][]string
}

// Number formats v with the given decimals and a comma between thousands.
func Number(v float64, decimals int) string { return formatNumber(v, decimals) }

// Percent formats a change with its sign and one decimal: "−28.0 %", "+4.1 %"; the
// minus is U+2212, which mail clients do not break from its figure.
func Percent(pct float64) string {
	s := strings.TrimSuffix(signedPercent(pct), "%") + " %"
	return strings.Replace(s, "-", "−", 1)
}

// RenderDigest lays a digest out as a message: a subject that says how many alerts and
// how bad ("[salesout] 2 critical, 3 warnings: FR-IDF revenue −28 % and 4 more"), a
// plain-text part and an HTML part that say the same, and each item's chart as an
// inline PNG the HTML shows by Content-ID. The HTML is table-based with inline styles
// only, for Outlook, Gmail and Apple Mail, and fits a 375 px phone; it refers to nothing
// outside the message. Control characters in the items' text become spaces.
func RenderDigest(d Digest) (Message, error) {
	if _, err := formatAddress("From", d.From); err != nil {
		return Message{}, err
	}
	if _, err := formatAddress("To", d.To); err != nil {
		return Message{}, err
	}
	if len(d.Items)+len(d.Resolved) == 0 {
		return Message{}, fmt.Errorf("digest to %s: nothing to say", d.To)
	}
	if d.AsOf.IsZero() {
		return Message{}, fmt.Errorf("digest to %s: the as-of date is not set", d.To)
	}
	items := make([]Item, 0, len(d.Items))
	for _, it := range d.Items {
		if severityRank[it.Severity] == 0 {
			return Message{}, fmt.Errorf("alert %d: severity %q is not warning or critical", it.AlertID, it.Severity)
		}
		items = append(items, it.clean())
	}
	slices.SortStableFunc(items, func(a, b Item) int {
		return cmp.Or(severityRank[b.Severity]-severityRank[a.Severity], cmp.Compare(a.Rank, b.Rank))
	})
	resolved := make([]Item, 0, len(d.Resolved))
	for _, it := range d.Resolved {
		resolved = append(resolved, it.clean())
	}

	v := digestView{Subject: digestSubject(items, resolved), AsOf: d.AsOf.Format("2 January 2006"), DigestID: d.ID}
	var inline []Inline
	for i, it := range items {
		if i >= FullItems {
			// In brief: what and how much, without the tables and the chart, so that
			// a long digest stays readable and under Gmail's 102 KB clipping.
			it.Tables, it.Chart, it.Notes = nil, nil, nil
			v.Brief++
		}
		iv := itemView{Item: it, Badge: strings.ToUpper(it.Severity), Colour: severityColour[it.Severity], Tint: severityTint[it.Severity],
			NoticeText: noticeText[it.Notice], First: i == FullItems}
		if len(it.Chart) > 0 {
			cid := fmt.Sprintf("trend-%d@salesout", it.AlertID)
			inline = append(inline, Inline{CID: cid, Name: fmt.Sprintf("trend-%d.png", it.AlertID), ContentType: "image/png", Data: it.Chart})
			iv.ChartSrc = htmltemplate.URL("cid:" + cid) // cid is [A-Za-z0-9._@-] only (checkInline)
		}
		v.Items = append(v.Items, iv)
	}
	for _, it := range resolved {
		v.Resolved = append(v.Resolved, itemView{Item: it, Badge: "RESOLVED", Colour: "#2e7d32", Tint: "#eef7ee"})
	}
	v.Counts = counts(items, resolved)

	var text, html strings.Builder
	if err := digestText.Execute(&text, v); err != nil {
		return Message{}, err
	}
	if err := digestHTML.Execute(&html, v); err != nil {
		return Message{}, err
	}
	m := Message{From: d.From, To: []string{d.To}, Subject: v.Subject, Date: time.Now(), Text: text.String(), HTML: html.String(), Inline: inline}
	sum := hash(m.From, m.To[0], m.Subject, m.Text, m.HTML)
	m.MessageID = fmt.Sprintf("<digest-%d-%s-%s@salesout>", d.ID, d.AsOf.Format("20060102"), sum[:16])
	if err := checkInline(inline); err != nil {
		return Message{}, err
	}
	return m, nil
}

// FullItems is how many alerts a digest shows in full, with their contributors and
// chart; the others follow in brief (their title, summary and figures).
const FullItems = 6

var (
	severityColour = map[string]string{"warning": "#a85d00", "critical": "#b00020"}
	severityTint   = map[string]string{"warning": "#fff6e8", "critical": "#fdecee"}
	noticeText     = map[string]string{
		"new":    "New",
		"worse":  "Worse since the last e-mail",
		"repeat": "Still open: a reminder",
	}
)

// clean puts every text field of it on one line (control characters and line or
// paragraph separators become one space).
func (it Item) clean() Item {
	for _, s := range []*string{&it.Severity, &it.Notice, &it.Headline, &it.Title, &it.Detail, &it.Summary, &it.ChartAlt} {
		*s = oneLine(*s)
	}
	it.Figures = slices.Clone(it.Figures)
	for i := range it.Figures {
		it.Figures[i] = Row{oneLine(it.Figures[i].Label), oneLine(it.Figures[i].Value)}
	}
	tables := make([]Table, len(it.Tables))
	for i, t := range it.Tables {
		tables[i] = Table{Title: oneLine(t.Title), Columns: make([]string, len(t.Columns))}
		for j, c := range t.Columns {
			tables[i].Columns[j] = oneLine(c)
		}
		for _, r := range t.Rows {
			row := make([]string, len(r))
			for j, c := range r {
				row[j] = oneLine(c)
			}
			tables[i].Rows = append(tables[i].Rows, row)
		}
	}
	it.Tables = tables
	notes := make([]string, len(it.Notes))
	for i, n := range it.Notes {
		notes[i] = oneLine(n)
	}
	it.Notes = notes
	return it
}

// oneLine replaces each run of control characters and line or paragraph separators in
// s by one space and trims it.
func oneLine(s string) string {
	return strings.TrimSpace(strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
	}), " "))
}

// digestSubject says how many and how bad, then the worst alert's headline.
func digestSubject(items, resolved []Item) string {
	c := counts(items, resolved)
	subject := "[salesout] " + c
	switch {
	case len(items) > 0:
		subject += ": " + items[0].Headline
		if len(items) > 1 {
			subject += fmt.Sprintf(" and %d more", len(items)-1)
		}
	case len(resolved) > 0:
		subject += ": " + resolved[0].Headline
		if len(resolved) > 1 {
			subject += fmt.Sprintf(" and %d more", len(resolved)-1)
		}
	}
	return subject
}

// counts is "2 critical, 3 warnings, 1 resolved".
func counts(items, resolved []Item) string {
	var crit, warn int
	for _, it := range items {
		if it.Severity == "critical" {
			crit++
		} else {
			warn++
		}
	}
	var parts []string
	if crit > 0 {
		parts = append(parts, fmt.Sprintf("%d critical", crit))
	}
	if warn == 1 {
		parts = append(parts, "1 warning")
	} else if warn > 1 {
		parts = append(parts, fmt.Sprintf("%d warnings", warn))
	}
	if len(resolved) > 0 {
		parts = append(parts, fmt.Sprintf("%d resolved", len(resolved)))
	}
	return strings.Join(parts, ", ")
}

type digestView struct {
	Subject  string
	Counts   string
	AsOf     string
	Items    []itemView
	Resolved []itemView
	DigestID int64
	Brief    int // items shown in brief
}

type itemView struct {
	Item
	Badge      string
	Colour     string
	Tint       string
	NoticeText string
	ChartSrc   htmltemplate.URL
	First      bool // the first item in brief
}

var digestText = texttemplate.Must(texttemplate.New("text").Funcs(texttemplate.FuncMap{
	"wrap": wrap, "table": table, "grid": textGrid, "upper": strings.ToUpper,
}).Parse(`salesout: {{.Counts}}, as of {{.AsOf}}
{{range .Items}}{{if .First}}
== {{$.Brief}} more, in brief (the alerts table has them all)
{{end}}
== {{.Badge}}{{with .NoticeText}} ({{.}}){{end}}
{{wrap .Title}}{{with .Detail}}
{{wrap .}}{{end}}

{{wrap .Summary}}

{{table .Figures true}}{{range .Tables}}
{{.Title}}
{{grid .}}{{end}}{{range .Notes}}
{{wrap .}}
{{end}}{{end}}{{if .Resolved}}
== Resolved since the last e-mail
{{range .Resolved}}
- {{wrap .Title}}{{with .Summary}}
  {{wrap .}}{{end}}
{{end}}{{end}}
salesout digest #{{.DigestID}}: one e-mail per recipient and run; figures as of {{.AsOf}}.
`))

// textGrid lays a table out in aligned columns, the first left-aligned and the others
// right-aligned, indented by two spaces.
func textGrid(t Table) string {
	rows := append([][]string{t.Columns}, t.Rows...)
	widths := make([]int, len(t.Columns))
	for _, r := range rows {
		for i, c := range r {
			if i < len(widths) {
				widths[i] = max(widths[i], utf8.RuneCountInString(c))
			}
		}
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(" ")
		for i, c := range r {
			if i >= len(widths) {
				break
			}
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i == 0 {
				b.WriteString(" " + c + pad)
			} else {
				b.WriteString("   " + pad + c)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// digestHTML is escaped by html/template and styled inline: mail clients drop style
// sheets and must not fetch anything. The layout is nested tables (Outlook's Word
// engine ignores max-width on divs), 640 px wide at most, fluid below.
var digestHTML = htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Subject}}</title>
</head>
<body style="margin:0;padding:0;background:#f3f4f6;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.45">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6">
<tr><td align="center" style="padding:12px 8px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:640px;background:#ffffff;border:1px solid #dddddd">
<tr><td style="padding:16px 16px 8px">
<p style="margin:0;font-size:18px;font-weight:bold">{{.Counts}}</p>
<p style="margin:4px 0 0;color:#555555;font-size:13px">Sales-out alerts as of {{.AsOf}}</p>
</td></tr>
{{- range .Items}}
{{- if .First}}
<tr><td style="padding:8px 16px 0"><p style="margin:0;font-weight:bold">{{$.Brief}} more, in brief</p></td></tr>
{{- end}}
<tr><td style="padding:8px 16px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-left:4px solid {{.Colour}};background:{{.Tint}}">
<tr><td style="padding:10px 12px">
<p style="margin:0 0 6px;font-size:12px"><span style="background:{{.Colour}};color:#ffffff;font-weight:bold;padding:2px 6px">{{.Badge}}</span>{{with .NoticeText}} <span style="color:#555555">{{.}}</span>{{end}}</p>
<p style="margin:0 0 6px;font-size:16px;font-weight:bold">{{.Title}}</p>
{{- with .Detail}}
<p style="margin:0 0 6px;color:#555555;font-size:13px">{{.}}</p>
{{- end}}
<p style="margin:0 0 8px">{{.Summary}}</p>
{{- if .Figures}}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 8px">
{{- range .Figures}}
<tr><td style="padding:3px 8px 3px 0;color:#555555;border-bottom:1px solid #e5e5e5">{{.Label}}</td><td align="right" style="padding:3px 0;text-align:right;border-bottom:1px solid #e5e5e5;font-weight:bold;white-space:nowrap">{{.Value}}</td></tr>
{{- end}}
</table>
{{- end}}
{{- with .ChartSrc}}
<img src="{{.}}" width="600" alt="{{$.AsOf}} trend" style="display:block;width:100%;max-width:600px;height:auto;border:0;margin:0 0 8px">
{{- end}}
{{- range .Tables}}
<p style="margin:8px 0 4px;font-weight:bold">{{.Title}}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 8px;font-size:13px">
<tr>{{range $i, $c := .Columns}}<th {{if $i}}align="right" {{else}}align="left" {{end}}style="padding:3px 4px;color:#555555;font-weight:normal;border-bottom:1px solid #cccccc;text-align:{{if $i}}right{{else}}left{{end}}">{{$c}}</th>{{end}}</tr>
{{- range .Rows}}
<tr>{{range $i, $c := .}}<td {{if $i}}align="right" {{end}}style="padding:3px 4px;border-bottom:1px solid #e5e5e5{{if $i}};text-align:right;white-space:nowrap{{end}}">{{$c}}</td>{{end}}</tr>
{{- end}}
</table>
{{- end}}
{{- range .Notes}}
<p style="margin:4px 0 0;color:#444444;font-size:13px">{{.}}</p>
{{- end}}
</td></tr>
</table>
</td></tr>
{{- end}}
{{- if .Resolved}}
<tr><td style="padding:8px 16px">
<p style="margin:0 0 6px;font-weight:bold">Resolved since the last e-mail</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-left:4px solid #2e7d32;background:#eef7ee">
{{- range .Resolved}}
<tr><td style="padding:6px 12px"><span style="font-weight:bold">{{.Title}}</span>{{with .Summary}}<br><span style="color:#444444;font-size:13px">{{.}}</span>{{end}}</td></tr>
{{- end}}
</table>
</td></tr>
{{- end}}
<tr><td style="padding:12px 16px 16px;color:#777777;font-size:12px">salesout digest #{{.DigestID}}: one e-mail per recipient and run; figures as of {{.AsOf}}. Alerts are repeated when they get worse or stay open for alerts.repeat_every.</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`))
