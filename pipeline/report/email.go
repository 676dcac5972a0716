package report

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/mail"
	"github.com/salesout/salesout/pipeline/notify"
)

// mailer e-mails business-review pages like the alert digests: to the owners of the
// page's territory or rep (notify.Owners: its reps and their managers, else
// alerts.default_to), a copy always written to alerts.outbox as an .eml file, and sent
// through alerts.smtp when it is configured, over one connection for the whole pack.
type mailer struct {
	cfg    *config.Config
	from   string
	now    time.Time
	sender *mail.Sender // nil: outbox only
	sent   int
}

func newMailer(cfg *config.Config, now time.Time) (*mailer, error) {
	m := &mailer{cfg: cfg, from: "salesout <salesout@localhost>", now: now}
	if s := cfg.Alerts.SMTP; s != nil {
		m.from = s.From
		sc, err := notify.SMTPConfig(*s)
		if err != nil {
			return nil, err
		}
		if m.sender, err = mail.NewSender(sc); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *mailer) close() {
	if m.sender != nil {
		_ = m.sender.Close()
	}
}

// page renders one page for e-mail (charts inline by cid:) and delivers it; it returns
// the outbox file and the recipients.
func (m *mailer) page(ctx context.Context, conn *sql.Conn, o PageOptions, unitName string) (string, []string, error) {
	to, err := notify.Owners(ctx, conn, o.Scope, o.ScopeID, m.cfg.Alerts.DefaultTo)
	if err != nil {
		return "", nil, err
	}
	if len(to) == 0 {
		return "", nil, fmt.Errorf("report %s %s: nobody to e-mail it to (reference.reps has no address for it and alerts.default_to is empty)", o.Scope, o.ScopeID)
	}
	var inline []mail.Inline
	o.Image = func(name string, png []byte) string {
		cid := fmt.Sprintf("%s-%d@salesout", safeCID(name), len(inline)+1)
		inline = append(inline, mail.Inline{CID: cid, Name: safeCID(name) + ".png", ContentType: "image/png", Data: png})
		return "cid:" + cid
	}
	html, err := Page(ctx, conn, o)
	if err != nil {
		return "", nil, err
	}
	what := "territory " + o.ScopeID
	if o.Scope == ScopeSalesRep {
		what = "rep " + cmp.Or(unitName, o.ScopeID)
	}
	month := o.AsOf.Format("January 2006")
	sum := sha256.Sum256(append([]byte(strings.Join(to, ",")+o.Scope+o.ScopeID+o.AsOf.Format(time.DateOnly)), html...))
	msg := mail.Message{
		From:    m.from,
		To:      to,
		Subject: oneLine(fmt.Sprintf("[salesout] Business review, %s, %s", what, month)),
		Date:    m.now,
		MessageID: fmt.Sprintf("<report-%s-%s@salesout>", o.AsOf.Format("20060102"),
			hex.EncodeToString(sum[:8])),
		Text: oneLine(fmt.Sprintf("The business review of %s as of %s", what, o.AsOf.Format("2 January 2006"))) +
			" is the HTML part of this e-mail: attainment against target and last year, what makes the gap, " +
			"loyalty movements, coverage and white spaces, and the top development and prospecting targets.\n",
		HTML:   string(html),
		Inline: inline,
	}
	path, err := mail.WriteOutbox(m.cfg.Alerts.Outbox, msg)
	if err != nil {
		return "", nil, fmt.Errorf("report %s %s: write to the outbox: %w", o.Scope, o.ScopeID, err)
	}
	if m.sender != nil {
		var raw strings.Builder
		if _, err := msg.WriteTo(&raw); err != nil {
			return "", nil, err
		}
		if err := m.sender.Send(ctx, msg.From, msg.To, []byte(raw.String())); err != nil {
			return path, to, fmt.Errorf("report %s %s: send (the copy is in %s): %w", o.Scope, o.ScopeID, path, err)
		}
		m.sent++
	}
	return path, to, nil
}

// safeCID keeps the characters a Content-ID may carry here.
func safeCID(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s)
}
