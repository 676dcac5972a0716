// Package notify is the alert step: it turns KPI deviations and silent feeds into
// alerts (the alerts table is their state), decides which deserve an e-mail (new,
// reopened, or worse), routes each to the people who own its scope, and hands the
// e-mail to package mail.
package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/mail"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// Settings are the parts of the config the alert step reads.
type Settings struct {
	Outbox       string   // every e-mail is written there as an .eml file
	DefaultTo    []string // recipients of what no rep owns
	WorsenPoints float64  // re-send an open alert that got worse by this many points
	From         string   // the sender
	BaseCurrency string
	Location     *time.Location
	Feeds        []config.Feed // for the missing-feed alerts (expected_every)
}

type notifier struct {
	Settings
	now        time.Time
	afterWrite func(alertID int64) error // test hook: a crash after the e-mail is written
}

// Run raises, updates and resolves the alerts of as_of and e-mails the ones that are
// new or worse; now is the clock of the missing-feed alerts.
func Run(ctx context.Context, conn *sql.Conn, asOf, now time.Time, s Settings) (Result, error) {
	n := &notifier{Settings: s, now: now}
	return n.run(ctx, conn, asOf)
}

func (n *notifier) run(ctx context.Context, conn *sql.Conn, asOf time.Time) (Result, error) {
	if err := n.recover(ctx, conn); err != nil {
		return Result{}, err
	}
	return n.alert(ctx, conn, asOf)
}

// Result counts the alert step.
type Result struct {
	Open     int // warning or critical deviations at as_of
	Sent     int // e-mails written (new or worse)
	Resolved int // alerts whose deviation is back to ok
	Outbox   string
}

type openDeviation struct {
	mail.Deviation
	exists        bool
	status        string
	sentSeverity  sql.NullString
	sentDeviation sql.NullFloat64
}

var severityRank = map[string]int{"ok": 0, "warning": 1, "critical": 2}

