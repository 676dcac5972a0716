package config

import (
	"fmt"
	"net"
	"net/mail"
	"slices"
	"time"
)

// Mute silences the alerts of one scope until a date: they are kept up to date in the
// alerts table but not e-mailed (alerts.mute).
type Mute struct {
	Scope   string    `yaml:"scope"`    // total | territory | sales_rep | partner | product_line | distributor | feed
	ScopeID string    `yaml:"scope_id"` // the id; empty: every id of the scope
	Until   string    `yaml:"until"`    // YYYY-MM-DD, included
	Reason  string    `yaml:"reason"`   // optional note for the next reader of the config
	UntilAt time.Time `yaml:"-"`        // Until parsed (midnight UTC)
}

// Muted says whether m silences an alert of scope and scopeID on day (a date at
// midnight UTC).
func (m Mute) Muted(scope, scopeID string, day time.Time) bool {
	return m.Scope == scope && (m.ScopeID == "" || m.ScopeID == scopeID) && !day.After(m.UntilAt)
}

// AlertRules configures the alert rules (alerts.rules.<rule>). Each is on by default;
// enabled: false turns one off. sql/notify/rule_*.sql say how each is computed.
type AlertRules struct {
	KPIDeviation    Rule                `yaml:"kpi_deviation"` // thresholds: scoring.warning_pct and critical_pct
	MissingFeed     Rule                `yaml:"missing_feed"`  // thresholds: feeds[].expected_every
	SilentPartner   SilentPartnerRule   `yaml:"silent_partner"`
	YearOverYear    YearOverYearRule    `yaml:"yoy_drop"`
	QuarantineSpike QuarantineSpikeRule `yaml:"quarantine_spike"`
	MatchRateDrop   MatchRateDropRule   `yaml:"match_rate_drop"`
	SalesInExcess   SalesInExcessRule   `yaml:"sales_in_excess"`
}

// Rule is a rule's switch.
type Rule struct {
	Enabled *bool `yaml:"enabled"` // default true
}

// On says whether the rule runs (it does unless enabled: false).
func (r Rule) On() bool { return r.Enabled == nil || *r.Enabled }

// SilentPartnerRule: a loyal partner that has not bought for Factor times its usual
// interval between purchases.
type SilentPartnerRule struct {
	Rule           `yaml:",inline"`
	Factor         float64 `yaml:"factor"`          // warning past this many usual intervals (default 3)
	CriticalFactor float64 `yaml:"critical_factor"` // critical past this many (default 6)
	MinDays        int     `yaml:"min_days"`        // and never before this many days of silence (default 30)
	MinPurchases   int     `yaml:"min_purchases"`   // purchase days in the year before, to know its interval (default 4)
}

// YearOverYearRule: a partner or territory year to date below the same dates last year.
type YearOverYearRule struct {
	Rule           `yaml:",inline"`
	Months         int     `yaml:"months"`                  // the last N months up to as_of against the same dates a year earlier (default 3)
	WarningPct     float64 `yaml:"warning_pct"`             // warning at this drop, percent (default 20)
	CriticalPct    float64 `yaml:"critical_pct"`            // critical at this drop (default 40)
	MinLastYear    float64 `yaml:"min_last_year"`           // partners: last year's revenue over the dates at least this (base currency, default 5000)
	MinTerritoryLY float64 `yaml:"min_territory_last_year"` // territories: the same (default 20000)
}

// QuarantineSpikeRule: the share of a feed's lines quarantined in its recent files far
// above its usual share.
type QuarantineSpikeRule struct {
	Rule          `yaml:",inline"`
	Window        Duration `yaml:"window"`         // recent files: received within this (default 7d)
	Baseline      Duration `yaml:"baseline"`       // usual share: files received within this before the window (default 90d)
	Factor        float64  `yaml:"factor"`         // warning when the recent share is this many times the usual (default 3)
	MinShare      float64  `yaml:"min_share"`      // and at least this share (0-1, default 0.05)
	CriticalShare float64  `yaml:"critical_share"` // critical at this share (default 0.25)
	MinLines      int      `yaml:"min_lines"`      // lines in the recent files to judge (default 20)
}

