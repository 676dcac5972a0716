package connectortest

import (
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	pkgsftp "github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// InProcessSFTP is pkg/sftp's server over x/crypto/ssh, in the test process: fast, and
// with password authentication (sshd would need PAM for it). It serves the test
// process's file system, paths as they are.
type InProcessSFTP struct {
	Addr    string
	HostKey ssh.PublicKey
	mu      sync.Mutex
	conns   []net.Conn
	freeze  bool // the server stops reading what clients send
}

// gateConn stops reading while the server is frozen, like a hung server.
type gateConn struct {
	net.Conn
	p *InProcessSFTP
}

func (g gateConn) Read(b []byte) (int, error) {
	for {
		g.p.mu.Lock()
		frozen := g.p.freeze
		g.p.mu.Unlock()
		if !frozen {
			return g.Conn.Read(b)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// StartInProcessSFTP listens on 127.0.0.1 and lets userName in with password only.
func StartInProcessSFTP(t testing.TB, userName, password string) *InProcessSFTP {
	t.Helper()
	hostSigner, err := ssh.NewSignerFromKey(NewEd25519(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ssh.ServerConfig{
		PasswordCallback: func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if c.User() == userName && string(pw) == password {
				return nil, nil
			}
			return nil, errors.New("wrong password")
		},
	}
	cfg.AddHostKey(hostSigner)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &InProcessSFTP{Addr: l.Addr().String(), HostKey: hostSigner.PublicKey()}
	t.Cleanup(func() {
		l.Close()
		p.SetFreeze(false)
		p.Drop()
	})
	go func() {
		for {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns = append(p.conns, nc)
			p.mu.Unlock()
			go p.serve(gateConn{nc, p}, cfg)
		}
	}()
	return p
}

// KnownHosts writes a known_hosts file for the server with its host key.
func (p *InProcessSFTP) KnownHosts(t testing.TB, hashed bool) string {
	t.Helper()
	return KnownHostsFile(t, p.Addr, hashed, p.HostKey)
}

// Drop closes every connection from the server's side.
func (p *InProcessSFTP) Drop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// SetFreeze makes the server stop reading (true), like a hung server, or go on (false).
func (p *InProcessSFTP) SetFreeze(v bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.freeze = v
}

func (p *InProcessSFTP) serve(nc net.Conn, cfg *ssh.ServerConfig) {
	sc, chans, reqs, err := ssh.NewServerConn(nc, cfg)
	if err != nil {
		nc.Close()
		return
	}
	defer sc.Close()
	go ssh.DiscardRequests(reqs)
	for nch := range chans {
		if nch.ChannelType() != "session" {
			nch.Reject(ssh.UnknownChannelType, "session only")
			continue
		}
		ch, creqs, err := nch.Accept()
		if err != nil {
			return
		}
		go func() {
			defer ch.Close()
			for req := range creqs {
				ok := req.Type == "subsystem" && len(req.Payload) > 4 && string(req.Payload[4:]) == "sftp"
				req.Reply(ok, nil)
				if ok {
					srv, err := pkgsftp.NewServer(ch)
					if err != nil {
						return
					}
					srv.Serve()
					srv.Close()
					return
				}
			}
		}()
	}
}
