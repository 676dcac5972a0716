package mail

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// MissingFeed is a feed from which no new file came for longer than expected.
type MissingFeed struct {
	AlertID          int64
	Feed             string
	Distributor      string
	Source           string
	LastFile         string    // name of the last file received, "" when none ever came
	LastReceived     time.Time // zero when none ever came
	Expected         time.Duration
	Now              time.Time
	Severity         string // warning | critical
	PreviousSeverity string // "" when first sent
}

// RenderMissingFeed renders the e-mail about a silent feed.
func RenderMissingFeed(m MissingFeed, from string, to []string) (Message, error) {
	if severityRank[m.Severity] == 0 {
		return Message{}, fmt.Errorf("alert: severity %q is not warning or critical", m.Severity)
	}
	if m.Feed == "" || m.Expected <= 0 || m.Now.IsZero() {
		return Message{}, errors.New("alert: a missing-feed alert needs a feed, an expected interval and a time")
	}
	if _, err := formatAddress("From", from); err != nil {
		return Message{}, err
	}
	if _, err := formatAddressList(to); err != nil {
		return Message{}, err
	}
	clean := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	feed, dist, src, last := clean(m.Feed), clean(m.Distributor), clean(m.Source), clean(m.LastFile)
	v := view{
		Severity: strings.ToUpper(m.Severity),
		Colour:   map[string]string{"warning": "#b26a00", "critical": "#b00020"}[m.Severity],
		AsOf:     m.Now.UTC().Format("2006-01-02 15:04 UTC"),
		AlertID:  m.AlertID,
	}
	silent := "no file has ever come"
	if !m.LastReceived.IsZero() {
		silent = "no new file for " + human(m.Now.Sub(m.LastReceived))
	}
	v.Subject = fmt.Sprintf("[salesout] %s: distributor %s feed %s silent (%s)", v.Severity, dist, feed, silent)
	if m.PreviousSeverity != "" {
		v.Subject = "Worse: " + v.Subject
		v.Previous = fmt.Sprintf("This alert was sent before at severity %s; it is now %s.", strings.ToUpper(m.PreviousSeverity), v.Severity)
	}
	v.Summary = fmt.Sprintf("From distributor %s (feed %s), %s, while one is expected every %s. "+
		"Until it comes, its sales-out lines, the partner scores and every KPI that depends on "+
		"them are out of date: check with the distributor whether the file was sent, and where.",
		dist, feed, silent, human(m.Expected))
	lastSeen := "never"
	if !m.LastReceived.IsZero() {
		lastSeen = m.LastReceived.UTC().Format("2006-01-02 15:04 UTC")
	}
	v.Figures = []row{{"Last file received", lastSeen}, {"Expected every", human(m.Expected)}, {"Severity", v.Severity}}
	if last != "" {
		v.Figures = append(v.Figures[:1], append([]row{{"Last file", last}}, v.Figures[1:]...)...)
	}
	v.Concerns = []row{{"Distributor", dist}, {"Feed", feed}, {"Source", src}}
	return build(v, from, to, m.AlertID, m.Now)
}

// human prints a duration as days and hours ("3 days 4 hours", "45 minutes").
func human(d time.Duration) string {
	if d < time.Hour {
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	}
	days, hours := int(d.Hours())/24, int(d.Hours())%24
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case days == 0:
		return plural(hours, "hour")
	case hours == 0:
		return plural(days, "day")
	default:
		return plural(days, "day") + " " + plural(hours, "hour")
	}
}
