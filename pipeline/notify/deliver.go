package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/mail"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// Digest delivery states (alert_digests.status).
const (
	StatusPending = "pending" // recorded with its whole message; maybe not yet in the outbox
	StatusWritten = "written" // in the outbox, and no SMTP relay is configured: delivered
	StatusSending = "sending" // recorded before the SMTP transaction; still so after a crash in it
	StatusSent    = "sent"    // the relay accepted it (250 after DATA)
	StatusFailed  = "failed"  // the last attempt failed (refused connection, 4xx, 5xx): retried by the next run
)

// delivery hands recorded digests to the outbox and to the SMTP relay, over one
// connection for the whole run (opened at the first send).
//
// The guarantees come from the order of the moves, each recorded before its side
// effect, and from record (digest.go), which stores every digest, whole message
// included, in the transaction that marks its alerts as e-mailed:
//
//   - never lost: from that commit the digest is in alert_digests; a run that stops at
//     any later point leaves it pending, sending or failed, and the next run (which
//     delivers what earlier runs left before deciding anything new) writes its outbox
//     file from the stored message if the file is missing, and sends it.
//   - the outbox file is written once: it is renamed into place complete, and written
//     only when absent.
//   - never sent twice, with one window no protocol can close: the state is set to
//     sending (attempts + 1) before the SMTP transaction and to sent after the relay's
//     250 reply to DATA. A crash after the relay accepted the message and before "sent"
//     is committed leaves it sending; the next run cannot know whether the relay got it
//     and sends it again. The copy carries the same bytes, hence the same Message-ID,
//     which mail stores and clients (Gmail, Outlook, Apple Mail) use to drop the
//     duplicate, and the log says it was a resend. The window is the time of one
//     commit.
//   - a failed send (connection refused, timeout, 4xx or 5xx) is recorded as failed with
//     the attempt count and the error, and retried at the next run, for every recipient
//     independently: each digest has one recipient.
type delivery struct {
	cfg    *mail.SMTPConfig
	sender *mail.Sender
}

func (n *notifier) newDelivery() *delivery { return &delivery{cfg: n.SMTP} }

func (d *delivery) close(ctx context.Context) {
	if d.sender != nil {
		if err := d.sender.Close(); err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Msg("smtp: closing the connection")
		}
	}
}

type pendingDigest struct {
	id       int64
	to       string
	path     string
	raw      []byte
	status   string
	attempts int
}

// deliver completes the digests not yet delivered: of run *runID, or of every run when
// runID is nil. Database errors stop it (the run fails, the state stays consistent);
// send errors do not (they are recorded and counted in res.Failed).
func (d *delivery) deliver(ctx context.Context, conn *sql.Conn, n *notifier, runID *int64, res *Result) error {
	var filter any
	if runID != nil {
		filter = *runID
	}
	var todo []pendingDigest
	if err := query(ctx, conn, "notify/digests_to_deliver.sql", []any{filter, filter}, func(rows *sql.Rows) error {
		var p pendingDigest
		if err := rows.Scan(&p.id, &p.to, &p.path, &p.raw, &p.status, &p.attempts); err != nil {
			return err
		}
		todo = append(todo, p)
		return nil
	}); err != nil {
		return fmt.Errorf("digests to deliver: %w", err)
	}
	for _, p := range todo {
		log := zerolog.Ctx(ctx).With().Int64("digest_id", p.id).Str("to", p.to).Str("eml", p.path).Logger()
		if runID == nil {
			log.Warn().Str("status", p.status).Int("attempts", p.attempts).Msg("completing the delivery of a digest an earlier run left")
		}
		if err := d.writeOutbox(ctx, conn, n, p, res); err != nil {
			return err
		}
		if d.cfg == nil {
			if p.status != StatusPending {
				log.Warn().Str("status", p.status).Msg("this digest was to be sent by SMTP, and alerts.smtp is no longer set: it stays in the outbox")
				continue
			}
			if err := mark(ctx, conn, p.id, StatusWritten, n.now, nil); err != nil {
				return err
			}
			continue
		}
		if err := d.send(ctx, conn, n, p, res); err != nil {
			return err
		}
	}
	return nil
}

// writeOutbox writes the digest's outbox file from its stored message when the file is
// not there (a complete file is there or not at all: it is renamed into place).
func (d *delivery) writeOutbox(ctx context.Context, conn *sql.Conn, n *notifier, p pendingDigest, res *Result) error {
	if _, err := os.Stat(p.path); err == nil {
		return nil
	}
	if err := mail.WriteFile(p.path, p.raw); err != nil {
		return fmt.Errorf("write digest %d to the outbox: %w", p.id, err)
	}
	res.Written++
	if n.afterWrite != nil {
		if err := n.afterWrite(p.id); err != nil {
			return err
		}
	}
	return nil
}

// send hands one digest to the relay, recording the attempt before and its outcome after.
func (d *delivery) send(ctx context.Context, conn *sql.Conn, n *notifier, p pendingDigest, res *Result) error {
	log := zerolog.Ctx(ctx).With().Int64("digest_id", p.id).Str("to", p.to).Logger()
	if d.sender == nil {
		s, err := mail.NewSender(*d.cfg)
		if err != nil {
			return err
		}
		d.sender = s
	}
	if p.status == StatusSending {
		log.Warn().Msg("a send of this digest was interrupted: sending it again with the same Message-ID (the relay may have it already)")
	}
	if err := mark(ctx, conn, p.id, StatusSending, n.now, nil); err != nil {
		return err
	}
	sendErr := d.sender.Send(ctx, n.From, []string{p.to}, p.raw)
	if sendErr == nil && n.afterSend != nil {
		if err := n.afterSend(p.id); err != nil {
			return err
		}
	}
	if sendErr != nil {
		if errors.Is(sendErr, context.Canceled) || errors.Is(sendErr, context.DeadlineExceeded) {
			return sendErr
		}
		res.Failed++
		msg := sendErr.Error()
		log.Error().Err(sendErr).Int("attempt", p.attempts+1).Msg("digest not sent: the next run retries it")
		return mark(ctx, conn, p.id, StatusFailed, n.now, &msg)
	}
	res.Sent++
	log.Info().Int("attempt", p.attempts+1).Msg("digest sent")
	return mark(ctx, conn, p.id, StatusSent, n.now, nil)
}

// mark moves a digest to status (mark_digest.sql).
func mark(ctx context.Context, conn *sql.Conn, id int64, status string, now time.Time, lastError *string) error {
	var e any
	if lastError != nil {
		e = *lastError
	}
	if _, err := conn.ExecContext(ctx, warehouse.Statement("notify/mark_digest.sql"),
		status, now, status, now, status, status, now, e, id); err != nil {
		return fmt.Errorf("record digest %d as %s: %w", id, status, err)
	}
	return nil
}
