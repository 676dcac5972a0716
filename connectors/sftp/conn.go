package sftp

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	pkgsftp "github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// conn is one SSH connection with its SFTP session.
type conn struct {
	net       *deadlineConn
	ssh       *ssh.Client
	sftp      *pkgsftp.Client
	done      chan struct{} // closed when the connection is gone or being closed
	doneOnce  sync.Once
	closeOnce sync.Once
}

func (c *conn) markDone() { c.doneOnce.Do(func() { close(c.done) }) }

func (c *conn) close() {
	c.markDone() // at once: the next operation must not pick this connection
	c.closeOnce.Do(func() {
		c.sftp.Close()
		c.ssh.Close()
	})
}

func (c *conn) alive() bool {
	select {
	case <-c.done:
		return false
	default:
		return true
	}
}

// client returns the open connection, connecting on first use and again after the
// previous connection dropped.
func (s *Source) client(ctx context.Context) (*conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errors.New("sftp source is closed")
	}
	if s.conn != nil && s.conn.alive() {
		return s.conn, nil
	}
	if s.conn != nil {
		s.conn.close()
		s.conn = nil
	}
	c, err := s.connect(ctx)
	if err != nil {
		return nil, s.fail("connect", "", err)
	}
	s.conn = c
	s.connects++
	return c, nil
}

// connect dials, checks the host key against known_hosts, authenticates and starts
// the SFTP subsystem, all within the connect timeout.
func (s *Source) connect(ctx context.Context) (*conn, error) {
	hosts, err := loadKnownHosts(s.cfg.KnownHosts)
	if err != nil {
		return nil, err
	}
	d := net.Dialer{Timeout: s.o.connectTimeout, KeepAlive: 30 * time.Second}
	nc, err := d.DialContext(ctx, "tcp", s.cfg.Address)
	if err != nil {
		return nil, err
	}
	// The handshake and the SFTP start must finish within the connect timeout; the
	// context can cancel them too.
	var timedOut atomic.Bool
	timer := time.AfterFunc(s.o.connectTimeout, func() { timedOut.Store(true); nc.Close() })
	stop := context.AfterFunc(ctx, func() { nc.Close() })
	defer func() { timer.Stop(); stop() }()

	var hostKeyErr atomic.Pointer[HostKeyError]
	cc := &ssh.ClientConfig{
		User:              s.cfg.User,
		Auth:              s.auth,
		HostKeyCallback:   hosts.callback(&hostKeyErr),
		HostKeyAlgorithms: hosts.algorithms(s.cfg.Address, nc.RemoteAddr()),
		Timeout:           s.o.connectTimeout,
	}
	fail := func(err error) error {
		nc.Close()
		switch {
		case hostKeyErr.Load() != nil:
			return hostKeyErr.Load()
		case ctx.Err() != nil:
			return ctx.Err()
		case timedOut.Load():
			return errTimeout{what: "no SSH session after", after: s.o.connectTimeout, err: err}
		}
		return err
	}
	dc := &deadlineConn{Conn: nc, timeout: s.o.ioTimeout}
	sc, chans, reqs, err := ssh.NewClientConn(dc, s.cfg.Address, cc)
	if err != nil {
		return nil, fail(err)
	}
	client := ssh.NewClient(sc, chans, reqs)
	sftpc, err := pkgsftp.NewClient(client)
	if err != nil {
		client.Close()
		return nil, fail(err)
	}
	c := &conn{net: dc, ssh: client, sftp: sftpc, done: make(chan struct{})}
	go func() {
		client.Wait()
		c.markDone()
	}()
	go c.keepAlive(s.o.keepAlive)
	return c, nil
}

type errTimeout struct {
	what  string
	after time.Duration
	err   error
}

func (e errTimeout) Error() string {
	return e.what + " " + e.after.String() + ": " + e.err.Error()
}
func (e errTimeout) Unwrap() error   { return e.err }
func (e errTimeout) Timeout() bool   { return true }
func (e errTimeout) Temporary() bool { return true }

// keepAlive asks the server for a reply every interval: it keeps NAT and firewall
// state alive while the pipeline loads, and, with the read deadline, detects a dead
// server (the connection is then closed and the next operation reconnects).
func (c *conn) keepAlive(every time.Duration) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
		}
		if _, _, err := c.ssh.SendRequest("keepalive@openssh.com", true, nil); err != nil {
			c.close()
			return
		}
	}
}

// deadlineConn gives every read and write its own deadline: a server that stops
// answering fails the connection after the I/O timeout instead of hanging the run.
// Keepalives, more frequent than the timeout, keep an idle connection's reads alive.
type deadlineConn struct {
	net.Conn
	timeout  time.Duration
	timedOut atomic.Bool // a read or write hit its deadline: the connection is dead
}

func (c *deadlineConn) Read(p []byte) (int, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	n, err := c.Conn.Read(p)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		c.timedOut.Store(true)
	}
	return n, err
}

func (c *deadlineConn) Write(p []byte) (int, error) {
	if err := c.Conn.SetWriteDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	n, err := c.Conn.Write(p)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		c.timedOut.Store(true)
	}
	return n, err
}

// cause explains an error of an operation on c: when the connection died of its I/O
// timeout, pkg/sftp only says "connection lost".
func (c *conn) cause(err error) error {
	if err != nil && c.net.timedOut.Load() {
		return errTimeout{what: "no answer from the server for", after: c.net.timeout, err: err}
	}
	return err
}