// alert turns each warning or critical KPI deviation at asOf into an mail. An alert is
// e-mailed when it is new (or reopened), when its severity rose, or when its deviation
// got worse by alerts.worsen_points since the last e-mail; otherwise it is only kept up
// to date. Every e-mail is written to the outbox as an .eml file.
func (n *notifier) alert(ctx context.Context, conn *sql.Conn, asOf time.Time) (Result, error) {
	res := Result{Outbox: n.Outbox}
	log := zerolog.Ctx(ctx)
	day := asOf.Format(time.DateOnly)
	rows, err := conn.QueryContext(ctx, warehouse.Statement("notify/open_deviations.sql"), day)
	if err != nil {
		return res, err
	}
	var devs []openDeviation
	for rows.Next() {
		var d openDeviation
		var id sql.NullInt64
		var status sql.NullString
		if err := rows.Scan(&d.Scope, &d.ScopeID, &d.KPI, &d.Period, &d.Actual, &d.Target, &d.AnnualTarget,
			&d.DeviationPct, &d.Severity, &d.ScopeName, &id, &status, &d.sentSeverity, &d.sentDeviation); err != nil {
			rows.Close()
			return res, err
		}
		d.AlertID, d.exists, d.status = id.Int64, id.Valid, status.String
		d.AsOf = asOf
		if d.KPI == "revenue" {
			d.Currency = n.BaseCurrency
		}
		devs = append(devs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}
	res.Open = len(devs)

	for _, d := range devs {
		send := !d.exists || d.status != "open" || !d.sentSeverity.Valid ||
			severityRank[d.Severity] > severityRank[d.sentSeverity.String] ||
			(d.sentDeviation.Valid && d.DeviationPct <= d.sentDeviation.Float64-n.WorsenPoints)
		if !d.exists {
			if err := conn.QueryRowContext(ctx, `SELECT nextval('alert_id_seq')`).Scan(&d.AlertID); err != nil {
				return res, err
			}
			if _, err := conn.ExecContext(ctx, warehouse.Statement("notify/insert_deviation_alert.sql"),
				d.AlertID, d.Scope, d.ScopeID, d.KPI, d.Period, d.Severity, d.DeviationPct, day, day); err != nil {
				return res, fmt.Errorf("record alert: %w", err)
			}
		} else if _, err := conn.ExecContext(ctx, warehouse.Statement("notify/update_deviation_alert.sql"),
			d.Severity, d.DeviationPct, day, day, d.AlertID); err != nil {
			return res, fmt.Errorf("update alert %d: %w", d.AlertID, err)
		}
		if !send {
			continue
		}
		if d.exists && d.status == "open" && d.sentSeverity.Valid {
			d.PreviousSeverity = d.sentSeverity.String
		}
		to, err := n.recipients(ctx, conn, d.Scope, d.ScopeID)
		if err != nil {
			return res, err
		}
		if len(to) == 0 {
			log.Warn().Str("scope", d.Scope).Str("scope_id", d.ScopeID).Msg("no recipient for this alert: set alerts.default_to or reps.csv")
			continue
		}
		msg, err := mail.Render(d.Deviation, n.From, to)
		if err != nil {
			return res, fmt.Errorf("render alert %d: %w", d.AlertID, err)
		}
		path, err := n.deliver(ctx, conn, d.AlertID, msg, d.Severity, d.DeviationPct)
		if err != nil {
			return res, err
		}
		res.Sent++
		log.Info().Int64("alert_id", d.AlertID).Str("scope", d.Scope).Str("scope_id", d.ScopeID).Str("kpi", d.KPI).
			Str("severity", d.Severity).Float64("deviation_pct", d.DeviationPct).Strs("to", to).Str("eml", path).Msg("alert e-mailed")
	}

	if err := n.missingFeeds(ctx, conn, &res); err != nil {
		return res, err
	}

	out, err := conn.ExecContext(ctx, warehouse.Statement("notify/resolve_deviation_alerts.sql"), day)
	if err != nil {
		return res, fmt.Errorf("resolve alerts: %w", err)
	}
	resolved, _ := out.RowsAffected()
	res.Resolved += int(resolved)
	log.Info().Int("open", res.Open).Int("sent", res.Sent).Int("resolved", res.Resolved).Msg("alerts")
	return res, nil
}

// recipients routes an alert: a rep's alert to the rep and their manager; a territory's
// to its reps and their managers; a partner's to its rep and the rep's manager; anything
// else, or anything without a known address, to alerts.default_to.
func (n *notifier) recipients(ctx context.Context, conn *sql.Conn, scope, scopeID string) ([]string, error) {
	var q string
	switch scope {
	case "sales_rep":
		q = `SELECT email, manager_email FROM reps WHERE sales_rep = ?`
	case "territory":
		q = `SELECT email, manager_email FROM reps WHERE territory = ?`
	case "partner":
		// the rep's row of the partner's territory when the rep has one (a rep on two
		// territories may have a manager per territory), else every row of the rep
		q = `SELECT rp.email, rp.manager_email FROM partners p JOIN reps rp ON rp.sales_rep = p.sales_rep
		     WHERE p.partner_id = ? AND (rp.territory IS NOT DISTINCT FROM p.territory
		        OR NOT EXISTS (SELECT 1 FROM reps r2 WHERE r2.sales_rep = p.sales_rep AND r2.territory IS NOT DISTINCT FROM p.territory))`
	}
	var to []string
	if q != "" {
		rows, err := conn.QueryContext(ctx, q, scopeID)
		if err != nil {
			return nil, fmt.Errorf("recipients: %w", err)
		}
		for rows.Next() {
			var a, b sql.NullString
			if err := rows.Scan(&a, &b); err != nil {
				rows.Close()
				return nil, err
			}
			for _, s := range []sql.NullString{a, b} {
				if s.Valid && s.String != "" && !slices.Contains(to, s.String) {
					to = append(to, s.String)
				}
			}
		}
		rows.Close()
	}
	if len(to) == 0 {
		to = append(to, n.DefaultTo...)
	}
	return to, nil
}

// missingFeeds raises a "missing_feed" alert for each feed with expected_every from which
// no new file (a duplicate is not new) came for longer than that, counted from the last
// file received, or from the first run when none ever came: warning past expected_every,
// critical past three times it. It is e-mailed to alerts.default_to when new or when it
// became critical, and resolved when a file comes.
func (n *notifier) missingFeeds(ctx context.Context, conn *sql.Conn, res *Result) error {
	now := n.now
	day := now.In(n.Location).Format(time.DateOnly)
	for _, f := range n.Feeds {
		if f.ExpectedEvery.Duration <= 0 {
			continue
		}
		var last sql.NullTime
		var lastName sql.NullString
		var since time.Time
		if err := conn.QueryRowContext(ctx, warehouse.Statement("notify/feed_last_file.sql"), f.Name).Scan(&last, &lastName, &since); err != nil {
			return fmt.Errorf("missing feeds: %w", err)
		}
		from := since
		if last.Valid {
			from = last.Time
		}
		silent := now.Sub(from)
		severity := "ok"
		switch {
		case silent > 3*f.ExpectedEvery.Duration:
			severity = "critical"
		case silent > f.ExpectedEvery.Duration:
			severity = "warning"
		}
		var id sql.NullInt64
		var status, sent sql.NullString
		if err := conn.QueryRowContext(ctx, warehouse.Statement("notify/feed_alert.sql"), f.Name).Scan(&id, &status, &sent); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("missing feeds: %w", err)
		}
		if severity == "ok" {
			if id.Valid && status.String == "open" {
				if _, err := conn.ExecContext(ctx, `UPDATE alerts SET status = 'resolved', last_seen = ? WHERE alert_id = ?`, day, id.Int64); err != nil {
					return err
				}
				res.Resolved++
			}
			continue
		}
		res.Open++
		reopened := !id.Valid || status.String != "open"
		if !id.Valid {
			if err := conn.QueryRowContext(ctx, `SELECT nextval('alert_id_seq')`).Scan(&id.Int64); err != nil {
				return err
			}
			if _, err := conn.ExecContext(ctx, warehouse.Statement("notify/insert_feed_alert.sql"), id.Int64, f.Name, severity, day, day); err != nil {
				return fmt.Errorf("record alert: %w", err)
			}
		} else if _, err := conn.ExecContext(ctx, warehouse.Statement("notify/update_feed_alert.sql"), severity, day, day, id.Int64); err != nil {
			return err
		}
		if !reopened && sent.Valid && severityRank[severity] <= severityRank[sent.String] {
			continue
		}
		m := mail.MissingFeed{AlertID: id.Int64, Feed: f.Name, Distributor: f.Distributor, Source: f.Source,
			LastFile: lastName.String, Expected: f.ExpectedEvery.Duration, Now: now, Severity: severity}
		if last.Valid {
			m.LastReceived = last.Time
		}
		if !reopened && sent.Valid {
			m.PreviousSeverity = sent.String
		}
		to := n.DefaultTo
		if len(to) == 0 {
			zerolog.Ctx(ctx).Warn().Str("feed", f.Name).Msg("no recipient for the missing-feed alert: set alerts.default_to")
			continue
		}
		msg, err := mail.RenderMissingFeed(m, n.From, to)
		if err != nil {
			return fmt.Errorf("render alert %d: %w", id.Int64, err)
		}
		path, err := n.deliver(ctx, conn, id.Int64, msg, severity, nil)
		if err != nil {
			return err
		}
		res.Sent++
		zerolog.Ctx(ctx).Info().Int64("alert_id", id.Int64).Str("feed", f.Name).Str("severity", severity).
			Dur("silent", silent).Strs("to", to).Str("eml", path).Msg("missing-feed alert e-mailed")
	}
	return nil
}

