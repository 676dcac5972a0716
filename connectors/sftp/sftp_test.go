package sftp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/salesout/salesout/connectors"
	"github.com/salesout/salesout/connectors/connectortest"
)

// put writes a file modified age ago.
func put(t *testing.T, file, content string, age time.Duration) {
	t.Helper()
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	mt := time.Now().Add(-age)
	if err := os.Chtimes(file, mt, mt); err != nil {
		t.Fatal(err)
	}
}

type skips struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *skips) add(name, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[name] = reason
}

func (s *skips) get(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[name]
}

func open(t *testing.T, cfg Config, opts ...Option) *Source {
	t.Helper()
	src, err := New(context.Background(), cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

func read(t *testing.T, src *Source, obj connectors.Object) (string, error) {
	t.Helper()
	rc, err := src.Open(context.Background(), obj)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return string(b), err
}

func names(objs []connectors.Object) []string {
	var n []string
	for _, o := range objs {
		n = append(n, o.Name)
	}
	return n
}

func byName(objs []connectors.Object) map[string]connectors.Object {
	m := map[string]connectors.Object{}
	for _, o := range objs {
		m[o.Name] = o
	}
	return m
}

// cfgFor is the config of a source on s's folder dir, with its user key and a hashed
// known_hosts.
func cfgFor(t *testing.T, s *connectortest.SSHD, dir string) Config {
	return Config{
		Name: "bravo", Address: s.Addr, User: s.User, KeyFile: s.KeyFile,
		KnownHosts: connectortest.KnownHostsFile(t, s.Addr, true, s.HostKey), Dir: dir,
		MinimumAge: 2 * time.Minute,
	}
}

func TestSSHDKeyAuthListAndOpen(t *testing.T) {
	s := connectortest.StartSSHD(t)
	dir := filepath.Join(s.Root, "outbound")
	os.Mkdir(dir, 0o755)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	big := strings.Repeat("2026-01-05;R001;SKU-1;12;99,50\n", 100_000) // 3 MB
	put(t, filepath.Join(dir, "ACME_20260105.csv"), big, time.Hour)
	put(t, filepath.Join(dir, "ACME_20260106.csv"), "a;b\n", 10*time.Minute)
	put(t, filepath.Join(dir, "ACME_20260107.csv"), "still uploading", 5*time.Second)
	put(t, filepath.Join(dir, "bad\\name.csv"), "x", time.Hour)
	put(t, filepath.Join(dir, "sub", "deeper.csv"), "x", time.Hour)
	outside := filepath.Join(s.Root, "secret.csv")
	put(t, outside, "not for salesout", time.Hour)
	if err := os.Symlink(outside, filepath.Join(dir, "link.csv")); err != nil {
		t.Fatal(err)
	}
	var sk skips
	src := open(t, cfgFor(t, s, dir), OnSkip(sk.add))
	ctx := context.Background()
	if err := src.Check(ctx); err != nil {
		t.Fatal(err)
	}
	objs, err := src.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(objs), []string{"ACME_20260105.csv", "ACME_20260106.csv"}; !slices.Equal(got, want) {
		t.Fatalf("listed %q, want %q", got, want)
	}
	for name, want := range map[string]string{"ACME_20260107.csv": "minimum_age", "link.csv": "symbolic link", "bad\\name.csv": "control or invalid"} {
		if !strings.Contains(sk.get(name), want) {
			t.Errorf("skip reason of %q: %q, want %q", name, sk.get(name), want)
		}
	}
	if sk.get("sub") != "" {
		t.Errorf("folder reported as skipped")
	}
	fi, _ := os.Stat(filepath.Join(dir, "ACME_20260105.csv"))
	if o := objs[0]; o.Size != int64(len(big)) || !o.ModTime.Equal(fi.ModTime().Truncate(time.Second)) || o.ModTime.Location() != time.UTC {
		t.Errorf("object %+v, want %d bytes modified %v (UTC)", o, len(big), fi.ModTime().Truncate(time.Second))
	}
	got, err := read(t, src, objs[0])
	if err != nil || got != big {
		t.Fatalf("download: %d bytes, %v", len(got), err)
	}
	if got, err := read(t, src, objs[1]); err != nil || got != "a;b\n" {
		t.Fatalf("download: %q, %v", got, err)
	}
	// The symlink cannot be opened by name either.
	if _, err := src.Open(ctx, connectors.Object{Name: "link.csv"}); !errors.Is(err, ErrChanged) {
		t.Errorf("open of a symlink: %v, want refusal", err)
	}
	if src.connects != 1 {
		t.Errorf("%d connections for check, list and three opens, want 1 (reused)", src.connects)
	}
}

func TestSSHDRSAKeyWithPassphrase(t *testing.T) {
	s := connectortest.StartSSHD(t)
	put(t, filepath.Join(s.Root, "x.csv"), "x", time.Hour)
	cfg := cfgFor(t, s, s.Root)
	cfg.KeyFile = s.RSAFile
	cfg.Passphrase = connectors.Secret(s.RSAPass)
	cfg.KnownHosts = connectortest.KnownHostsFile(t, s.Addr, false, s.HostKey) // plain [127.0.0.1]:port form
	objs, err := open(t, cfg).List(context.Background())
	if err != nil || len(objs) != 1 {
		t.Fatalf("list with the RSA key: %v %v", objs, err)
	}

	cfg.Passphrase = "not the passphrase"
	_, err = New(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "wrong passphrase") || strings.Contains(err.Error(), "not the passphrase") {
		t.Errorf("wrong passphrase: %v", err)
	}
	cfg.Passphrase = ""
	if _, err = New(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "protected by a passphrase") {
		t.Errorf("missing passphrase: %v", err)
	}
}

// The server has ed25519 and RSA host keys; known_hosts lists only the RSA one. The
// client must ask for the RSA key rather than fail on the ed25519 key it prefers.
func TestSSHDOnlyRSAHostKeyKnown(t *testing.T) {
	s := connectortest.StartSSHD(t)
	cfg := cfgFor(t, s, s.Root)
	cfg.KnownHosts = connectortest.KnownHostsFile(t, s.Addr, true, s.RSAHostKey)
	if err := open(t, cfg).Check(context.Background()); err != nil {
		t.Fatalf("check with only the RSA host key known: %v", err)
	}
}

func TestSSHDWrongHostKeyRefused(t *testing.T) {
	s := connectortest.StartSSHD(t)
	other, err := ssh.NewSignerFromKey(connectortest.NewEd25519(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		knownHosts string
		want       []string
		unknown    bool
	}{
		{"mismatch", connectortest.KnownHostsFile(t, s.Addr, false, other.PublicKey()),
			[]string{"HOST KEY MISMATCH", s.Addr, ssh.FingerprintSHA256(s.HostKey), ssh.FingerprintSHA256(other.PublicKey()), "line 3"}, false},
		{"mismatch hashed", connectortest.KnownHostsFile(t, s.Addr, true, other.PublicKey()),
			[]string{"HOST KEY MISMATCH", ssh.FingerprintSHA256(s.HostKey)}, false},
		{"unknown host", connectortest.KnownHostsFile(t, s.Addr, false),
			[]string{"is not in", "the server presented ssh-", "ssh-keyscan -p"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := cfgFor(t, s, s.Root)
			cfg.KnownHosts = tc.knownHosts
			src := open(t, cfg)
			for _, err := range []error{func() error { _, err := src.List(ctx); return err }(), src.Check(ctx)} {
				var he *HostKeyError
				var e *Error
				if !errors.As(err, &he) || !errors.As(err, &e) || e.Kind != KindHostKey || he.Unknown != tc.unknown {
					t.Fatalf("error %v, want a host key error", err)
				}
				for _, w := range tc.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("message %q lacks %q", err, w)
					}
				}
				if fp := he.Fingerprint; fp != ssh.FingerprintSHA256(s.HostKey) && fp != ssh.FingerprintSHA256(s.RSAHostKey) {
					t.Errorf("presented fingerprint %s is none of the server's", fp)
				}
				if !strings.Contains(err.Error(), tc.knownHosts) {
					t.Errorf("message %q does not name the known_hosts file", err)
				}
			}
			t.Logf("message: %v", src.Check(ctx))
		})
	}
	log, _ := os.ReadFile(s.Log)
	if bytes.Contains(log, []byte("Accepted publickey")) {
		t.Errorf("a client authenticated to a server with an unexpected key:\n%s", log)
	}
}

func TestSSHDDeleteArchiveVanishedChanged(t *testing.T) {
	s := connectortest.StartSSHD(t)
	dir := filepath.Join(s.Root, "outbound")
	archive := filepath.Join(s.Root, "done", "2026") // does not exist yet
	os.Mkdir(dir, 0o755)
	for _, n := range []string{"a.csv", "b.csv.gz", "c.csv", "d.csv", "e.csv"} {
		put(t, filepath.Join(dir, n), "content of "+n, time.Hour)
	}
	src := open(t, cfgFor(t, s, dir))
	ctx := context.Background()
	objs, err := src.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m := byName(objs)

	// delete
	if err := src.Delete(ctx, m["a.csv"]); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.csv")); !os.IsNotExist(err) {
		t.Errorf("a.csv still there: %v", err)
	}
	if err := src.Delete(ctx, m["a.csv"]); !errors.Is(err, connectors.ErrVanished) {
		t.Errorf("second delete: %v, want ErrVanished", err)
	}

	// archive, into a folder that does not exist yet, then again under the same name
	if err := src.Archive(ctx, m["b.csv.gz"], archive); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(archive, "b.csv.gz")); err != nil || string(b) != "content of b.csv.gz" {
		t.Fatalf("archived: %q %v", b, err)
	}
	put(t, filepath.Join(dir, "b.csv.gz"), "second upload", time.Hour)
	objs, _ = src.List(ctx)
	if err := src.Archive(ctx, byName(objs)["b.csv.gz"], archive); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(archive)
	var archived []string
	for _, e := range entries {
		archived = append(archived, e.Name())
	}
	sort.Strings(archived)
	if len(archived) != 2 || archived[1] != "b.csv.gz" || !strings.HasPrefix(archived[0], "b.2") || !strings.HasSuffix(archived[0], "Z.csv.gz") {
		t.Errorf("archive holds %q, want b.csv.gz and b.<stamp>.csv.gz", archived)
	}
	if err := src.Archive(ctx, m["e.csv"], dir); err == nil {
		t.Error("archive into the source folder accepted")
	}

	// c.csv is re-uploaded after listing: not downloaded, deleted or archived as listed
	put(t, filepath.Join(dir, "c.csv"), "a longer, newer upload", time.Hour)
	if _, err := read(t, src, m["c.csv"]); !errors.Is(err, ErrChanged) || !errors.Is(err, connectors.ErrVanished) {
		t.Errorf("open of a changed file: %v, want ErrChanged", err)
	}
	if err := src.Delete(ctx, m["c.csv"]); !errors.Is(err, ErrChanged) {
		t.Errorf("delete of a changed file: %v, want ErrChanged", err)
	}
	if err := src.Archive(ctx, m["c.csv"], archive); !errors.Is(err, ErrChanged) {
		t.Errorf("archive of a changed file: %v, want ErrChanged", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "c.csv")); string(b) != "a longer, newer upload" {
		t.Errorf("c.csv = %q", b)
	}

	// d.csv vanishes between listing and download
	os.Remove(filepath.Join(dir, "d.csv"))
	if _, err := read(t, src, m["d.csv"]); !errors.Is(err, connectors.ErrVanished) || errors.Is(err, ErrChanged) {
		t.Errorf("open of a vanished file: %v, want ErrVanished", err)
	}

	// e.csv grows while it is being downloaded
	rc, err := src.Open(ctx, m["e.csv"])
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(filepath.Join(dir, "e.csv"), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("more lines\n")
	f.Close()
	if _, err := io.ReadAll(rc); !errors.Is(err, ErrChanged) {
		t.Errorf("download of a growing file: %v, want ErrChanged", err)
	}
	rc.Close()
}

