package connectortest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// PostgresBin is where Debian's postgresql-15 package puts the server's programs.
// SALESOUT_POSTGRES_BIN overrides it (another system's layout, e.g. pg_config --bindir).
const PostgresBin = "/usr/lib/postgresql/15/bin"

// postgresBin is PostgresBin or its override.
func postgresBin() string {
	if dir := os.Getenv("SALESOUT_POSTGRES_BIN"); dir != "" {
		return dir
	}
	return PostgresBin
}

// RequirePostgresEnv names the environment variable that turns a missing PostgreSQL
// into a test failure instead of a skip. .ci/run sets it, so that CI never skips the
// PostgreSQL tests silently.
const RequirePostgresEnv = "SALESOUT_REQUIRE_POSTGRES"

// PostgresRole is the login role of the DSNs that Postgres hands out. It owns the
// database of the DSN and logs in with a password (scram-sha-256) over TCP.
const PostgresRole = "salesout"

// Postgres returns the DSN (URL form, with the role's password, sslmode=disable) of a
// new, empty database owned by PostgresRole on a real PostgreSQL 15 server listening
// on 127.0.0.1. Connections over TCP need the password; the server's superuser logs in
// only through the Unix socket, which lives in a temporary folder.
//
// Inside SharePostgres (from TestMain) every call shares one server, started on first
// use and stopped when the tests are over, and each call gets its own database, dropped
// by t.Cleanup. Otherwise each call starts its own server, stopped by t.Cleanup
// (pg_ctl -m fast stop).
//
// It skips the test when PostgreSQL is not installed, unless SALESOUT_REQUIRE_POSTGRES
// is set: then it fails.
func Postgres(t testing.TB) (dsn string) {
	t.Helper()
	requirePostgres(t)
	var srv *pgServer
	if sharedPG.active.Load() {
		var err error
		if srv, err = sharedPG.server(); err != nil {
			t.Fatalf("shared PostgreSQL server: %v", err)
		}
	} else {
		var err error
		if srv, err = startPostgres(); err != nil {
			t.Fatalf("PostgreSQL server: %v", err)
		}
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("PostgreSQL log (%s):\n%s", srv.log, srv.logTail())
			}
			if err := srv.stop(); err != nil {
				t.Errorf("stopping PostgreSQL: %v", err)
			}
		})
	}
	db := fmt.Sprintf("salesout_test_%d", dbSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := srv.admin(ctx, "CREATE DATABASE "+db+" OWNER "+PostgresRole+" STRATEGY FILE_COPY"); err != nil {
		t.Fatalf("creating database %s: %v", db, err)
	}
	if sharedPG.active.Load() {
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := srv.admin(ctx, "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)"); err != nil {
				t.Errorf("dropping database %s: %v", db, err)
			}
		})
	}
	return srv.dsn(db)
}

