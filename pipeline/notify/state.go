package notify

import (
	"context"
	"database/sql"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/warehouse"
)

// Notices: why an alert is in a digest.
const (
	NoticeNew      = "new"      // raised, or raised again after it was resolved, or never e-mailed yet
	NoticeWorse    = "worse"    // its severity rose, or its deviation got worse by worsen_points
	NoticeRepeat   = "repeat"   // still open alerts.repeat_every after the last e-mail
	NoticeResolved = "resolved" // its rule no longer holds: reported once
)

// alertState is an alert's row as the step needs it.
type alertState struct {
	id             int64
	status         string
	sentSeverity   sql.NullString
	sentDeviation  sql.NullFloat64
	lastSent       sql.NullTime
	recipients     string
	resolvedNotice string
}

// notice is one alert to put in the digests of its recipients.
type notice struct {
	alertID   int64
	notice    string
	severity  string
	deviation sql.NullFloat64
	to        []string
	f         finding // the finding (for resolved notices: Item from the alert's row)
}

var severityRank = map[string]int{"ok": 0, "warning": 1, "critical": 2}

// decide says whether an open alert is e-mailed now, and why.
func (n *notifier) decide(s alertState, exists bool, f finding) string {
	switch {
	case !exists || s.status != "open" || !s.sentSeverity.Valid || !s.lastSent.Valid:
		return NoticeNew
	case severityRank[f.Severity] > severityRank[s.sentSeverity.String]:
		return NoticeWorse
	case f.Deviation.Valid && s.sentDeviation.Valid && f.Deviation.Float64 <= s.sentDeviation.Float64-n.WorsenPoints:
		return NoticeWorse
	case n.RepeatEvery > 0 && n.now.Sub(s.lastSent.Time) >= n.RepeatEvery:
		return NoticeRepeat
	}
	return ""
}

// updateState writes the findings into the alerts table in one transaction: new alerts
// are inserted, known ones updated (and reopened), open ones their rule no longer finds
// resolved. It returns the notices to e-mail: the alerts new, worse or due again, not
// muted, and the resolved notices owed.
func (n *notifier) updateState(ctx context.Context, conn *sql.Conn, asOf time.Time, findings []finding, kinds map[string]bool, res *Result) ([]notice, error) {
	log := zerolog.Ctx(ctx)
	states := map[alertKey]alertState{}
	if err := query(ctx, conn, "notify/alerts_state.sql", nil, func(rows *sql.Rows) error {
		var k alertKey
		var s alertState
		if err := rows.Scan(&s.id, &k.kind, &k.scope, &k.scopeID, &k.kpi, &k.period, &s.status, &s.sentSeverity,
			&s.sentDeviation, &s.lastSent, &s.recipients, &s.resolvedNotice); err != nil {
			return err
		}
		states[k] = s
		return nil
	}); err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	day := asOf.Format(time.DateOnly)
	var notices []notice
	seen := map[alertKey]bool{}
	for _, f := range findings {
		k := f.key()
		if seen[k] {
			continue
		}
		seen[k] = true
		s, exists := states[k]
		var muted any
		for _, m := range n.Mute {
			if m.Muted(f.Scope, f.ScopeID, asOf) {
				muted = m.Until
				break
			}
		}
		var dev any
		if f.Deviation.Valid {
			dev = f.Deviation.Float64
		}
		if !exists {
			if err := tx.QueryRowContext(ctx, `SELECT nextval('alert_id_seq')`).Scan(&s.id); err != nil {
				return nil, err
			}
			if _, err := tx.ExecContext(ctx, warehouse.Statement("notify/insert_alert.sql"), s.id, f.Kind, f.Scope, f.ScopeID,
				f.KPI, f.Period, f.Severity, dev, day, day, f.Summary, muted); err != nil {
				return nil, fmt.Errorf("record alert: %w", err)
			}
		} else if _, err := tx.ExecContext(ctx, warehouse.Statement("notify/update_alert.sql"), f.Severity, dev, day, day,
			f.Summary, muted, s.id); err != nil {
			return nil, fmt.Errorf("update alert %d: %w", s.id, err)
		}
		res.Open++
		if muted != nil {
			res.Muted++
			log.Debug().Int64("alert_id", s.id).Str("scope", f.Scope).Str("scope_id", f.ScopeID).Msg("alert muted")
			continue
		}
		why := n.decide(s, exists, f)
		if why == "" || f.covered {
			continue
		}
		f.Item.AlertID, f.Item.Severity, f.Item.Notice = s.id, f.Severity, why
		f.Item.Rank += float64(priority(f)) * 1e6
		notices = append(notices, notice{alertID: s.id, notice: why, severity: f.Severity, deviation: f.Deviation, f: f})
	}
	for k, s := range states {
		on, known := kinds[k.kind]
		if !known || s.status != "open" || seen[k] {
			continue
		}
		if _, err := tx.ExecContext(ctx, warehouse.Statement("notify/resolve_alert.sql"), n.now, on, s.id); err != nil {
			return nil, fmt.Errorf("resolve alert %d: %w", s.id, err)
		}
		res.Resolved++
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("alerts: commit: %w", err)
	}

	// The resolved notices owed, this run's and any an earlier run could not deliver.
	err = query(ctx, conn, "notify/pending_resolved.sql", nil, func(rows *sql.Rows) error {
		var nt notice
		var f finding
		var recipients string
		if err := rows.Scan(&nt.alertID, &f.Kind, &f.Scope, &f.ScopeID, &nt.severity, &f.Summary, &recipients); err != nil {
			return err
		}
		f.Item.AlertID, f.Item.Severity, f.Item.Notice = nt.alertID, nt.severity, NoticeResolved
		f.Item.Title = resolvedTitle(f)
		f.Item.Headline = "resolved: " + f.ScopeID
		nt.notice, nt.f = NoticeResolved, f
		if list, err := mail.ParseAddressList(recipients); err == nil {
			for _, a := range list {
				nt.to = append(nt.to, strings.ToLower(a.Address))
			}
		}
		notices = append(notices, nt)
		return nil
	})
	return notices, err
}

// priority orders a digest's alerts of one severity: the broad targets first (total,
// territories, reps), then distributors and product lines, the data, the partners, and
// the partners' drops against last year last; the rank of each rule comes next.
func priority(f finding) int {
	switch f.Kind {
	case KindKPIDeviation:
		return map[string]int{"total": 0, "territory": 1, "sales_rep": 2, "distributor": 3, "product_line": 3}[f.Scope] +
			map[bool]int{true: 5}[f.Scope == "partner"]
	case KindYearOverYear:
		if f.Scope == "territory" {
			return 3
		}
		return 6
	case KindSilentPartner:
		return 5
	}
	return 4
}

// resolvedTitle says what is over: the alert's own summary, marked resolved.
func resolvedTitle(f finding) string {
	if f.Summary == "" {
		return fmt.Sprintf("%s %s %s is back to normal", strings.ReplaceAll(f.Kind, "_", " "), f.Scope, f.ScopeID)
	}
	return "Back to normal: " + f.Summary
}
