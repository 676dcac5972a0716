// Package notify is the alert step. Like Alertmanager it keeps three things apart:
//
//   - rule evaluation (rules.go): KPI deviations, silent loyal partners, drops against
//     last year, missing feeds, quarantine spikes, match-rate drops and sales-in far
//     above sales-out each give findings; the alerts table is their state (state.go),
//     opened, kept up to date and resolved run after run;
//   - grouping and timing (state.go, route.go): an alert is e-mailed when it is new,
//     worse (severity, or alerts.worsen_points), or still open after alerts.repeat_every;
//     a resolved one is reported once; alerts.mute holds some back; each goes to the
//     owners of its scope, and all of one recipient's travel in one digest per run;
//   - delivery (deliver.go): each digest is recorded whole before it is written to the
//     outbox and handed to the SMTP relay, and retried by the next run when it failed.
package notify

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/mail"
)

// Settings are the parts of the config the alert step reads.
type Settings struct {
	RunID        int64
	Outbox       string   // every e-mail is written there as an .eml file
	DefaultTo    []string // recipients of what no rep owns
	DataOwner    []string // recipients of feed and data-quality alerts; DefaultTo when empty
	WorsenPoints float64  // re-send an open alert that got worse by this many points
	RepeatEvery  time.Duration
	Mute         []config.Mute
	Rules        config.AlertRules
	From         string // the sender
	BaseCurrency string
	Location     *time.Location
	Feeds        []config.Feed    // for the missing-feed alerts (expected_every)
	SMTP         *mail.SMTPConfig // nil: the digests only go to the outbox
}

// Result counts the alert step, for the CLI and /metrics.
type Result struct {
	Open      int            // alerts open after the run (all rules)
	Notified  int            // alerts put in a digest this run (new, worse or repeated)
	Resolved  int            // alerts resolved this run
	Muted     int            // open alerts held back by alerts.mute
	Digests   int            // digests recorded this run (one per recipient)
	DigestsTo map[string]int // digests recorded this run, per recipient address
	Written   int            // .eml files written to the outbox this run (this run's and recovered ones)
	Sent      int            // e-mails the SMTP relay accepted this run (retries included)
	Failed    int            // e-mails whose send failed this run: retried by the next run
	Outbox    string
}

type notifier struct {
	Settings
	now time.Time
	// test hooks
	afterWrite func(digestID int64) error // a crash after a digest's file is written
	afterSend  func(digestID int64) error // a crash after the relay accepted a digest
}

// Run raises, updates and resolves the alerts of as_of, e-mails one digest to each
// recipient with what is new, worse, due again or resolved, and first completes the
// deliveries an earlier run left (crash or failed send); now is the clock of the
// missing-feed and data-quality rules and of the e-mails.
func Run(ctx context.Context, conn *sql.Conn, asOf, now time.Time, s Settings) (Result, error) {
	n := &notifier{Settings: s, now: now}
	return n.run(ctx, conn, asOf)
}

func (n *notifier) run(ctx context.Context, conn *sql.Conn, asOf time.Time) (Result, error) {
	if n.Location == nil {
		n.Location = time.UTC
	}
	res := Result{Outbox: n.Outbox, DigestsTo: map[string]int{}}
	log := zerolog.Ctx(ctx)
	d := n.newDelivery()
	defer d.close(ctx)

	// What earlier runs left undelivered goes first, before anything new is decided.
	if err := d.deliver(ctx, conn, n, nil, &res); err != nil {
		return res, err
	}
	findings, kinds, err := n.evaluate(ctx, conn, asOf)
	if err != nil {
		return res, err
	}
	notices, err := n.updateState(ctx, conn, asOf, findings, kinds, &res)
	if err != nil {
		return res, err
	}
	digests, err := n.compose(ctx, conn, asOf, notices)
	if err != nil {
		return res, err
	}
	if err := n.record(ctx, conn, digests, &res); err != nil {
		return res, err
	}
	runID := n.RunID
	if err := d.deliver(ctx, conn, n, &runID, &res); err != nil {
		return res, err
	}
	log.Info().Int("open", res.Open).Int("notified", res.Notified).Int("resolved", res.Resolved).Int("muted", res.Muted).
		Int("digests", res.Digests).Int("written", res.Written).Int("sent", res.Sent).Int("failed", res.Failed).Msg("alerts")
	return res, nil
}

// Summary says in a few lines how many digests went to whom, for the CLI:
//
//	3 digests (one per recipient, 5 alerts) written to var/outbox:
//	ann@example.com 1, boss@example.com 1, director@example.com 1
//
// with the sends when a relay is configured; each further line is indented by indent.
func (r Result) Summary(outbox, indent string) string {
	if r.Digests == 0 && r.Sent == 0 && r.Failed == 0 {
		return fmt.Sprintf("no digest this run (%d alerts open, %d muted); the outbox is %s", r.Open, r.Muted, outbox)
	}
	s := fmt.Sprintf("%d digest(s) (one per recipient, %d alerts) written to %s", r.Digests, r.Notified, outbox)
	if r.Sent > 0 || r.Failed > 0 {
		s += fmt.Sprintf("; %d sent, %d failed (retried by the next run)", r.Sent, r.Failed)
	}
	to := make([]string, 0, len(r.DigestsTo))
	for a := range r.DigestsTo {
		to = append(to, a)
	}
	slices.Sort(to)
	if len(to) > 0 {
		s += ":"
	}
	line := ""
	for i, a := range to {
		item := fmt.Sprintf("%s %d", a, r.DigestsTo[a])
		if i < len(to)-1 {
			item += ","
		}
		if line != "" && len(line)+1+len(item) > 90 {
			s += "\n" + indent + line
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += item
	}
	if line != "" {
		s += "\n" + indent + line
	}
	return s
}