// SharePostgres runs the tests of m with one PostgreSQL server for the whole test
// binary (started by the first call of Postgres, if any) and stops it afterwards.
// Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(connectortest.SharePostgres(m)) }
func SharePostgres(m *testing.M) int {
	sharedPG.active.Store(true)
	code := m.Run()
	sharedPG.active.Store(false)
	sharedPG.mu.Lock()
	srv := sharedPG.srv
	sharedPG.mu.Unlock()
	if srv != nil {
		if code != 0 {
			fmt.Fprintf(os.Stderr, "PostgreSQL log (%s):\n%s\n", srv.log, srv.logTail())
		}
		if err := srv.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "stopping PostgreSQL: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}
	return code
}

// requirePostgres skips (or fails, under SALESOUT_REQUIRE_POSTGRES) when the server's
// programs are missing.
func requirePostgres(t testing.TB) {
	t.Helper()
	for _, prog := range []string{"initdb", "pg_ctl", "postgres"} {
		p := filepath.Join(postgresBin(), prog)
		if _, err := os.Stat(p); err != nil {
			if os.Getenv(RequirePostgresEnv) != "" {
				t.Fatalf("PostgreSQL 15 is required (%s is set) but %s is missing: apt-get install -y postgresql-15", RequirePostgresEnv, p)
			}
			t.Skipf("PostgreSQL 15 not installed (%s missing): apt-get install -y postgresql-15 (.ci/run installs it; set %s=1 to fail instead of skipping)", p, RequirePostgresEnv)
		}
	}
}

// pgShared is the server of SharePostgres.
type pgShared struct {
	active atomic.Bool // inside SharePostgres
	mu     sync.Mutex
	tried  bool
	srv    *pgServer
	err    error
}

var sharedPG pgShared

// dbSeq numbers the databases handed out, so that names never repeat in a binary.
var dbSeq atomic.Int64

// server starts the shared server on first use; a failure is remembered, so that every
// test reports it without trying again.
func (s *pgShared) server() (*pgServer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.tried {
		s.tried = true
		s.srv, s.err = startPostgres()
	}
	return s.srv, s.err
}

// pgServer is one PostgreSQL cluster in a temporary folder.
type pgServer struct {
	dir      string     // the temporary folder, removed by stop
	data     string     // the cluster's data folder
	sock     string     // the Unix socket's folder
	log      string     // the server's log file
	port     int        // on 127.0.0.1
	password string     // PostgresRole's
	owner    *user.User // the postgres user when the test runs as root, else nil
	stopOnce sync.Once
	stopErr  error
}

// startPostgres creates a cluster (initdb) in a new temporary folder, starts it on a
// free port, waits until it accepts connections and creates PostgresRole.
func startPostgres() (_ *pgServer, err error) {
	s := &pgServer{}
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root: its programs run as the postgres user, who
		// must be able to reach the folders.
		if s.owner, err = user.Lookup("postgres"); err != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL must run as the postgres user, which does not exist (%v): apt-get install -y postgresql-15 creates it", err)
		}
	}
	// A short path: the Unix socket's full path must fit in about 100 bytes.
	if s.dir, err = os.MkdirTemp("", "salesout-pg-"); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(s.dir)
		}
	}()
	if err := os.Chmod(s.dir, 0o755); err != nil {
		return nil, err
	}
	s.data = filepath.Join(s.dir, "data")
	s.sock = filepath.Join(s.dir, "sock")
	s.log = filepath.Join(s.dir, "sock", "postgres.log")
	for _, d := range []struct {
		path string
		mode os.FileMode
	}{{s.data, 0o700}, {s.sock, 0o755}} {
		if err := os.Mkdir(d.path, d.mode); err != nil {
			return nil, err
		}
		if err := s.chown(d.path); err != nil {
			return nil, err
		}
	}
	var pw [12]byte
	rand.Read(pw[:])
	s.password = "s3cr3t-" + hex.EncodeToString(pw[:])

	if out, err := s.run("initdb", "-D", s.data, "-U", "postgres", "-E", "UTF8", "--locale=C",
		"--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"); err != nil {
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	// Settings go in postgresql.auto.conf (read last), so that no path goes through
	// pg_ctl's shell. Durability is not needed for tests.
	base := fmt.Sprintf("listen_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 50\n",
		strings.ReplaceAll(s.sock, "'", "''"))
	for attempt := 0; ; attempt++ {
		if s.port, err = freePort(); err != nil {
			return nil, err
		}
		conf := base + fmt.Sprintf("port = %d\n", s.port)
		if err := os.WriteFile(filepath.Join(s.data, "postgresql.auto.conf"), []byte(conf), 0o600); err != nil {
			return nil, err
		}
		if err := s.chown(filepath.Join(s.data, "postgresql.auto.conf")); err != nil {
			return nil, err
		}
		os.Remove(s.log) // a new log for each attempt, so that waitReady reads only its own
		if out, err := s.run("pg_ctl", "-D", s.data, "-l", s.log, "-W", "start"); err != nil {
			return nil, fmt.Errorf("pg_ctl start: %v\n%s", err, out)
		}
		err := s.waitReady(60 * time.Second)
		if err == nil {
			break
		}
		s.run("pg_ctl", "-D", s.data, "-m", "immediate", "-w", "stop") // it may be running, half started
		if attempt < 3 && errors.Is(err, errPortTaken) {
			continue // the free port was taken in between
		}
		return nil, fmt.Errorf("%v\nlog:\n%s", err, s.logTail())
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.admin(ctx, "CREATE ROLE "+PostgresRole+" LOGIN PASSWORD '"+s.password+"'"); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

var errPortTaken = errors.New("port already in use")

// waitReady polls the Unix socket until the server accepts a connection, with growing
// delays; it gives up early when the server logged a fatal error (it has exited).
func (s *pgServer) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	var last error
	for delay := 5 * time.Millisecond; time.Now().Before(deadline); delay = min(2*delay, 200*time.Millisecond) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		c, err := pgconn.Connect(ctx, s.adminDSN())
		cancel()
		if err == nil {
			c.Close(context.Background())
			return nil
		}
		last = err
		log := s.logTail()
		if strings.Contains(log, "Address already in use") {
			return errPortTaken
		}
		for line := range strings.Lines(log) {
			// Our own early connections are refused with a FATAL line while it starts.
			if strings.Contains(line, "FATAL:") && !strings.Contains(line, "the database system is starting up") {
				return fmt.Errorf("PostgreSQL did not start: %s", strings.TrimSpace(line))
			}
		}
		time.Sleep(delay)
	}
	return fmt.Errorf("PostgreSQL did not accept connections within %s: %v", limit, last)
}

