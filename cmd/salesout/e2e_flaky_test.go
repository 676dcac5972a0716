package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/salesout/salesout/connectors"
	"github.com/salesout/salesout/connectors/connectortest"
	"github.com/salesout/salesout/connectors/s3"
	"github.com/salesout/salesout/connectors/sftp"
	"github.com/salesout/salesout/pipeline"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// The flaky-server tests put a connectortest.FaultProxy between salesout and its test
// S3 and SFTP servers and run the fetch and load steps several times while it resets
// connections mid-download and mid-listing, answers 503 and SlowDown, and stalls past
// the I/O deadline. Nothing half-downloaded may ever be loaded, each file is loaded
// exactly once across the runs, and each run ends within a bound computed from the
// connector's deadlines. The runs are in-process (pipeline.Runner) so that the
// connectors get short deadlines: the config keeps the connectors' defaults (60 s I/O
// timeout), which would make each stall last minutes.

// flakyFile is a file put on a flaky server, with its expected lines.
type flakyFile struct {
	name  string
	body  []byte
	lines int
}

func flakyFiles(dist string, n, lines int) []flakyFile {
	var fs []flakyFile
	for i := range n {
		name := fmt.Sprintf("%s_%d.csv", dist, i+1)
		body, _ := salesFile(dist, name, uint64(500+i), lines)
		fs = append(fs, flakyFile{name, body, lines})
	}
	return fs
}

// flakyRunner runs fetch and load in-process on dir's config with src in place of the
// configured source of the same name.
type flakyRunner struct {
	t   *testing.T
	dir string
	src func() connectors.Source
}

// run runs the steps once and returns how long it took.
func (f flakyRunner) run(name string) (*pipeline.Report, time.Duration) {
	t := f.t
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load(filepath.Join(f.dir, "config.yaml"), os.LookupEnv)
	if err != nil {
		t.Fatal(err)
	}
	db, err := warehouse.Open(ctx, cfg.Warehouse)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := pipeline.NewRunner(ctx, cfg, db)
	if err != nil {
		t.Fatal(err)
	}
	r.Ingest.Sources[name] = f.src()
	defer r.Close()
	start := time.Now()
	rep, err := r.Run(ctx, pipeline.Options{Steps: []string{"fetch", "load"}, AsOf: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)})
	took := time.Since(start)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return rep, took
}

// checkLoadedOnce checks the worker database after the runs: every file once in the
// ledger, loaded, with the SHA-256 of its full content and all its lines; no other file.
func checkLoadedOnce(t *testing.T, dir string, files []flakyFile) {
	t.Helper()
	db := openWorker(t, dir)
	defer db.Close()
	var want []string
	for _, f := range files {
		sum := sha256.Sum256(f.body)
		want = append(want, fmt.Sprintf("%s|loaded|%s|%d|%d", f.name, hex.EncodeToString(sum[:]), f.lines, f.lines))
	}
	expectRows(t, db, `SELECT f.name, f.status, f.sha256, f.lines_loaded, count(l.line_no)
		FROM files f LEFT JOIN lines l USING (file_id) GROUP BY ALL ORDER BY f.name`, want...)
	// The landing folder holds the full files only: nothing half-downloaded.
	var landed []string
	filepath.WalkDir(filepath.Join(dir, "var", "landing"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			sum := sha256.Sum256(b)
			landed = append(landed, hex.EncodeToString(sum[:]))
		}
		return nil
	})
	full := map[string]bool{}
	for _, f := range files {
		sum := sha256.Sum256(f.body)
		full[hex.EncodeToString(sum[:])] = true
	}
	for _, h := range landed {
		if !full[h] {
			t.Errorf("the landing folder holds a file that is no full download (sha256 %s)", h)
		}
	}
}