// MatchRateDropRule: the share of a distributor's recent lines matched to a partner fell
// against its usual share.
type MatchRateDropRule struct {
	Rule           `yaml:",inline"`
	Window         Duration `yaml:"window"`          // recent files (default 7d)
	Baseline       Duration `yaml:"baseline"`        // before the window (default 90d)
	WarningPoints  float64  `yaml:"warning_points"`  // warning at a drop of this many points (default 10)
	CriticalPoints float64  `yaml:"critical_points"` // critical at this many (default 25)
	MinLines       int      `yaml:"min_lines"`       // lines in the recent files and in the baseline to judge (default 50)
}

// SalesInExcessRule: a distributor bought (sales-in) far more than it sold (sales-out)
// over the last months: stock is piling up in the channel.
type SalesInExcessRule struct {
	Rule          `yaml:",inline"`
	Months        int     `yaml:"months"`         // calendar months ending with as_of's (default 3)
	WarningRatio  float64 `yaml:"warning_ratio"`  // sales-in units / sales-out units (default 1.5)
	CriticalRatio float64 `yaml:"critical_ratio"` // (default 2.5)
	MinUnits      float64 `yaml:"min_units"`      // sales-in units over the months to judge (default 100)
}

// alertScopes are the scopes an alert can be about (alerts.mute[].scope).
var alertScopes = []string{"total", "territory", "sales_rep", "partner", "product_line", "distributor", "feed"}

func (a *Alerts) applyDefaults() {
	if a.WorsenPoints == 0 {
		a.WorsenPoints = 10
	}
	if a.RepeatEvery.Duration == 0 {
		a.RepeatEvery.Duration = 168 * time.Hour
	}
	if s := a.SMTP; s != nil {
		if s.TLS == "" {
			s.TLS = "starttls"
		}
		if s.Timeout.Duration == 0 {
			s.Timeout.Duration = 30 * time.Second
		}
	}
	deff := func(p *float64, v float64) {
		if *p == 0 {
			*p = v
		}
	}
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	defd := func(p *Duration, v time.Duration) {
		if p.Duration == 0 {
			p.Duration = v
		}
	}
	r := &a.Rules
	deff(&r.SilentPartner.Factor, 3)
	deff(&r.SilentPartner.CriticalFactor, 6)
	def(&r.SilentPartner.MinDays, 30)
	def(&r.SilentPartner.MinPurchases, 4)
	def(&r.YearOverYear.Months, 3)
	deff(&r.YearOverYear.WarningPct, 20)
	deff(&r.YearOverYear.CriticalPct, 40)
	deff(&r.YearOverYear.MinLastYear, 5000)
	deff(&r.YearOverYear.MinTerritoryLY, 20000)
	defd(&r.QuarantineSpike.Window, 7*24*time.Hour)
	defd(&r.QuarantineSpike.Baseline, 90*24*time.Hour)
	deff(&r.QuarantineSpike.Factor, 3)
	deff(&r.QuarantineSpike.MinShare, 0.05)
	deff(&r.QuarantineSpike.CriticalShare, 0.25)
	def(&r.QuarantineSpike.MinLines, 20)
	defd(&r.MatchRateDrop.Window, 7*24*time.Hour)
	defd(&r.MatchRateDrop.Baseline, 90*24*time.Hour)
	deff(&r.MatchRateDrop.WarningPoints, 10)
	deff(&r.MatchRateDrop.CriticalPoints, 25)
	def(&r.MatchRateDrop.MinLines, 50)
	def(&r.SalesInExcess.Months, 3)
	deff(&r.SalesInExcess.WarningRatio, 1.5)
	deff(&r.SalesInExcess.CriticalRatio, 2.5)
	deff(&r.SalesInExcess.MinUnits, 100)
}