// stop stops the server (pg_ctl -m fast stop) and removes its folder; only the first
// call does anything.
func (s *pgServer) stop() error {
	s.stopOnce.Do(func() {
		if out, err := s.run("pg_ctl", "-D", s.data, "-m", "fast", "-w", "-t", "60", "stop"); err != nil {
			s.stopErr = fmt.Errorf("pg_ctl stop: %v\n%s", err, out)
			return // leave the folder for a look
		}
		s.stopErr = os.RemoveAll(s.dir)
	})
	return s.stopErr
}

// dsn is the URL of database db for PostgresRole over TCP.
func (s *pgServer) dsn(db string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword(PostgresRole, s.password),
		Host: fmt.Sprintf("127.0.0.1:%d", s.port), Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String()
}

// adminDSN connects as the superuser through the Unix socket (trust).
func (s *pgServer) adminDSN() string {
	return fmt.Sprintf("host='%s' port=%d user=postgres dbname=postgres sslmode=disable connect_timeout=2", s.sock, s.port)
}

// admin runs statements as the superuser.
func (s *pgServer) admin(ctx context.Context, sql string) error {
	c, err := pgconn.Connect(ctx, s.adminDSN())
	if err != nil {
		return err
	}
	defer c.Close(context.Background())
	_, err = c.Exec(ctx, sql).ReadAll()
	return err
}

// run runs one of PostgreSQL's programs, as the postgres user when the test runs as
// root, and returns its output.
func (s *pgServer) run(prog string, args ...string) ([]byte, error) {
	path := filepath.Join(postgresBin(), prog)
	var cmd *exec.Cmd
	if s.owner != nil {
		cmd = exec.Command("runuser", append([]string{"-u", s.owner.Username, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = s.dir // readable by the postgres user, unlike the test's working folder maybe
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.Bytes(), err
}

// chown gives path to the postgres user when the test runs as root.
func (s *pgServer) chown(path string) error {
	if s.owner == nil {
		return nil
	}
	uid, err := strconv.Atoi(s.owner.Uid)
	if err != nil {
		return err
	}
	gid, err := strconv.Atoi(s.owner.Gid)
	if err != nil {
		return err
	}
	return os.Chown(path, uid, gid)
}

// logTail returns the end of the server's log.
func (s *pgServer) logTail() string {
	b, _ := os.ReadFile(s.log)
	if len(b) > 8000 {
		b = b[len(b)-8000:]
	}
	return string(b)
}

// freePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