// openWorker opens the worker's database read-only, between runs; close it before the
// next run.
func openWorker(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", filepath.Join(dir, "var", "warehouse.duckdb")+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// flakyConfig writes dir/config.yaml with one source and its feed.
func flakyConfig(t *testing.T, dir, source, dist string) {
	t.Helper()
	cfg := configYAML([]string{source}, []string{feedYAML(strings.ToLower(dist), dist, "flaky", dist+"_*.csv")}, "  dir: var/export\n")
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestFlakyS3(t *testing.T) {
	connectortest.SetAWSEnv(t, connectortest.AccessKeyID, "flaky-secret", "us-east-1")
	fs3 := connectortest.StartS3(t, "flaky")
	proxy := connectortest.StartHTTPFaultProxy(t, fs3.URL)
	dir := copyTestdata(t, "e2e_remote")
	flakyConfig(t, dir, fmt.Sprintf(`  - name: flaky
    type: s3
    bucket: flaky
    prefix: in
    endpoint: %s
    path_style: true
`, proxy.URL), "FLK")
	files := flakyFiles("FLK", 5, 2000) // about 90 kB each
	for _, f := range files {
		fs3.Put(t, "flaky", "in/"+f.name, f.body)
	}
	// The deadlines: connect, I/O silence, attempts per request and their backoff.
	const (
		connect  = time.Second
		ioSilent = 700 * time.Millisecond
		attempts = 3
		backoff  = 50 * time.Millisecond
	)
	src := func() connectors.Source {
		s, err := s3.New(context.Background(), s3.Config{Name: "flaky", Bucket: "flaky", Prefix: "in", Region: "us-east-1",
			Endpoint: proxy.URL, PathStyle: true},
			s3.WithTimeouts(connect, ioSilent, 5*time.Second), s3.WithRetries(attempts, backoff))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	list := func(r *http.Request) bool { return r.Method == http.MethodGet && r.URL.Query().Has("list-type") }
	get := func(name string) func(r *http.Request) bool {
		return func(r *http.Request) bool {
			return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/in/"+name)
		}
	}
	// A request that stalls costs at most ioSilent per attempt; each file or listing at
	// most attempts of them; the local work of a run is well under a few seconds.
	perRequest := attempts * (ioSilent + backoff + connect)
	runner := flakyRunner{t: t, dir: dir, src: src}

	rounds := []struct {
		name   string
		faults []connectortest.Fault
		// files the run must leave pending (not in the ledger): faults the retries
		// cannot get past
		notYet []string
		bound  time.Duration
	}{
		{"throttled listing and downloads, one reset and one stall mid-download", []connectortest.Fault{
			{Kind: connectortest.Status, Status: 503, Code: "SlowDown", Match: list},
			{Kind: connectortest.Status, Status: 503, Code: "ServiceUnavailable", Match: get(files[0].name)},
			{Kind: connectortest.Status, Status: 503, Code: "SlowDown", Match: get(files[0].name)},
			{Kind: connectortest.Reset, After: 30_000, Match: get(files[1].name)},
			{Kind: connectortest.Stall, After: 40_000, Match: get(files[2].name)},
		}, []string{files[1].name, files[2].name}, 2*perRequest + 10*time.Second},
		{"a connection that drops during listing, every attempt", []connectortest.Fault{
			{Kind: connectortest.Reset, After: 200, Match: list},
			{Kind: connectortest.Reset, After: 200, Match: list},
			{Kind: connectortest.Reset, After: 200, Match: list},
		}, []string{files[1].name, files[2].name}, perRequest + 10*time.Second},
		{"a listing that drops once, then throttled and reset downloads", []connectortest.Fault{
			{Kind: connectortest.Reset, After: 300, Match: list},
			{Kind: connectortest.Status, Status: 503, Code: "SlowDown", Match: get(files[1].name)},
			{Kind: connectortest.Reset, After: 100, Match: get(files[2].name)},
		}, []string{files[2].name}, 2*perRequest + 10*time.Second},
		{"a healthy server", nil, nil, 10 * time.Second},
	}
	for i, rd := range rounds {
		proxy.Inject(rd.faults...)
		rep, took := runner.run("flaky")
		t.Logf("round %d (%s): %v; fetch %+v; load %d files, %d lines", i+1, rd.name, took.Round(time.Millisecond), rep.Fetch, rep.Load.Files, rep.Load.Lines)
		if took > rd.bound {
			t.Errorf("round %d (%s) took %v, more than its bound %v", i+1, rd.name, took, rd.bound)
		}
		if n := proxy.Pending(); n > 0 {
			t.Errorf("round %d: %d fault(s) not injected: the round did not test them", i+1, n)
		}
		db := openWorker(t, dir)
		got := rows(t, db, `SELECT name FROM files ORDER BY name`)
		db.Close()
		for _, f := range files {
			if in, pending := slices.Contains(got, f.name), slices.Contains(rd.notYet, f.name); in == pending {
				t.Errorf("round %d: %s in the ledger: %v, want %v (ledger: %v)", i+1, f.name, in, !pending, got)
			}
		}
	}
	checkLoadedOnce(t, dir, files)
}

func TestFlakySFTP(t *testing.T) {
	const user, password = "flaky", "flaky-password"
	srv := connectortest.StartInProcessSFTP(t, user, password)
	proxy := connectortest.StartFaultProxy(t, srv.Addr)
	known := connectortest.KnownHostsFile(t, proxy.Addr, false, srv.HostKey)
	remote := filepath.Join(t.TempDir(), "in")
	empty := filepath.Join(t.TempDir(), "empty")
	os.MkdirAll(empty, 0o750)
	files := flakyFiles("FLK", 5, 2000)
	for _, f := range files {
		writeAged(t, filepath.Join(remote, f.name), f.body, time.Hour)
	}
	// Other files make the listing long enough to drop a connection in its middle.
	for i := range 2000 {
		writeAged(t, filepath.Join(remote, fmt.Sprintf("noise_%04d.txt", i)), []byte("not a feed file\n"), time.Hour)
	}
	dir := copyTestdata(t, "e2e_remote")
	flakyConfig(t, dir, fmt.Sprintf(`  - name: flaky
    type: sftp
    address: %s
    user: %s
    password: %s
    known_hosts: %s
    dir: %s
`, proxy.Addr, user, password, known, remote), "FLK")
	const (
		connect  = time.Second
		ioSilent = 700 * time.Millisecond
	)
	newSource := func(folder string) *sftp.Source {
		s, err := sftp.New(context.Background(), sftp.Config{Name: "flaky", Address: proxy.Addr, User: user,
			Password: connectors.Secret(password), KnownHosts: known, Dir: folder},
			sftp.WithTimeouts(connect, ioSilent, 200*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// Aim the faults: the bytes a connection serves before the listing (handshake,
	// authentication, SFTP start) and up to its end.
	served := func(folder string) int64 {
		before := proxy.Served()
		s := newSource(folder)
		if _, err := s.List(context.Background()); err != nil {
			t.Fatal(err)
		}
		s.Close()
		return proxy.Served() - before
	}
	login, listed := served(empty), served(remote)
	midList, midFile := login+(listed-login)/2, listed+30_000
	t.Logf("a connection serves %d bytes before listing, %d once listed; faults at %d (listing) and %d (first download)", login, listed, midList, midFile)
	if listed-login < 50_000 {
		t.Fatalf("the listing is %d bytes: too short to aim a fault in its middle", listed-login)
	}

	runner := flakyRunner{t: t, dir: dir, src: func() connectors.Source { return newSource(remote) }}
	// A stall costs at most the I/O deadline; a reconnection the connect timeout.
	bound := 2*(ioSilent+connect) + 10*time.Second
	first := files[0].name
	all := []string{}
	for _, f := range files {
		all = append(all, f.name)
	}
	rounds := []struct {
		name   string
		faults []connectortest.Fault
		notYet []string
	}{
		{"a connection that drops during listing", []connectortest.Fault{{Kind: connectortest.Reset, After: midList}}, all},
		{"a listing that stalls past the I/O deadline", []connectortest.Fault{{Kind: connectortest.Stall, After: midList}}, all},
		{"a connection reset in the middle of a download", []connectortest.Fault{{Kind: connectortest.Reset, After: midFile}}, []string{first}},
		{"a download that stalls past the I/O deadline", []connectortest.Fault{{Kind: connectortest.Stall, After: midFile}}, []string{first}},
		{"a healthy server", nil, nil},
	}
	for i, rd := range rounds {
		proxy.Inject(rd.faults...)
		rep, took := runner.run("flaky")
		t.Logf("round %d (%s): %v; fetch %+v; load %d files, %d lines", i+1, rd.name, took.Round(time.Millisecond), rep.Fetch, rep.Load.Files, rep.Load.Lines)
		if took > bound {
			t.Errorf("round %d (%s) took %v, more than its bound %v", i+1, rd.name, took, bound)
		}
		if n := proxy.Pending(); n > 0 {
			t.Errorf("round %d: %d fault(s) not injected: the round did not test them", i+1, n)
		}
		db := openWorker(t, dir)
		got := rows(t, db, `SELECT name FROM files ORDER BY name`)
		db.Close()
		for _, f := range files {
			if in, pending := slices.Contains(got, f.name), slices.Contains(rd.notYet, f.name); in == pending {
				t.Errorf("round %d: %s in the ledger: %v, want %v (ledger: %v)", i+1, f.name, in, !pending, got)
			}
		}
	}
	checkLoadedOnce(t, dir, files)
}