// validate checks the alerts section; add reports a problem at a key path.
func (a *Alerts) validate(add func(path, format string, args ...any)) {
	if a.Outbox == "" {
		add("alerts.outbox", "required (every e-mail is written there)")
	}
	for key, list := range map[string][]string{"default_to": a.DefaultTo, "data_owner": a.DataOwner} {
		for i, v := range list {
			if _, err := mail.ParseAddress(v); err != nil {
				add(fmt.Sprintf("alerts.%s[%d]", key, i), "%q is not an e-mail address", v)
			}
		}
	}
	if a.WorsenPoints < 0 {
		add("alerts.worsen_points", "must be positive")
	}
	if a.RepeatEvery.Duration < time.Hour {
		add("alerts.repeat_every", "%s is shorter than an hour", a.RepeatEvery.Duration)
	}
	if s := a.SMTP; s != nil {
		host, _, err := net.SplitHostPort(s.Address)
		if err != nil {
			add("alerts.smtp.address", "%q is not host:port", s.Address)
		}
		if _, err := mail.ParseAddress(s.From); err != nil {
			add("alerts.smtp.from", "%q is not an e-mail address", s.From)
		}
		switch s.TLS {
		case "starttls", "tls":
		case "none":
			if err == nil && !isLoopback(host) {
				add("alerts.smtp.tls", "none is allowed only to a loopback address (127.0.0.1, ::1, localhost), not %q: use starttls or tls", host)
			}
		default:
			add("alerts.smtp.tls", "unknown mode %q (want starttls, tls or none)", s.TLS)
		}
		if s.Timeout.Duration < 0 {
			add("alerts.smtp.timeout", "must be positive")
		}
		if s.Password != "" && s.Username == "" {
			add("alerts.smtp.username", "required with a password")
		}
	}
	for i := range a.Mute {
		m := &a.Mute[i]
		p := fmt.Sprintf("alerts.mute[%d]", i)
		if !slices.Contains(alertScopes, m.Scope) {
			add(p+".scope", "unknown scope %q (want one of %v)", m.Scope, alertScopes)
		}
		t, err := time.Parse(time.DateOnly, m.Until)
		if err != nil {
			add(p+".until", "%q is not a date (YYYY-MM-DD)", m.Until)
		}
		m.UntilAt = t
	}
	r := a.Rules
	pos := func(path string, v float64) {
		if v <= 0 {
			add("alerts.rules."+path, "must be positive")
		}
	}
	pos("silent_partner.factor", r.SilentPartner.Factor)
	if r.SilentPartner.CriticalFactor < r.SilentPartner.Factor {
		add("alerts.rules.silent_partner.critical_factor", "must be at least factor (%g)", r.SilentPartner.Factor)
	}
	if r.SilentPartner.MinPurchases < 2 {
		add("alerts.rules.silent_partner.min_purchases", "must be at least 2 (an interval needs two purchases)")
	}
	if r.YearOverYear.Months < 1 || r.YearOverYear.Months > 12 {
		add("alerts.rules.yoy_drop.months", "must be between 1 and 12")
	}
	pos("yoy_drop.warning_pct", r.YearOverYear.WarningPct)
	if r.YearOverYear.CriticalPct < r.YearOverYear.WarningPct || r.YearOverYear.CriticalPct > 100 {
		add("alerts.rules.yoy_drop.critical_pct", "must be between warning_pct (%g) and 100", r.YearOverYear.WarningPct)
	}
	pos("quarantine_spike.factor", r.QuarantineSpike.Factor)
	if r.QuarantineSpike.MinShare <= 0 || r.QuarantineSpike.CriticalShare < r.QuarantineSpike.MinShare || r.QuarantineSpike.CriticalShare > 1 {
		add("alerts.rules.quarantine_spike.critical_share", "need 0 < min_share (%g) <= critical_share (%g) <= 1", r.QuarantineSpike.MinShare, r.QuarantineSpike.CriticalShare)
	}
	pos("match_rate_drop.warning_points", r.MatchRateDrop.WarningPoints)
	if r.MatchRateDrop.CriticalPoints < r.MatchRateDrop.WarningPoints || r.MatchRateDrop.CriticalPoints > 100 {
		add("alerts.rules.match_rate_drop.critical_points", "must be between warning_points (%g) and 100", r.MatchRateDrop.WarningPoints)
	}
	if r.SalesInExcess.Months < 1 || r.SalesInExcess.Months > 12 {
		add("alerts.rules.sales_in_excess.months", "must be between 1 and 12")
	}
	if r.SalesInExcess.WarningRatio <= 1 || r.SalesInExcess.CriticalRatio < r.SalesInExcess.WarningRatio {
		add("alerts.rules.sales_in_excess.critical_ratio", "need 1 < warning_ratio (%g) <= critical_ratio (%g)", r.SalesInExcess.WarningRatio, r.SalesInExcess.CriticalRatio)
	}
	for _, d := range []struct {
		path string
		v    Duration
	}{{"quarantine_spike.window", r.QuarantineSpike.Window}, {"quarantine_spike.baseline", r.QuarantineSpike.Baseline},
		{"match_rate_drop.window", r.MatchRateDrop.Window}, {"match_rate_drop.baseline", r.MatchRateDrop.Baseline}} {
		if d.v.Duration < time.Hour {
			add("alerts.rules."+d.path, "%s is shorter than an hour", d.v.Duration)
		}
	}
}

// isLoopback says whether host is a loopback address or localhost.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
