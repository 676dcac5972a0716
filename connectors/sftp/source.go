// Package sftp is the connector for SFTP servers (pkg/sftp over golang.org/x/crypto/ssh):
// a source of files (List, Open), the after-load actions (Delete, Archive) and the
// reachability check of `salesout validate` (Check).
//
// The server's host key is always checked against the configured known_hosts file
// (plain, hashed and [host]:port entries, @revoked markers); an unknown or changed key
// is a *HostKeyError and nothing is sent to that server. Authentication is by key file
// (ed25519 or RSA, ECDSA also works; optional passphrase) or password.
//
// The connection is opened on first use, reused by later calls, kept alive, and opened
// again when it dropped. Every read and write on it has a deadline (I/O timeout).
//
// List returns the regular files directly in the folder. Symbolic links are never
// followed (a link could lead out of the folder), folders and devices are ignored, and
// files modified less than minimum_age ago are left for the next run: they may still
// be uploading. Skips are reported through OnSkip; the package never logs.
package sftp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/salesout/salesout/connectors"
)

// ErrChanged is returned (wrapped) when a file no longer is what List saw (other size
// or modification time, or no longer a regular file), or changed while it was being
// read. It matches connectors.ErrVanished with errors.Is, so the fetch step treats it
// as a warning and the next run fetches the file as it then is. Delete and Archive
// leave a changed file in place.
var ErrChanged error = changedError{}

type changedError struct{}

func (changedError) Error() string        { return "changed since it was listed" }
func (changedError) Is(target error) bool { return target == connectors.ErrVanished }

// Source is one folder on one SFTP server. It is safe for concurrent use. It keeps no
// copy of the password or passphrase outside the ssh auth methods, so that printing
// it (even with %#v) shows no secret.
type Source struct {
	cfg  target
	auth []ssh.AuthMethod
	dir  string
	o    options

	mu       sync.Mutex
	conn     *conn
	connects int // connections opened, for tests
	closed   bool
}

// target is the non-secret part of the config entry.
type target struct {
	Name, Address, User, KnownHosts string
	MinimumAge                      time.Duration
}

type options struct {
	connectTimeout time.Duration
	ioTimeout      time.Duration
	keepAlive      time.Duration
	onSkip         func(name, reason string)
	now            func() time.Time
}

// Option changes a default of New.
type Option func(*options)

// WithTimeouts sets the connection timeout, covering TCP connect, SSH handshake,
// authentication and SFTP start (default 15 s), the longest silence of the connection
// while it is in use (default 60 s) and the keepalive interval (default 15 s; it is
// kept below the I/O timeout).
func WithTimeouts(connect, io, keepAlive time.Duration) Option {
	return func(o *options) {
		if connect > 0 {
			o.connectTimeout = connect
		}
		if io > 0 {
			o.ioTimeout = io
		}
		if keepAlive > 0 {
			o.keepAlive = keepAlive
		}
	}
}

// OnSkip is called by List for every entry it leaves out and why: symbolic links,
// files younger than minimum_age, names refused by connectors.CleanName, special files.
// Folders are left out silently. The name is the raw remote name: log it quoted.
func OnSkip(f func(name, reason string)) Option { return func(o *options) { o.onSkip = f } }

// Config says which server, account and folder a source reads, and how the server and
// the account are authenticated.
type Config struct {
	Name       string // for messages
	Address    string // host:port
	User       string
	KeyFile    string            // ed25519, RSA or ECDSA private key, OpenSSH or PEM
	Passphrase connectors.Secret // of KeyFile, if it has one
	Password   connectors.Secret // instead of, or besides, KeyFile
	KnownHosts string            // required: the host key is always checked
	Dir        string            // default: the login folder
	MinimumAge time.Duration     // files younger than this are left for the next run
}

// New returns the source for an sftp config entry. It reads the key file and the
// known_hosts file (so that a missing file or a wrong passphrase shows at once) but
// does not connect: the first List, Open or Check does.
func New(ctx context.Context, cfg Config, opts ...Option) (*Source, error) {
	o := options{
		connectTimeout: 15 * time.Second,
		ioTimeout:      60 * time.Second,
		keepAlive:      15 * time.Second,
		now:            time.Now,
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.keepAlive >= o.ioTimeout {
		o.keepAlive = o.ioTimeout / 3
	}
	name := cfg.Name
	if name == "" {
		name = "sftp"
	}
	if cfg.Address == "" || cfg.User == "" {
		return nil, fmt.Errorf("source %s: address and user are required", name)
	}
	if cfg.KnownHosts == "" {
		return nil, fmt.Errorf("source %s: known_hosts is required: host keys are always checked", name)
	}
	if _, err := loadKnownHosts(cfg.KnownHosts); err != nil {
		return nil, fmt.Errorf("source %s: %w", name, err)
	}
	auth, err := authMethods(cfg)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", name, err)
	}
	dir := cfg.Dir
	if dir == "" {
		dir = "."
	}
	t := target{Name: name, Address: cfg.Address, User: cfg.User, KnownHosts: cfg.KnownHosts, MinimumAge: cfg.MinimumAge}
	return &Source{cfg: t, auth: auth, dir: path.Clean(dir), o: o}, nil
}