func TestSSHDCheckMessages(t *testing.T) {
	s := connectortest.StartSSHD(t)
	ctx := context.Background()
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := l.Addr().String()
	l.Close()
	silent, _ := net.Listen("tcp", "127.0.0.1:0")
	t.Cleanup(func() { silent.Close() })
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	stranger := filepath.Join(t.TempDir(), "id_stranger")
	connectortest.WriteKey(t, stranger, connectortest.NewEd25519(t), "")

	for _, tc := range []struct {
		name string
		edit func(*Config)
		kind Kind
		want string
	}{
		{"missing folder", func(c *Config) { c.Dir = filepath.Join(s.Root, "nope") }, KindNoFolder, "nope"},
		{"not a folder", func(c *Config) {
			put(t, filepath.Join(s.Root, "file"), "x", 0)
			c.Dir = filepath.Join(s.Root, "file")
		}, KindOther, "is not a folder"},
		{"refused", func(c *Config) { c.Address = closed }, KindRefused, "connection refused"},
		{"silent server", func(c *Config) { c.Address = silent.Addr().String() }, KindTimeout, "timed out"},
		{"unknown key", func(c *Config) { c.KeyFile = stranger }, KindAuth, "authentication refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := cfgFor(t, s, s.Root)
			tc.edit(&cfg)
			cfg.KnownHosts = connectortest.KnownHostsFile(t, cfg.Address, true, s.HostKey)
			src := open(t, cfg, WithTimeouts(500*time.Millisecond, 2*time.Second, 0))
			start := time.Now()
			err := src.Check(ctx)
			var e *Error
			if !errors.As(err, &e) || e.Kind != tc.kind || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("check: %v (kind %v), want kind %s with %q", err, e, tc.kind, tc.want)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("check took %v", d)
			}
			t.Logf("message: %v", err)
		})
	}
}

