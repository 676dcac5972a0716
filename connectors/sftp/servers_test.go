package sftp

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	pkgsftp "github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

const sshdPath = "/usr/sbin/sshd"

// sshd is a real OpenSSH server started by a test on 127.0.0.1, with its own host key
// and a user key pair for the current user.
type sshd struct {
	Addr       string        // 127.0.0.1:port
	HostKey    ssh.PublicKey // ed25519
	RSAHostKey ssh.PublicKey // the server has an RSA host key too
	User       string
	Root       string // a temporary folder the tests put files in
	KeyFile    string // ed25519 key in authorized_keys
	RSAFile    string // RSA key in authorized_keys, protected by RSAPass
	RSAPass    string
	Log        string
}

// writeKey writes a private key in OpenSSH format (with a passphrase when given) and
// returns its public key.
func writeKey(t *testing.T, file string, key any, passphrase string) ssh.PublicKey {
	t.Helper()
	var block *pem.Block
	var err error
	if passphrase != "" {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(key, "salesout-test", []byte(passphrase))
	} else {
		block, err = ssh.MarshalPrivateKey(key, "salesout-test")
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return signer.PublicKey()
}

// rsaKeys are generated once per test binary: RSA generation is slow.
var rsaKeys = sync.OnceValue(func() [2]*rsa.PrivateKey {
	var keys [2]*rsa.PrivateKey
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		keys[i] = k
	}
	return keys
})

func newEd25519(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// startSSHD starts /usr/sbin/sshd in the foreground on a free port and waits until it
// greets. It is stopped by t.Cleanup; its log is shown when the test failed.
func startSSHD(t *testing.T) *sshd {
	t.Helper()
	if _, err := os.Stat(sshdPath); err != nil {
		t.Skipf("OpenSSH server not installed (%s missing): apt-get install -y openssh-server (.ci/run installs it)", sshdPath)
	}
	if os.Geteuid() == 0 {
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Fatal(err)
		}
	} else if _, err := os.Stat("/run/sshd"); err != nil {
		t.Skip("sshd needs /run/sshd, which only root can create")
	}
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := &sshd{User: u.Username, Root: filepath.Join(dir, "root"), Log: filepath.Join(dir, "sshd.log"),
		KeyFile: filepath.Join(dir, "id_ed25519"), RSAFile: filepath.Join(dir, "id_rsa"), RSAPass: "correct horse battery staple"}
	if err := os.Mkdir(s.Root, 0o755); err != nil {
		t.Fatal(err)
	}
	s.HostKey = writeKey(t, filepath.Join(dir, "host_ed25519"), newEd25519(t), "")
	s.RSAHostKey = writeKey(t, filepath.Join(dir, "host_rsa"), rsaKeys()[0], "")
	userPub := writeKey(t, s.KeyFile, newEd25519(t), "")
	rsaPub := writeKey(t, s.RSAFile, rsaKeys()[1], s.RSAPass)
	auth := string(ssh.MarshalAuthorizedKey(userPub)) + string(ssh.MarshalAuthorizedKey(rsaPub))
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), []byte(auth), 0o600); err != nil {
		t.Fatal(err)
	}

	for attempt := 0; ; attempt++ {
		port := freePort(t)
		conf := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %s
HostKey %s
PidFile %s
AuthorizedKeysFile %s
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
Subsystem sftp internal-sftp
LogLevel VERBOSE
`, port, filepath.Join(dir, "host_ed25519"), filepath.Join(dir, "host_rsa"), filepath.Join(dir, "sshd.pid"), filepath.Join(dir, "authorized_keys"))
		confFile := filepath.Join(dir, "sshd_config")
		if err := os.WriteFile(confFile, []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(sshdPath, "-D", "-f", confFile, "-E", s.Log)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		s.Addr = fmt.Sprintf("127.0.0.1:%d", port)
		if waitGreeting(s.Addr, exited, 10*time.Second) {
			t.Cleanup(func() {
				cmd.Process.Kill()
				<-exited
				if t.Failed() {
					b, _ := os.ReadFile(s.Log)
					t.Logf("sshd log:\n%s", b)
				}
			})
			return s
		}
		cmd.Process.Kill()
		<-exited
		b, _ := os.ReadFile(s.Log)
		if attempt < 3 && strings.Contains(string(b), "Address already in use") {
			continue // the free port was taken in between
		}
		t.Fatalf("sshd did not start:\n%s", b)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitGreeting polls until the server at addr sends its SSH version line.
func waitGreeting(addr string, exited <-chan struct{}, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for delay := 5 * time.Millisecond; time.Now().Before(deadline); delay = min(2*delay, 200*time.Millisecond) {
		select {
		case <-exited:
			return false
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.SetDeadline(time.Now().Add(2 * time.Second))
			line, err := bufio.NewReader(c).ReadString('\n')
			c.Close()
			if err == nil && strings.HasPrefix(line, "SSH-2.0-") {
				return true
			}
		}
		time.Sleep(delay)
	}
	return false
}

// knownHostsFile writes a known_hosts file with one line per key for addr, hashed or
// not, and returns its path.
func knownHostsFile(t *testing.T, addr string, hashed bool, keys ...ssh.PublicKey) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("# salesout test\nother.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHl2p1lQq4w3m1rY9M0dD2gLkq3b5jF1cJm7xWb0vQ8z\n")
	for _, k := range keys {
		host := knownhosts.Normalize(addr)
		if hashed {
			host = knownhosts.HashHostname(host)
		}
		b.WriteString(host + " " + string(ssh.MarshalAuthorizedKey(k)))
	}
	f := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(f, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// inProcess is pkg/sftp's server over x/crypto/ssh, in the test process: fast, and
// with password authentication (sshd would need PAM for it).
type inProcess struct {
	Addr    string
	HostKey ssh.PublicKey
	mu      sync.Mutex
	conns   []net.Conn
	freeze  bool // the server stops reading what clients send
}

// gateConn stops reading while the server is frozen, like a hung server.
type gateConn struct {
	net.Conn
	p *inProcess
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

func startInProcess(t *testing.T, userName, password string) *inProcess {
	t.Helper()
	hostSigner, err := ssh.NewSignerFromKey(newEd25519(t))
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
	p := &inProcess{Addr: l.Addr().String(), HostKey: hostSigner.PublicKey()}
	t.Cleanup(func() {
		l.Close()
		p.setFreeze(false)
		p.drop()
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

// drop closes every connection from the server's side.
func (p *inProcess) drop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *inProcess) setFreeze(v bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.freeze = v
}

func (p *inProcess) serve(nc net.Conn, cfg *ssh.ServerConfig) {
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
