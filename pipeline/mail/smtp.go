package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/textproto"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// SMTPConfig is how to reach the mail relay (alerts.smtp).
type SMTPConfig struct {
	Address  string // host:port
	Username string // empty: no authentication
	Password string
	TLS      string        // starttls (default) | tls (implicit, from the first byte) | none
	Timeout  time.Duration // the connection and each command; 30s when 0
	// TLSConfig adds to the TLS settings (RootCAs for a private CA); ServerName is the
	// host of Address unless set.
	TLSConfig *tls.Config
}

// Sender sends already encoded messages over one SMTP connection, opened at the first
// Send and reused by the next ones (the sends of one run), through
// github.com/wneessen/go-mail: TLS, authentication and timeouts are its.
//
// A refused connection fails the Send and every later one with the same error without
// dialling again; a reply error (4xx or 5xx to MAIL, RCPT or DATA) fails that message
// only, and the connection serves the next one; a broken connection is dialled again
// for the next message, at most maxDials times in all.
type Sender struct {
	cfg     SMTPConfig
	client  *gomail.Client
	conn    *smtp.Client
	dialErr error
	dials   int
}

const maxDials = 3

// NewSender prepares a Sender; it connects at the first Send.
func NewSender(cfg SMTPConfig) (*Sender, error) {
	host, portText, err := net.SplitHostPort(cfg.Address)
	if err != nil {
		return nil, fmt.Errorf("smtp address %q: %w", cfg.Address, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return nil, fmt.Errorf("smtp address %q: bad port", cfg.Address)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TLSConfig != nil {
		tlsConfig = cfg.TLSConfig.Clone()
	}
	if tlsConfig.ServerName == "" {
		tlsConfig.ServerName = host
	}
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithTimeout(cfg.Timeout), gomail.WithTLSConfig(tlsConfig)}
	switch cfg.TLS {
	case "", "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		return nil, fmt.Errorf("smtp tls %q: want starttls, tls or none", cfg.TLS)
	}
	if cfg.Username != "" {
		// The strongest mechanism the relay offers; without TLS (a loopback relay only,
		// as config validation ensures) go-mail's discovery refuses the cleartext ones,
		// and PLAIN is what a local relay offers.
		auth := gomail.SMTPAuthAutoDiscover
		if cfg.TLS == "none" {
			auth = gomail.SMTPAuthPlain
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	client, err := gomail.NewClient(host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp client: %w", err)
	}
	return &Sender{cfg: cfg, client: client}, nil
}

// SendError is a failed send: Temporary for a 4xx reply or a connection problem (the
// relay may take it later), not for a 5xx reply.
type SendError struct {
	Code int // the SMTP reply code; 0 when the connection failed
	Err  error
}

func (e *SendError) Error() string { return e.Err.Error() }
func (e *SendError) Unwrap() error { return e.Err }

// Temporary says whether a later attempt may succeed without a change of config.
func (e *SendError) Temporary() bool { return e.Code < 500 }

// Send hands one encoded message (raw, as WriteTo writes it) to the relay for the
// envelope addresses from and to (bare or with display names).
func (s *Sender) Send(ctx context.Context, from string, to []string, raw []byte) error {
	envFrom, err := mail.ParseAddress(from)
	if err != nil {
		return fmt.Errorf("%w: From %q: %v", ErrInvalidHeader, from, err)
	}
	rcpts := make([]string, len(to))
	for i, t := range to {
		a, err := mail.ParseAddress(t)
		if err != nil {
			return fmt.Errorf("%w: To %q: %v", ErrInvalidHeader, t, err)
		}
		rcpts[i] = a.Address
	}
	if err := s.connect(ctx); err != nil {
		return err
	}
	err = s.transaction(envFrom.Address, rcpts, raw)
	if err == nil {
		return nil
	}
	var reply *textproto.Error
	if errors.As(err, &reply) {
		if rerr := s.conn.Reset(); rerr != nil {
			s.drop()
		}
		return &SendError{Code: reply.Code, Err: fmt.Errorf("smtp %s: %w", s.cfg.Address, err)}
	}
	s.drop() // the connection is in an unknown state: the next message dials again
	return &SendError{Err: fmt.Errorf("smtp %s: %w", s.cfg.Address, err)}
}

func (s *Sender) transaction(from string, to []string, raw []byte) error {
	if err := s.conn.UpdateDeadline(s.cfg.Timeout); err != nil {
		return err
	}
	if err := s.conn.Mail(from); err != nil {
		return err
	}
	for _, r := range to {
		if err := s.conn.Rcpt(r); err != nil {
			return err
		}
	}
	w, err := s.conn.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	// The relay takes responsibility for the message when it answers 250 here.
	return w.Close()
}

// connect opens the connection if there is none; a failed dial is remembered.
func (s *Sender) connect(ctx context.Context) error {
	if s.conn != nil {
		return nil
	}
	if s.dialErr != nil {
		return s.dialErr
	}
	if s.dials >= maxDials {
		return &SendError{Err: fmt.Errorf("smtp %s: the connection broke %d times in this run", s.cfg.Address, s.dials)}
	}
	s.dials++
	conn, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		code := 0
		var reply *textproto.Error
		if errors.As(err, &reply) {
			code = reply.Code
		}
		s.dialErr = &SendError{Code: code, Err: fmt.Errorf("smtp %s: connect: %w", s.cfg.Address, err)}
		return s.dialErr
	}
	s.conn = conn
	return nil
}

func (s *Sender) drop() {
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
}

// Close says QUIT and closes the connection, if one is open.
func (s *Sender) Close() error {
	if s.conn == nil {
		return nil
	}
	err := s.client.CloseWithSMTPClient(s.conn)
	s.conn = nil
	return err
}
