package sftp

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// HostKeyError is a server whose host key is not the one known_hosts has for it. The
// connection is refused before any credential is sent.
type HostKeyError struct {
	Host        string   // the address as configured (host:port)
	KnownHosts  string   // the known_hosts file
	KeyType     string   // the key the server presented: "ssh-ed25519"
	Fingerprint string   // ... and its SHA256 fingerprint, as ssh-keygen -l prints it
	Known       []string // what known_hosts has for the host: "ssh-ed25519 SHA256:... (line 3)"
	Unknown     bool     // known_hosts has no line for this host
	Revoked     bool     // the presented key is marked @revoked
}

func (e *HostKeyError) Error() string {
	presented := e.KeyType + " " + e.Fingerprint
	switch {
	case e.Revoked:
		return fmt.Sprintf("host key of %s is revoked in %s: the server presented %s; not connecting", e.Host, e.KnownHosts, presented)
	case e.Unknown:
		scan := "ssh-keyscan HOST"
		if host, port, err := net.SplitHostPort(e.Host); err == nil {
			scan = "ssh-keyscan -p " + port + " " + host
		}
		return fmt.Sprintf("host %s is not in %s: the server presented %s. Check this fingerprint with the server's administrator, then add the host's key to known_hosts (%s); not connecting",
			e.Host, e.KnownHosts, presented, scan)
	}
	return fmt.Sprintf("HOST KEY MISMATCH for %s: the server presented %s, but %s expects %s. If the server's key was changed on purpose, update known_hosts; otherwise someone may be intercepting the connection; not connecting",
		e.Host, presented, e.KnownHosts, strings.Join(e.Known, ", "))
}

// knownHosts checks host keys against one known_hosts file, read at each connection so
// that an edited file is picked up without a restart.
type knownHosts struct {
	file string
	cb   ssh.HostKeyCallback
}

func loadKnownHosts(file string) (*knownHosts, error) {
	cb, err := knownhosts.New(file)
	if err != nil {
		return nil, fmt.Errorf("known_hosts %s: %w", file, err)
	}
	return &knownHosts{file: file, cb: cb}, nil
}

// probeKey is a key no known_hosts holds: checking it returns the keys that are known
// for a host.
var probeKey = func() ssh.PublicKey {
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		panic(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		panic(err)
	}
	return k
}()

// algorithms lists the host key algorithms known_hosts has for the host, so that the
// server is asked for a key type we can check (a server with ed25519 and RSA keys
// might otherwise present the one known_hosts does not list). Nil when none is known.
func (k *knownHosts) algorithms(host string, remote net.Addr) []string {
	var ke *knownhosts.KeyError
	if !errors.As(k.cb(host, remote, probeKey), &ke) {
		return nil
	}
	var algos []string
	add := func(a ...string) {
		for _, x := range a {
			if !contains(algos, x) {
				algos = append(algos, x)
			}
		}
	}
	for _, w := range ke.Want {
		switch t := w.Key.Type(); t {
		case ssh.KeyAlgoRSA:
			add(ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA)
		default:
			add(t)
		}
	}
	return algos
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// callback checks the presented key and keeps the HostKeyError, if any, in into.
func (k *knownHosts) callback(into *atomic.Pointer[HostKeyError]) ssh.HostKeyCallback {
	return func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		err := k.cb(hostname, remote, key)
		if err == nil {
			return nil
		}
		he := &HostKeyError{Host: hostname, KnownHosts: k.file, KeyType: key.Type(), Fingerprint: ssh.FingerprintSHA256(key)}
		var ke *knownhosts.KeyError
		var re *knownhosts.RevokedError
		switch {
		case errors.As(err, &re):
			he.Revoked = true
		case errors.As(err, &ke):
			he.Unknown = len(ke.Want) == 0
			for _, w := range ke.Want {
				he.Known = append(he.Known, fmt.Sprintf("%s %s (line %d)", w.Key.Type(), ssh.FingerprintSHA256(w.Key), w.Line))
			}
		default:
			return err
		}
		into.Store(he)
		return he
	}
}
