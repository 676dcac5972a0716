package notify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/salesout/salesout/pipeline/mail"
)

// smtpServer is a real SMTP server (github.com/emersion/go-smtp) on 127.0.0.1 for the
// tests: STARTTLS with a self-signed certificate, PLAIN authentication required before
// MAIL, and what it received.
type smtpServer struct {
	addr     string
	pool     *x509.CertPool // trusts its certificate
	srv      *smtp.Server
	mu       sync.Mutex
	msgs     []received
	conns    map[*smtp.Conn]bool // connections seen (STARTTLS starts a second session on one)
	failData int                 // answer 451 to this many DATA commands first
}

type received struct {
	from string
	to   []string
	data []byte
}

const (
	testUser     = "salesout"
	testPassword = "s3cret"
)

// startSMTP starts a server on addr ("127.0.0.1:0" for any free port) and stops it with
// the test.
func startSMTP(t *testing.T, addr string) *smtpServer {
	t.Helper()
	s := newSMTP(t)
	s.listen(t, addr)
	return s
}

// newSMTP prepares a server (its certificate, so that a client can trust it before it
// listens).
func newSMTP(t *testing.T) *smtpServer {
	t.Helper()
	cert, pool := selfSigned(t)
	s := &smtpServer{pool: pool}
	s.srv = smtp.NewServer(s)
	s.srv.Domain = "localhost"
	s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	return s
}

// listen serves on addr until the test ends.
func (s *smtpServer) listen(t *testing.T, addr string) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
}

// config is the sender's settings for this server.
func (s *smtpServer) config() *mail.SMTPConfig {
	return &mail.SMTPConfig{Address: s.addr, Username: testUser, Password: testPassword, TLS: "starttls",
		Timeout: 5 * time.Second, TLSConfig: &tls.Config{RootCAs: s.pool}}
}

// connections counts the connections the server accepted.
func (s *smtpServer) connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

func (s *smtpServer) received() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

func (s *smtpServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	if s.conns == nil {
		s.conns = map[*smtp.Conn]bool{}
	}
	s.conns[c] = true
	s.mu.Unlock()
	return &session{s: s}, nil
}

type session struct {
	s      *smtpServer
	authed bool
	from   string
	to     []string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != testUser || pass != testPassword {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.failData > 0 {
		ss.s.failData--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	ss.s.msgs = append(ss.s.msgs, received{from: ss.from, to: ss.to, data: b})
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: c}, pool
}

// freeAddr is a 127.0.0.1 address nothing listens on (yet).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// listenTLS serves implicit TLS (from the first byte) on addr until the test ends.
func (s *smtpServer) listenTLS(t *testing.T, addr string) {
	t.Helper()
	ln, err := tls.Listen("tcp", addr, s.srv.TLSConfig)
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
}