func TestDNSClassified(t *testing.T) {
	err := &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "sftp.invalid", IsNotFound: true}}
	if k := classify(err); k != KindDNS {
		t.Errorf("kind %s", k)
	}
}

func TestPasswordAuthInProcess(t *testing.T) {
	const password = "Pa55-w0rd-for-bravo-SFTP"
	srv := connectortest.StartInProcessSFTP(t, "bravo", password)
	dir := t.TempDir()
	put(t, filepath.Join(dir, "BRAVO_1.csv"), "x;y\n", time.Hour)
	cfg := Config{Name: "bravo", Address: srv.Addr, User: "bravo", Password: password,
		KnownHosts: connectortest.KnownHostsFile(t, srv.Addr, true, srv.HostKey), Dir: dir}
	var logged []string
	src := open(t, cfg, OnSkip(func(n, r string) { logged = append(logged, n, r) }))
	objs, err := src.List(context.Background())
	if err != nil || len(objs) != 1 {
		t.Fatalf("list with a password: %v %v", objs, err)
	}
	if got, err := read(t, src, objs[0]); err != nil || got != "x;y\n" {
		t.Fatalf("download: %q %v", got, err)
	}

	// Wrong password: an auth error that does not show either password.
	bad := cfg
	bad.Password = "Wr0ng-pa55-bravo-SFTP"
	err = open(t, bad).Check(context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindAuth {
		t.Fatalf("wrong password: %v", err)
	}
	// Nothing printed or returned holds a secret.
	texts := append(logged, err.Error(), fmt.Sprintf("%v %+v %#v", err, err, err),
		fmt.Sprintf("%v %+v %#v", src, src, src))
	for _, s := range texts {
		if strings.Contains(s, password) || strings.Contains(s, string(bad.Password)) {
			t.Fatalf("a password shows in %q", s)
		}
	}
}

func TestReconnectAfterDrop(t *testing.T) {
	srv := connectortest.StartInProcessSFTP(t, "bravo", "pw")
	dir := t.TempDir()
	put(t, filepath.Join(dir, "a.csv"), "a", time.Hour)
	src := open(t, Config{Address: srv.Addr, User: "bravo", Password: "pw",
		KnownHosts: connectortest.KnownHostsFile(t, srv.Addr, false, srv.HostKey), Dir: dir})
	ctx := context.Background()
	if _, err := src.List(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Drop()
	c := src.conn
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the client did not notice the dropped connection")
	}
	if objs, err := src.List(ctx); err != nil || len(objs) != 1 {
		t.Fatalf("list after the server dropped the connection: %v %v", objs, err)
	}
	if src.connects != 2 {
		t.Errorf("%d connections, want 2", src.connects)
	}
	src.Close()
	if _, err := src.List(ctx); err == nil {
		t.Error("list after Close succeeded")
	}
}

func TestHungServerTimesOut(t *testing.T) {
	srv := connectortest.StartInProcessSFTP(t, "bravo", "pw")
	dir := t.TempDir()
	put(t, filepath.Join(dir, "a.csv"), "a", time.Hour)
	src := open(t, Config{Address: srv.Addr, User: "bravo", Password: "pw",
		KnownHosts: connectortest.KnownHostsFile(t, srv.Addr, false, srv.HostKey), Dir: dir},
		WithTimeouts(time.Second, 400*time.Millisecond, 100*time.Millisecond))
	ctx := context.Background()
	if _, err := src.List(ctx); err != nil {
		t.Fatal(err)
	}
	srv.SetFreeze(true)
	start := time.Now()
	_, err := src.List(ctx)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTimeout {
		t.Errorf("list on a hung server: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("hung server noticed after %v", d)
	}
	t.Logf("message: %v", err)
	srv.SetFreeze(false)
	if _, err := src.List(ctx); err != nil {
		t.Errorf("list once the server answers again: %v", err)
	}
}

func TestCancellation(t *testing.T) {
	srv := connectortest.StartInProcessSFTP(t, "bravo", "pw")
	dir := t.TempDir()
	put(t, filepath.Join(dir, "big.csv"), strings.Repeat("x", 8<<20), time.Hour)
	src := open(t, Config{Address: srv.Addr, User: "bravo", Password: "pw",
		KnownHosts: connectortest.KnownHostsFile(t, srv.Addr, false, srv.HostKey), Dir: dir})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := src.List(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("list with a canceled context: %v", err)
	}
	objs, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	rc, err := src.Open(ctx, objs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, err := io.ReadFull(rc, make([]byte, 1024)); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := io.Copy(io.Discard, rc); !errors.Is(err, context.Canceled) {
		t.Errorf("download after cancel: %v, want context.Canceled", err)
	}
	if _, err := src.List(context.Background()); err != nil {
		t.Errorf("list after a canceled download: %v", err)
	}
}

func TestNewRejects(t *testing.T) {
	kh := filepath.Join(t.TempDir(), "known_hosts")
	os.WriteFile(kh, nil, 0o600)
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Address: "h:22", User: "u", Password: "p"}, "known_hosts is required"},
		{Config{Address: "h:22", User: "u", Password: "p", KnownHosts: "/nonexistent/known_hosts"}, "/nonexistent/known_hosts"},
		{Config{Address: "h:22", User: "u", KnownHosts: kh}, "no key_file and no password"},
		{Config{Address: "h:22", User: "u", KnownHosts: kh, KeyFile: kh}, "not a private key"},
	} {
		if _, err := New(context.Background(), tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v): %v, want %q", tc.cfg, err, tc.want)
		}
	}
}
