package config

import (
	"strings"
	"testing"
	"time"
)

// TestExampleAlerts: the example config's alerts section is valid and says what the
// defaults are.
func TestExampleAlerts(t *testing.T) {
	cfg, err := Load("../../configs/salesout.example.yaml", func(string) (string, bool) { return "x", true })
	if err != nil {
		t.Fatal(err)
	}
	def, err := Parse([]byte(minimalAlerts), "/tmp/c.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	got, want := cfg.Alerts.Rules, def.Alerts.Rules
	got.KPIDeviation, got.MissingFeed = want.KPIDeviation, want.MissingFeed
	if got != want {
		t.Errorf("the example's rules differ from the defaults:\n got %+v\nwant %+v", got, want)
	}
	if def.Alerts.RepeatEvery.Duration != 168*time.Hour || cfg.Alerts.SMTP.Timeout.Duration != 30*time.Second {
		t.Errorf("defaults: repeat_every %s, timeout %s", def.Alerts.RepeatEvery, cfg.Alerts.SMTP.Timeout)
	}
	if len(cfg.Alerts.Mute) != 2 || cfg.Alerts.Mute[0].UntilAt.Format(time.DateOnly) != "2026-12-31" {
		t.Errorf("mute %+v", cfg.Alerts.Mute)
	}
}

const minimalAlerts = "warehouse: {path: w.duckdb, publish: a.duckdb}\nreference: {channel_db: c.csv}\nexport: {dir: e}\n" +
	"alerts: {outbox: o}\n"

func TestAlertsErrors(t *testing.T) {
	for _, tc := range []struct {
		name, alerts, want string
	}{
		{"tls none to a remote relay", `{outbox: o, smtp: {address: "smtp.example.com:25", from: a@example.com, tls: none}}`,
			`alerts.smtp.tls: none is allowed only to a loopback address`},
		{"unknown tls", `{outbox: o, smtp: {address: "127.0.0.1:25", from: a@example.com, tls: ssl}}`, `alerts.smtp.tls: unknown mode "ssl"`},
		{"password without user", `{outbox: o, smtp: {address: "127.0.0.1:25", from: a@example.com, password: p}}`, `alerts.smtp.username: required`},
		{"bad data owner", `{outbox: o, data_owner: [nope]}`, `alerts.data_owner[0]: "nope" is not an e-mail address`},
		{"mute without date", `{outbox: o, mute: [{scope: territory, scope_id: T1, until: soon}]}`, `alerts.mute[0].until: "soon" is not a date`},
		{"mute of an unknown scope", `{outbox: o, mute: [{scope: region, until: 2026-01-01}]}`, `alerts.mute[0].scope: unknown scope "region"`},
		{"unknown rule", `{outbox: o, rules: {silence: {enabled: false}}}`, `alerts.rules.silence: unknown key`},
		{"critical below warning", `{outbox: o, rules: {yoy_drop: {warning_pct: 30, critical_pct: 20}}}`, `alerts.rules.yoy_drop.critical_pct`},
		{"short repeat", `{outbox: o, repeat_every: 10m}`, `alerts.repeat_every: 10m0s is shorter than an hour`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(strings.Replace(minimalAlerts, "alerts: {outbox: o}", "alerts: "+tc.alerts, 1)), "/tmp/c.yaml", nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	ok := []string{
		`{outbox: o, smtp: {address: "127.0.0.1:2525", from: a@example.com, tls: none}}`,
		`{outbox: o, smtp: {address: "localhost:2525", from: a@example.com, tls: none}}`,
		`{outbox: o, rules: {silent_partner: {enabled: false}}, mute: [{scope: feed, until: 2026-01-01}]}`,
	}
	for _, a := range ok {
		cfg, err := Parse([]byte(strings.Replace(minimalAlerts, "alerts: {outbox: o}", "alerts: "+a, 1)), "/tmp/c.yaml", nil)
		if err != nil {
			t.Errorf("%s: %v", a, err)
			continue
		}
		if cfg.Alerts.Rules.SilentPartner.On() == strings.Contains(a, "silent_partner") {
			t.Errorf("%s: silent_partner on = %v", a, cfg.Alerts.Rules.SilentPartner.On())
		}
	}
}

func TestMuted(t *testing.T) {
	m := Mute{Scope: "territory", ScopeID: "T1", UntilAt: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, tc := range []struct {
		scope, id, day string
		want           bool
	}{
		{"territory", "T1", "2026-03-31", true},
		{"territory", "T1", "2026-04-01", false},
		{"territory", "T2", "2026-03-01", false},
		{"partner", "T1", "2026-03-01", false},
	} {
		if got := m.Muted(tc.scope, tc.id, day(tc.day)); got != tc.want {
			t.Errorf("Muted(%s, %s, %s) = %v", tc.scope, tc.id, tc.day, got)
		}
	}
	all := Mute{Scope: "feed", UntilAt: day("2026-03-31")}
	if !all.Muted("feed", "any", day("2026-03-01")) {
		t.Error("an empty scope_id mutes the whole scope")
	}
}
