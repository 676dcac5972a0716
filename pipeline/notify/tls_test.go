package notify

import (
	"context"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/mail"
)

// TestSenderModes: the sender speaks STARTTLS, implicit TLS and, to a loopback relay,
// plain SMTP; it refuses a certificate it cannot verify and reports a refused login as
// a permanent error.
func TestSenderModes(t *testing.T) {
	raw := []byte("From: <alerts@example.com>\r\nTo: <a@example.com>\r\nSubject: t\r\nMessage-ID: <t@salesout>\r\n\r\nhello\r\n")
	for _, tc := range []struct {
		name    string
		setup   func(t *testing.T) (*smtpServer, mail.SMTPConfig)
		wantErr string
	}{
		{"starttls", func(t *testing.T) (*smtpServer, mail.SMTPConfig) {
			s := startSMTP(t, "127.0.0.1:0")
			return s, *s.config()
		}, ""},
		{"implicit tls", func(t *testing.T) (*smtpServer, mail.SMTPConfig) {
			s := newSMTP(t)
			s.listenTLS(t, "127.0.0.1:0")
			c := *s.config()
			c.TLS = "tls"
			return s, c
		}, ""},
		{"none on loopback", func(t *testing.T) (*smtpServer, mail.SMTPConfig) {
			s := newSMTP(t)
			s.srv.TLSConfig = nil // no STARTTLS offered
			s.srv.AllowInsecureAuth = true
			s.listen(t, "127.0.0.1:0")
			c := *s.config()
			c.TLS = "none"
			return s, c
		}, ""},
		{"untrusted certificate", func(t *testing.T) (*smtpServer, mail.SMTPConfig) {
			s := startSMTP(t, "127.0.0.1:0")
			c := *s.config()
			c.TLSConfig = nil
			return s, c
		}, "certificate"},
		{"wrong password", func(t *testing.T) (*smtpServer, mail.SMTPConfig) {
			s := startSMTP(t, "127.0.0.1:0")
			c := *s.config()
			c.Password = "wrong"
			return s, c
		}, "535"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, cfg := tc.setup(t)
			sender, err := mail.NewSender(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer sender.Close()
			err = sender.Send(context.Background(), "alerts@example.com", []string{"a@example.com"}, raw)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("send: %v", err)
				}
				if got := srv.received(); len(got) != 1 || !strings.Contains(string(got[0].data), "hello") {
					t.Errorf("received %d", len(got))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("send: %v, want an error with %q", err, tc.wantErr)
			}
			var se *mail.SendError
			if tc.wantErr == "535" && (!errors.As(err, &se) || se.Temporary()) {
				t.Errorf("a refused login is not a permanent SendError: %#v", err)
			}
			if len(srv.received()) != 0 {
				t.Error("the server received it anyway")
			}
		})
	}
}

// TestSMTPConfigCAFile: alerts.smtp.ca_file makes the sender trust a relay's private
// certificate authority; a file without a certificate is an error.
func TestSMTPConfigCAFile(t *testing.T) {
	srv := startSMTP(t, "127.0.0.1:0")
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.srv.TLSConfig.Certificates[0].Leaf.Raw})
	if err := os.WriteFile(ca, block, 0o600); err != nil {
		t.Fatal(err)
	}
	c := config.SMTP{Address: srv.addr, Username: testUser, Password: testPassword, From: "a@example.com", TLS: "starttls",
		Timeout: config.Duration{Duration: 5 * time.Second}, CAFile: ca}
	cfg, err := SMTPConfig(c)
	if err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Close()
	if err := sender.Send(context.Background(), c.From, []string{"b@example.com"}, []byte("Subject: t\r\n\r\nhi\r\n")); err != nil {
		t.Errorf("send with ca_file: %v", err)
	}
	os.WriteFile(ca, []byte("not a certificate"), 0o600)
	if _, err := SMTPConfig(c); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("a bad ca_file: %v", err)
	}
}
