package connectortest

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
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

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// SSHDPath is where Debian's openssh-server puts the daemon.
const SSHDPath = "/usr/sbin/sshd"

// SSHD is a real OpenSSH server started by a test on 127.0.0.1, with its own host keys
// and user key pairs for the current user in its authorized_keys.
type SSHD struct {
	Addr       string        // 127.0.0.1:port
	HostKey    ssh.PublicKey // ed25519
	RSAHostKey ssh.PublicKey // the server has an RSA host key too
	User       string        // the current user, who logs in with KeyFile or RSAFile
	Root       string        // a temporary folder the tests put files in
	KeyFile    string        // ed25519 key in authorized_keys, no passphrase
	RSAFile    string        // RSA key in authorized_keys, protected by RSAPass
	RSAPass    string
	Log        string // sshd's log file

	dir string
	mu  sync.Mutex
}

// WriteKey writes a private key in OpenSSH format (with a passphrase when given) and
// returns its public key.
func WriteKey(t testing.TB, file string, key any, passphrase string) ssh.PublicKey {
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

// NewEd25519 returns a new ed25519 private key.
func NewEd25519(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// NewHostKey returns the public half of a new ed25519 key: a host key that no server
// has, for known_hosts files that must not match.
func NewHostKey(t testing.TB) ssh.PublicKey {
	t.Helper()
	s, err := ssh.NewSignerFromKey(NewEd25519(t))
	if err != nil {
		t.Fatal(err)
	}
	return s.PublicKey()
}

// StartSSHD starts /usr/sbin/sshd in the foreground on a free port and waits until it
// greets. It skips the test when sshd is not installed (or /run/sshd is missing and
// cannot be created). It is stopped by t.Cleanup; its log is shown when the test
// failed.
func StartSSHD(t testing.TB) *SSHD {
	t.Helper()
	if _, err := os.Stat(SSHDPath); err != nil {
		t.Skipf("OpenSSH server not installed (%s missing): apt-get install -y openssh-server (.ci/run installs it)", SSHDPath)
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
	s := &SSHD{User: u.Username, Root: filepath.Join(dir, "root"), Log: filepath.Join(dir, "sshd.log"),
		KeyFile: filepath.Join(dir, "id_ed25519"), RSAFile: filepath.Join(dir, "id_rsa"), RSAPass: "correct horse battery staple",
		dir: dir}
	if err := os.Mkdir(s.Root, 0o755); err != nil {
		t.Fatal(err)
	}
	s.HostKey = WriteKey(t, filepath.Join(dir, "host_ed25519"), NewEd25519(t), "")
	s.RSAHostKey = WriteKey(t, filepath.Join(dir, "host_rsa"), rsaKeys()[0], "")
	userPub := WriteKey(t, s.KeyFile, NewEd25519(t), "")
	rsaPub := WriteKey(t, s.RSAFile, rsaKeys()[1], s.RSAPass)
	auth := string(ssh.MarshalAuthorizedKey(userPub)) + string(ssh.MarshalAuthorizedKey(rsaPub))
	if err := os.WriteFile(s.authorizedKeys(), []byte(auth), 0o600); err != nil {
		t.Fatal(err)
	}

	for attempt := 0; ; attempt++ {
		port := FreePort(t)
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
`, port, filepath.Join(dir, "host_ed25519"), filepath.Join(dir, "host_rsa"), filepath.Join(dir, "sshd.pid"), s.authorizedKeys())
		confFile := filepath.Join(dir, "sshd_config")
		if err := os.WriteFile(confFile, []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(SSHDPath, "-D", "-f", confFile, "-E", s.Log)
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

func (s *SSHD) authorizedKeys() string { return filepath.Join(s.dir, "authorized_keys") }

// AddUserKey writes a new ed25519 key for User into a file (protected by passphrase
// when it is not empty), adds its public key to the server's authorized_keys (sshd
// reads the file at each login) and returns the file.
func (s *SSHD) AddUserKey(t testing.TB, passphrase string) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.CreateTemp(s.dir, "id_ed25519_*")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	pub := WriteKey(t, f.Name(), NewEd25519(t), passphrase)
	af, err := os.OpenFile(s.authorizedKeys(), os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer af.Close()
	if _, err := af.Write(ssh.MarshalAuthorizedKey(pub)); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// KnownHosts writes a known_hosts file for the server with its ed25519 host key.
func (s *SSHD) KnownHosts(t testing.TB, hashed bool) string {
	t.Helper()
	return KnownHostsFile(t, s.Addr, hashed, s.HostKey)
}

// FreePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
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

// KnownHostsFile writes a known_hosts file with one line per key for addr, hashed or
// not (the [host]:port form), after a comment and a line for another host, and returns
// its path.
func KnownHostsFile(t testing.TB, addr string, hashed bool, keys ...ssh.PublicKey) string {
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
