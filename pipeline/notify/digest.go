package notify

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/mail"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// digest is one recipient's e-mail of this run, rendered and encoded.
type digest struct {
	id      int64
	to      string
	subject string
	msgID   string
	path    string // its outbox file
	raw     []byte // the encoded message
	notices []*notice
}

// compose routes the notices and renders one digest per recipient, sorted by address.
// A notice nobody can receive (no owner and no alerts.default_to) is logged and left
// out: its alert stays un-e-mailed and is decided again by the next run.
func (n *notifier) compose(ctx context.Context, conn *sql.Conn, asOf time.Time, notices []notice) ([]digest, error) {
	log := zerolog.Ctx(ctx)
	byTo := map[string][]*notice{}
	for i := range notices {
		nt := &notices[i]
		if nt.notice != NoticeResolved || len(nt.to) == 0 {
			to, err := n.recipients(ctx, conn, nt.f)
			if err != nil {
				return nil, err
			}
			nt.to = to
		}
		if len(nt.to) == 0 {
			log.Warn().Int64("alert_id", nt.alertID).Str("kind", nt.f.Kind).Str("scope", nt.f.Scope).Str("scope_id", nt.f.ScopeID).
				Msg("no recipient for this alert: set alerts.default_to (or alerts.data_owner), or the reps reference")
			continue
		}
		if nt.f.explain && nt.notice != NoticeResolved {
			n.enrich(ctx, conn, asOf, &nt.f)
		}
		for _, a := range nt.to {
			byTo[a] = append(byTo[a], nt)
		}
	}
	recipients := make([]string, 0, len(byTo))
	for a := range byTo {
		recipients = append(recipients, a)
	}
	slices.Sort(recipients)
	var out []digest
	for _, to := range recipients {
		d := digest{to: to, notices: byTo[to]}
		if err := conn.QueryRowContext(ctx, `SELECT nextval('digest_id_seq')`).Scan(&d.id); err != nil {
			return nil, err
		}
		md := mail.Digest{ID: d.id, From: n.From, To: to, AsOf: asOf}
		for _, nt := range d.notices {
			if nt.notice == NoticeResolved {
				md.Resolved = append(md.Resolved, nt.f.Item)
			} else {
				md.Items = append(md.Items, nt.f.Item)
			}
		}
		msg, err := mail.RenderDigest(md)
		if err != nil {
			return nil, fmt.Errorf("digest to %s: %w", to, err)
		}
		msg.Date = n.now
		var buf bytes.Buffer
		if _, err := msg.WriteTo(&buf); err != nil {
			return nil, fmt.Errorf("digest to %s: %w", to, err)
		}
		d.subject, d.msgID, d.raw, d.path = msg.Subject, msg.MessageID, buf.Bytes(), mail.OutboxPath(n.Outbox, msg)
		out = append(out, d)
	}
	return out, nil
}

// record stores the digests, whole, and marks their alerts as e-mailed, in one
// transaction: from its commit the digests are owed to their recipients (deliver.go)
// and the alerts will not be decided again until something changes.
func (n *notifier) record(ctx context.Context, conn *sql.Conn, digests []digest, res *Result) error {
	if len(digests) == 0 {
		return nil
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	carried := map[int64]*notice{}
	var order []int64
	for _, d := range digests {
		ids := make([]int64, len(d.notices))
		for i, nt := range d.notices {
			ids[i] = nt.alertID
		}
		if _, err := tx.ExecContext(ctx, warehouse.Statement("notify/insert_digest.sql"), d.id, n.RunID, d.to, listValue(ids),
			d.subject, d.msgID, d.path, d.raw, n.now); err != nil {
			return fmt.Errorf("record digest to %s: %w", d.to, err)
		}
		for _, nt := range d.notices {
			var dev any
			if nt.deviation.Valid {
				dev = nt.deviation.Float64
			}
			if _, err := tx.ExecContext(ctx, warehouse.Statement("notify/insert_digest_item.sql"), d.id, nt.alertID, nt.notice, nt.severity, dev); err != nil {
				return fmt.Errorf("record digest to %s: %w", d.to, err)
			}
			if carried[nt.alertID] == nil {
				order = append(order, nt.alertID)
			}
			carried[nt.alertID] = nt
		}
	}
	for _, id := range order {
		nt := carried[id]
		if nt.notice == NoticeResolved {
			_, err = tx.ExecContext(ctx, warehouse.Statement("notify/mark_resolved_noticed.sql"), id)
		} else {
			var dev any
			if nt.deviation.Valid {
				dev = nt.deviation.Float64
			}
			_, err = tx.ExecContext(ctx, warehouse.Statement("notify/mark_notified.sql"), n.now, nt.severity, dev, strings.Join(nt.to, ", "), id)
			res.Notified++
		}
		if err != nil {
			return fmt.Errorf("record alert %d as e-mailed: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record digests: commit: %w", err)
	}
	for _, d := range digests {
		res.Digests++
		res.DigestsTo[d.to]++
		zerolog.Ctx(ctx).Info().Int64("digest_id", d.id).Str("to", d.to).Int("alerts", len(d.notices)).Str("subject", d.subject).Msg("digest recorded")
	}
	return nil
}

// listValue is a DuckDB list literal of ids ("[1, 2]"), bound as text and cast by insert_digest.sql.
func listValue(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
