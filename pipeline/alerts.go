package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/alert"
)

// AlertResult counts the alert step.
type AlertResult struct {
	Open     int // warning or critical deviations at as_of
	Sent     int // e-mails written (new or worse)
	Resolved int // alerts whose deviation is back to ok
	Outbox   string
}

type openDeviation struct {
	alert.Deviation
	exists        bool
	status        string
	sentSeverity  sql.NullString
	sentDeviation sql.NullFloat64
}

var severityRank = map[string]int{"ok": 0, "warning": 1, "critical": 2}

// alert turns each warning or critical KPI deviation at asOf into an alert. An alert is
// e-mailed when it is new (or reopened), when its severity rose, or when its deviation
// got worse by alerts.worsen_points since the last e-mail; otherwise it is only kept up
// to date. Every e-mail is written to the outbox as an .eml file.
func (r *Runner) alert(ctx context.Context, conn *sql.Conn, asOf time.Time) (AlertResult, error) {
	res := AlertResult{Outbox: r.Cfg.Alerts.Outbox}
	log := zerolog.Ctx(ctx)
	day := asOf.Format(time.DateOnly)
	rows, err := conn.QueryContext(ctx, `
		SELECT d.scope, d.scope_id, d.kpi, d.period, d.actual::DOUBLE, d.target::DOUBLE, d.annual_target::DOUBLE, d.deviation_pct, d.severity,
		       coalesce(rp.name, p.name, ''),
		       a.alert_id, a.status, a.sent_severity, a.sent_deviation_pct
		FROM kpi_deviations d
		LEFT JOIN alerts a ON a.kind = 'kpi_deviation' AND a.scope = d.scope AND a.scope_id = d.scope_id
		                  AND a.kpi = d.kpi AND a.period = d.period
		LEFT JOIN reps rp ON d.scope = 'sales_rep' AND rp.sales_rep = d.scope_id
		LEFT JOIN partners p ON d.scope = 'partner' AND p.partner_id = d.scope_id
		WHERE d.as_of = ? AND d.severity IN ('warning', 'critical')
		ORDER BY d.scope, d.scope_id, d.kpi`, day)
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
			d.Currency = r.Cfg.BaseCurrency
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
			(d.sentDeviation.Valid && d.DeviationPct <= d.sentDeviation.Float64-r.Cfg.Alerts.WorsenPoints)
		if !d.exists {
			if err := conn.QueryRowContext(ctx, `SELECT nextval('alert_id_seq')`).Scan(&d.AlertID); err != nil {
				return res, err
			}
			if _, err := conn.ExecContext(ctx, `
				INSERT INTO alerts (alert_id, kind, scope, scope_id, kpi, period, severity, deviation_pct, first_seen, last_seen, status)
				VALUES (?, 'kpi_deviation', ?, ?, ?, ?, ?, ?, ?, ?, 'open')`,
				d.AlertID, d.Scope, d.ScopeID, d.KPI, d.Period, d.Severity, d.DeviationPct, day, day); err != nil {
				return res, fmt.Errorf("record alert: %w", err)
			}
		} else if _, err := conn.ExecContext(ctx, `
				UPDATE alerts SET severity = ?, deviation_pct = ?, last_seen = ?, status = 'open',
				       first_seen = CASE WHEN status = 'open' THEN first_seen ELSE ? END
				WHERE alert_id = ?`, d.Severity, d.DeviationPct, day, day, d.AlertID); err != nil {
			return res, fmt.Errorf("update alert %d: %w", d.AlertID, err)
		}
		if !send {
			continue
		}
		if d.exists && d.status == "open" && d.sentSeverity.Valid {
			d.PreviousSeverity = d.sentSeverity.String
		}
		to, err := r.recipients(ctx, conn, d.Scope, d.ScopeID)
		if err != nil {
			return res, err
		}
		if len(to) == 0 {
			log.Warn().Str("scope", d.Scope).Str("scope_id", d.ScopeID).Msg("no recipient for this alert: set alerts.default_to or reps.csv")
			continue
		}
		msg, err := alert.Render(d.Deviation, r.from(), to)
		if err != nil {
			return res, fmt.Errorf("render alert %d: %w", d.AlertID, err)
		}
		path, err := r.deliver(ctx, conn, d.AlertID, msg, d.Severity, d.DeviationPct)
		if err != nil {
			return res, err
		}
		res.Sent++
		log.Info().Int64("alert_id", d.AlertID).Str("scope", d.Scope).Str("scope_id", d.ScopeID).Str("kpi", d.KPI).
			Str("severity", d.Severity).Float64("deviation_pct", d.DeviationPct).Strs("to", to).Str("eml", path).Msg("alert e-mailed")
	}

	if err := r.missingFeeds(ctx, conn, &res); err != nil {
		return res, err
	}

	out, err := conn.ExecContext(ctx, `
		UPDATE alerts SET status = 'resolved'
		WHERE kind = 'kpi_deviation' AND status = 'open'
		  AND NOT EXISTS (SELECT 1 FROM kpi_deviations d
		                  WHERE d.as_of = ? AND d.severity IN ('warning', 'critical') AND d.scope = alerts.scope
		                    AND d.scope_id = alerts.scope_id AND d.kpi = alerts.kpi AND d.period = alerts.period)`, day)
	if err != nil {
		return res, fmt.Errorf("resolve alerts: %w", err)
	}
	n, _ := out.RowsAffected()
	res.Resolved += int(n)
	log.Info().Int("open", res.Open).Int("sent", res.Sent).Int("resolved", res.Resolved).Msg("alerts")
	return res, nil
}