// deliver e-mails an alert in three recorded moves, so that a crash at any point
// neither sends it twice nor loses it: the row is marked "sending" with the outbox file
// it will write and what the e-mail says; the file is written; the row is marked "sent".
// A run that finds a row still "sending" (see recover) completes it if its file is
// there, or forgets it if not, so that the alert is decided again.
func (n *notifier) deliver(ctx context.Context, conn *sql.Conn, id int64, msg mail.Message, severity string, deviation any) (string, error) {
	msg.Date = n.now
	path := mail.OutboxPath(n.Outbox, msg)
	if _, err := conn.ExecContext(ctx, warehouse.Statement("notify/mark_sending.sql"), path, severity, deviation, strings.Join(msg.To, ", "), msg.Date, id); err != nil {
		return "", fmt.Errorf("record alert %d as sending: %w", id, err)
	}
	if _, err := mail.WriteOutbox(n.Outbox, msg); err != nil {
		return "", fmt.Errorf("write alert %d to the outbox: %w", id, err)
	}
	if n.afterWrite != nil {
		if err := n.afterWrite(id); err != nil {
			return "", err
		}
	}
	if err := markSent(ctx, conn, id); err != nil {
		return "", err
	}
	return path, nil
}

// markSent turns an alert's e-mail under way into its last sent one.
func markSent(ctx context.Context, conn *sql.Conn, id int64) error {
	if _, err := conn.ExecContext(ctx, warehouse.Statement("notify/mark_sent.sql"), id); err != nil {
		return fmt.Errorf("record alert %d as sent: %w", id, err)
	}
	return nil
}

// recover completes the deliveries a crash interrupted: an alert still "sending" whose
// outbox file exists was sent; one whose file is missing was not, and is decided again.
func (n *notifier) recover(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, `SELECT alert_id, outbox_file FROM alerts WHERE delivery = 'sending'`)
	if err != nil {
		return fmt.Errorf("interrupted deliveries: %w", err)
	}
	type pending struct {
		id   int64
		file string
	}
	var ps []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.id, &p.file); err != nil {
			rows.Close()
			return fmt.Errorf("interrupted deliveries: %w", err)
		}
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("interrupted deliveries: %w", err)
	}
	for _, p := range ps {
		log := zerolog.Ctx(ctx).Warn().Int64("alert_id", p.id).Str("eml", p.file)
		if _, err := os.Stat(p.file); err == nil {
			if err := markSent(ctx, conn, p.id); err != nil {
				return err
			}
			log.Msg("an interrupted delivery had written its e-mail: recorded as sent")
			continue
		}
		if _, err := conn.ExecContext(ctx, `UPDATE alerts SET delivery = NULL WHERE alert_id = ?`, p.id); err != nil {
			return fmt.Errorf("interrupted delivery of alert %d: %w", p.id, err)
		}
		log.Msg("an interrupted delivery had not written its e-mail: the alert is decided again")
	}
	return nil
}