// String names the source without any credential.
func (s *Source) String() string {
	return fmt.Sprintf("sftp source %s (%s@%s:%s)", s.cfg.Name, s.cfg.User, s.cfg.Address, s.dir)
}

// GoString is String, for %#v.
func (s *Source) GoString() string { return s.String() }

// Close closes the connection, if one is open. Later calls fail.
func (s *Source) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.conn != nil {
		s.conn.close()
		s.conn = nil
	}
	return nil
}

// do runs f on the connection; canceling ctx closes the connection, which unblocks f
// (the next call reconnects).
func (s *Source) do(ctx context.Context, op, p string, f func(c *conn) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sftp %s: %w", op, err)
	}
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, c.close)
	defer stop()
	err = f(c)
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("sftp %s %s: %w", op, p, ctx.Err())
	}
	return s.fail(op, p, c.cause(err))
}

// List returns the regular files directly in the folder that are at least
// minimum_age old, sorted by name.
func (s *Source) List(ctx context.Context) ([]connectors.Object, error) {
	var objs []connectors.Object
	err := s.do(ctx, "list", s.dir, func(c *conn) error {
		entries, err := c.sftp.ReadDirContext(ctx, s.dir)
		if err != nil {
			return err
		}
		now := s.o.now()
		for _, e := range entries {
			if obj, ok := s.object(e, now); ok {
				objs = append(objs, obj)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].Name < objs[j].Name })
	return objs, nil
}

func (s *Source) object(e fs.FileInfo, now time.Time) (connectors.Object, bool) {
	mode := e.Mode()
	switch {
	case mode.IsDir():
		return connectors.Object{}, false
	case mode&fs.ModeSymlink != 0:
		s.skip(e.Name(), "symbolic link: links are never followed")
		return connectors.Object{}, false
	case !mode.IsRegular():
		s.skip(e.Name(), "not a regular file")
		return connectors.Object{}, false
	}
	name, err := connectors.CleanName(e.Name())
	if err == nil && (name != e.Name() || strings.Contains(name, "/")) {
		err = fmt.Errorf("file name %q is not a plain name", e.Name())
	}
	if err != nil {
		s.skip(e.Name(), err.Error())
		return connectors.Object{}, false
	}
	mod := e.ModTime().UTC()
	if age := now.Sub(mod); age < s.cfg.MinimumAge {
		s.skip(name, fmt.Sprintf("modified at %s (server clock), less than minimum_age %s ago: it may still be uploading; left for the next run",
			mod.Format(time.RFC3339), s.cfg.MinimumAge))
		return connectors.Object{}, false
	}
	return connectors.Object{Name: name, Size: e.Size(), ModTime: mod}, true
}

func (s *Source) skip(name, reason string) {
	if s.o.onSkip != nil {
		s.o.onSkip(name, reason)
	}
}

func (s *Source) path(obj connectors.Object) (string, error) {
	name, err := connectors.CleanName(obj.Name)
	if err != nil {
		return "", err
	}
	if strings.Contains(name, "/") {
		return "", fmt.Errorf("file name %q is not directly in the folder", name)
	}
	return path.Join(s.dir, name), nil
}

// unchanged checks that p still is the regular file List returned as obj. Objects
// built by hand (zero ModTime) are only checked to be regular files.
func (s *Source) unchanged(c *conn, p string, obj connectors.Object) error {
	fi, err := c.sftp.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", p, connectors.ErrVanished)
	}
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is no longer a regular file: %w", p, ErrChanged)
	}
	if !obj.ModTime.IsZero() && (fi.Size() != obj.Size || !fi.ModTime().Equal(obj.ModTime)) {
		return fmt.Errorf("%s: %w (now %d bytes modified %s; listed %d bytes modified %s)", p, ErrChanged,
			fi.Size(), fi.ModTime().UTC().Format(time.RFC3339), obj.Size, obj.ModTime.Format(time.RFC3339))
	}
	return nil
}