// recipients routes an alert: a rep's alert to the rep and their manager; a territory's
// to its reps and their managers; a partner's to its rep and the rep's manager; anything
// else, or anything without a known address, to alerts.default_to.
func (r *Runner) recipients(ctx context.Context, conn *sql.Conn, scope, scopeID string) ([]string, error) {
	var q string
	switch scope {
	case "sales_rep":
		q = `SELECT email, manager_email FROM reps WHERE sales_rep = ?`
	case "territory":
		q = `SELECT email, manager_email FROM reps WHERE territory = ?`
	case "partner":
		q = `SELECT rp.email, rp.manager_email FROM partners p JOIN reps rp ON rp.sales_rep = p.sales_rep WHERE p.partner_id = ?`
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
		to = append(to, r.Cfg.Alerts.DefaultTo...)
	}
	return to, nil
}

// missingFeeds raises a "missing_feed" alert for each feed with expected_every from which
// no new file (a duplicate is not new) came for longer than that, counted from the last
// file received, or from the first run when none ever came: warning past expected_every,
// critical past three times it. It is e-mailed to alerts.default_to when new or when it
// became critical, and resolved when a file comes.
func (r *Runner) missingFeeds(ctx context.Context, conn *sql.Conn, res *AlertResult) error {
	now := r.now()
	day := now.In(r.Cfg.Location).Format(time.DateOnly)
	for _, f := range r.Cfg.Feeds {
		if f.ExpectedEvery.Duration <= 0 {
			continue
		}
		var last sql.NullTime
		var lastName sql.NullString
		var since time.Time
		if err := conn.QueryRowContext(ctx, `
			SELECT max(received_at), arg_max(name, received_at),
			       (SELECT min(started_at) FROM runs)
			FROM files WHERE feed = ? AND status <> 'duplicate'`, f.Name).Scan(&last, &lastName, &since); err != nil {
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
		if err := conn.QueryRowContext(ctx, `
			SELECT alert_id, status, sent_severity FROM alerts
			WHERE kind = 'missing_feed' AND scope = 'feed' AND scope_id = ?`, f.Name).Scan(&id, &status, &sent); err != nil && !errors.Is(err, sql.ErrNoRows) {
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
			if _, err := conn.ExecContext(ctx, `
				INSERT INTO alerts (alert_id, kind, scope, scope_id, kpi, period, severity, first_seen, last_seen, status)
				VALUES (?, 'missing_feed', 'feed', ?, 'files', 'latest', ?, ?, ?, 'open')`, id.Int64, f.Name, severity, day, day); err != nil {
				return fmt.Errorf("record alert: %w", err)
			}
		} else if _, err := conn.ExecContext(ctx, `
			UPDATE alerts SET severity = ?, last_seen = ?, status = 'open',
			       first_seen = CASE WHEN status = 'open' THEN first_seen ELSE ? END
			WHERE alert_id = ?`, severity, day, day, id.Int64); err != nil {
			return err
		}
		if !reopened && sent.Valid && severityRank[severity] <= severityRank[sent.String] {
			continue
		}
		m := alert.MissingFeed{AlertID: id.Int64, Feed: f.Name, Distributor: f.Distributor, Source: f.Source,
			LastFile: lastName.String, Expected: f.ExpectedEvery.Duration, Now: now, Severity: severity}
		if last.Valid {
			m.LastReceived = last.Time
		}
		if !reopened && sent.Valid {
			m.PreviousSeverity = sent.String
		}
		to := r.Cfg.Alerts.DefaultTo
		if len(to) == 0 {
			zerolog.Ctx(ctx).Warn().Str("feed", f.Name).Msg("no recipient for the missing-feed alert: set alerts.default_to")
			continue
		}
		msg, err := alert.RenderMissingFeed(m, r.from(), to)
		if err != nil {
			return fmt.Errorf("render alert %d: %w", id.Int64, err)
		}
		path, err := r.deliver(ctx, conn, id.Int64, msg, severity, nil)
		if err != nil {
			return err
		}
		res.Sent++
		zerolog.Ctx(ctx).Info().Int64("alert_id", id.Int64).Str("feed", f.Name).Str("severity", severity).
			Dur("silent", silent).Strs("to", to).Str("eml", path).Msg("missing-feed alert e-mailed")
	}
	return nil
}

// deliver writes an alert's e-mail to the outbox and records it as sent, with the
// severity and deviation (nil when the alert has none) it was sent at.
func (r *Runner) deliver(ctx context.Context, conn *sql.Conn, id int64, msg alert.Message, severity string, deviation any) (string, error) {
	msg.Date = r.now()
	path, err := alert.WriteOutbox(r.Cfg.Alerts.Outbox, msg)
	if err != nil {
		return "", fmt.Errorf("write alert %d to the outbox: %w", id, err)
	}
	if _, err := conn.ExecContext(ctx, `
		UPDATE alerts SET last_sent = ?, sent_severity = ?, sent_deviation_pct = ?, recipients = ? WHERE alert_id = ?`,
		msg.Date, severity, deviation, strings.Join(msg.To, ", "), id); err != nil {
		return "", fmt.Errorf("record alert %d as sent: %w", id, err)
	}
	return path, nil
}

// from is the sender of alert e-mails.
func (r *Runner) from() string {
	if r.Cfg.Alerts.SMTP != nil {
		return r.Cfg.Alerts.SMTP.From
	}
	return "salesout <salesout@localhost>"
}