// Open streams one listed file. A file gone since listing is connectors.ErrVanished;
// one that changed (before or during the download) is ErrChanged, reported by Open or
// at the end of the stream.
func (s *Source) Open(ctx context.Context, obj connectors.Object) (io.ReadCloser, error) {
	p, err := s.path(obj)
	if err != nil {
		return nil, err
	}
	var r *reader
	err = s.do(ctx, "download", p, func(c *conn) error {
		if err := s.unchanged(c, p, obj); err != nil {
			return err
		}
		f, err := c.sftp.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", p, connectors.ErrVanished)
		}
		if err != nil {
			return err
		}
		r = &reader{s: s, ctx: ctx, c: c, p: p, obj: obj, f: f, br: bufio.NewReaderSize(f, 1<<20)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.stop = context.AfterFunc(ctx, r.c.close)
	return r, nil
}

// reader reads through a 1 MiB buffer: pkg/sftp then asks for many packets at once
// instead of waiting for one round trip per 32 KiB.
type reader struct {
	s    *Source
	ctx  context.Context
	c    *conn
	p    string
	obj  connectors.Object
	f    io.ReadCloser
	br   *bufio.Reader
	n    int64
	stop func() bool
}

func (r *reader) Read(b []byte) (int, error) {
	n, err := r.br.Read(b)
	r.n += int64(n)
	if err == nil {
		return n, nil
	}
	if err == io.EOF {
		if verr := r.verify(); verr != nil {
			return n, verr
		}
		return n, io.EOF
	}
	if r.ctx.Err() != nil {
		return n, fmt.Errorf("sftp download %s: %w", r.p, r.ctx.Err())
	}
	return n, r.s.fail("download", r.p, r.c.cause(err))
}

// verify compares what was read with the listing, then the file as it is now: a file
// appended to during the download is not taken as complete.
func (r *reader) verify() error {
	if r.obj.ModTime.IsZero() {
		return nil
	}
	if r.n != r.obj.Size {
		return fmt.Errorf("sftp download %s: read %d bytes, listed %d: %w", r.p, r.n, r.obj.Size, ErrChanged)
	}
	if err := r.s.unchanged(r.c, r.p, r.obj); err != nil {
		return fmt.Errorf("sftp download %s: %w", r.p, err)
	}
	return nil
}

func (r *reader) Close() error {
	r.stop()
	return r.f.Close()
}

// Delete removes a loaded file, unless it changed since it was listed (ErrChanged;
// the file stays) or is already gone (connectors.ErrVanished).
func (s *Source) Delete(ctx context.Context, obj connectors.Object) error {
	p, err := s.path(obj)
	if err != nil {
		return err
	}
	return s.do(ctx, "delete", p, func(c *conn) error {
		if err := s.unchanged(c, p, obj); err != nil {
			return err
		}
		err := c.sftp.Remove(p)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", p, connectors.ErrVanished)
		}
		return err
	})
}

// Archive moves a loaded file into the folder to (relative paths are from the login
// folder; it is created if missing) with an SFTP rename, so it must be on the same
// file system on the server. When the archive already holds that name, a UTC time
// stamp is inserted before the extension (x.csv → x.20260105T023000Z.csv): nothing
// archived is overwritten. The rules of Delete apply to changed and vanished files.
func (s *Source) Archive(ctx context.Context, obj connectors.Object, to string) error {
	p, err := s.path(obj)
	if err != nil {
		return err
	}
	if to == "" {
		return fmt.Errorf("sftp archive %s: the archive folder is empty", p)
	}
	to = path.Clean(to)
	if to == s.dir {
		return fmt.Errorf("sftp archive %s: the archive folder is the source folder itself", p)
	}
	return s.do(ctx, "archive", p, func(c *conn) error {
		if err := s.unchanged(c, p, obj); err != nil {
			return err
		}
		if err := c.sftp.MkdirAll(to); err != nil {
			return fmt.Errorf("create archive folder %s: %w", to, err)
		}
		dst := path.Join(to, path.Base(p))
		if _, err := c.sftp.Lstat(dst); err == nil {
			dst = path.Join(to, stamped(path.Base(p), s.o.now().UTC().Format("20060102T150405Z")))
		}
		if err := c.sftp.Rename(p, dst); err != nil {
			if _, serr := c.sftp.Lstat(p); errors.Is(serr, os.ErrNotExist) {
				return fmt.Errorf("%s: %w", p, connectors.ErrVanished)
			}
			return fmt.Errorf("rename to %s (the archive folder must be on the same file system as the source folder, and the name free): %w", dst, err)
		}
		return nil
	})
}

// stamped inserts a time stamp before the extensions of a name: a.csv.gz → a.STAMP.csv.gz.
func stamped(base, stamp string) string {
	if len(base) > 1 {
		if i := strings.IndexByte(base[1:], '.'); i >= 0 {
			return base[:i+1] + "." + stamp + base[i+1:]
		}
	}
	return base + "." + stamp
}

// Check connects (host key, authentication) and lists the folder, for `salesout
// validate`. The error is an *Error whose Kind and message say what is wrong: DNS,
// refused, timeout, host key, authentication, missing folder, permission.
func (s *Source) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.o.connectTimeout+s.o.ioTimeout)
	defer cancel()
	err := s.do(ctx, "check", s.dir, func(c *conn) error {
		fi, err := c.sftp.Stat(s.dir)
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			return fmt.Errorf("%s is not a folder", s.dir)
		}
		_, err = c.sftp.ReadDirContext(ctx, s.dir)
		return err
	})
	var e *Error
	if errors.As(err, &e) || err == nil {
		return err
	}
	// The context ended: say so as an Error too.
	k := KindCanceled
	if errors.Is(err, context.DeadlineExceeded) {
		k = KindTimeout
	}
	return &Error{Op: "check", User: s.cfg.User, Host: s.cfg.Address, Path: s.dir, Kind: k, Err: err}
}
