package main

// End-to-end tests of the remote sources: the built binary fetches from an S3-protocol
// server (gofakes3, in this test process, on 127.0.0.1) and from SFTP servers (a real
// OpenSSH sshd started by the test, and pkg/sftp's in-process server for password
// authentication), and exports Parquet to S3. The sales-out files are generated here,
// and every expected count and sum is computed from what was written.

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	mathrand "math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/crypto/ssh"

	"github.com/salesout/salesout/connectors/connectortest"
)

const remoteBucket = "sales-out"

// ---- running the binary with an environment ----

// salesoutEnv runs the binary in dir with the test process's environment plus env
// (which wins over it).
func salesoutEnv(t *testing.T, dir string, env map[string]string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, over := env[k]; !over {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

// childEnv is the environment of the binary in these tests: the AWS SDK's default
// chain finds the access key and awsSecret in the environment and nothing from the
// machine, the region is eu-west-3, logs are at info level.
func childEnv(t *testing.T, awsSecret string) map[string]string {
	env := connectortest.AWSEnv(t.TempDir(), connectortest.AccessKeyID, awsSecret, "eu-west-3")
	env["SALESOUT_LOG_LEVEL"] = "info"
	env["SALESOUT_CONFIG"] = ""
	return env
}

func mustRunEnv(t *testing.T, dir string, env map[string]string, args ...string) result {
	t.Helper()
	r := salesoutEnv(t, dir, env, args...)
	if r.code != 0 {
		t.Fatalf("salesout %s: exit %d\nstderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

// logLine is one JSON log line of stderr.
type logLine map[string]any

func (l logLine) str(k string) string {
	if v, ok := l[k].(string); ok {
		return v
	}
	return ""
}

func (l logLine) String() string { b, _ := json.Marshal(l); return string(b) }

// parseLogs returns stderr's JSON lines (other lines are left out).
func parseLogs(stderr string) []logLine {
	var out []logLine
	for _, line := range strings.Split(stderr, "\n") {
		var l logLine
		if json.Unmarshal([]byte(line), &l) == nil {
			out = append(out, l)
		}
	}
	return out
}

// logsWith returns the lines whose fields equal want (keys absent from a line never match).
func logsWith(lines []logLine, want map[string]string) []logLine {
	var out []logLine
	for _, l := range lines {
		ok := true
		for k, v := range want {
			if l.str(k) != v {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, l)
		}
	}
	return out
}

// ---- generated sales-out files and their expected totals ----

type saleLine struct {
	dist  string
	month int
	qty   int64
	cents int64
}

// salesFile writes n lines of distributor dist in CSV ("date,invoice,account,company,
// sku,qty,amount"), invoice dates in months of 2026 chosen by the seed; tag makes the
// content unique.
func salesFile(dist, tag string, seed uint64, n int) ([]byte, []saleLine) {
	rng := mathrand.New(mathrand.NewPCG(seed, 7))
	var b strings.Builder
	b.WriteString("date,invoice,account,company,sku,qty,amount\n")
	var lines []saleLine
	for i := range n {
		l := saleLine{dist: dist, month: 1 + rng.IntN(3), qty: 1 + rng.Int64N(20), cents: 100 + rng.Int64N(99_900)}
		if rng.IntN(8) == 0 {
			l.qty, l.cents = -l.qty, -l.cents // a credit note
		}
		acct := 1 + rng.IntN(5)
		sku := []string{"SKU-A", "SKU-B"}[rng.IntN(2)]
		sign := ""
		c := l.cents
		if c < 0 {
			sign, c = "-", -c
		}
		fmt.Fprintf(&b, "2026-%02d-%02d,%s-%s-%d,R%02d,Reseller %02d,%s,%d,%s%d.%02d\n",
			l.month, 1+rng.IntN(28), dist, tag, i, acct, acct, sku, l.qty, sign, c/100, c%100)
		lines = append(lines, l)
	}
	return []byte(b.String()), lines
}

// totals are the expected sales_out figures.
type totals struct{ lines []saleLine }

func (tt *totals) add(lines []saleLine) { tt.lines = append(tt.lines, lines...) }

// byDistributor is "DIST|lines|sum(quantity)|sum(amount) in cents" per distributor.
func (tt *totals) byDistributor() []string {
	type agg struct{ n, qty, cents int64 }
	m := map[string]*agg{}
	for _, l := range tt.lines {
		a := m[l.dist]
		if a == nil {
			a = &agg{}
			m[l.dist] = a
		}
		a.n++
		a.qty += l.qty
		a.cents += l.cents
	}
	var out []string
	for d, a := range m {
		out = append(out, fmt.Sprintf("%s|%d|%d|%d", d, a.n, a.qty, a.cents))
	}
	sort.Strings(out)
	return out
}

// byPartition is "DIST|2026|month|lines|cents" per distributor and month.
func (tt *totals) byPartition() []string {
	type key struct {
		d string
		m int
	}
	type agg struct{ n, cents int64 }
	m := map[key]*agg{}
	for _, l := range tt.lines {
		k := key{l.dist, l.month}
		if m[k] == nil {
			m[k] = &agg{}
		}
		m[k].n++
		m[k].cents += l.cents
	}
	var out []string
	for k, a := range m {
		out = append(out, fmt.Sprintf("%s|2026|%d|%d|%d", k.d, k.m, a.n, a.cents))
	}
	sort.Strings(out)
	return out
}

func (tt *totals) count() int64 { return int64(len(tt.lines)) }

const perDistributorSQL = `SELECT distributor, count(*), sum(quantity)::BIGINT, (sum(amount) * 100)::BIGINT FROM sales_out GROUP BY ALL ORDER BY 1`

// ---- config ----

// feedYAML is a feed of the generated CSV layout.
func feedYAML(name, dist, source, match string) string {
	return fmt.Sprintf(`  - name: %s
    distributor: %s
    source: %s
    match: %q
    columns: {invoice_date: date, invoice_number: invoice, reseller_id: account, reseller_name: company, sku: sku, quantity: qty, amount: amount}
    defaults: {currency: EUR}
`, name, dist, source, match)
}

// configYAML puts sources (YAML list items) and feeds around the fixed sections.
func configYAML(sources, feeds []string, export string) string {
	return `# generated by cmd/salesout/e2e_remote_test.go
timezone: Europe/Paris
base_currency: EUR
warehouse:
  path: var/warehouse.duckdb
  publish: var/analytics.duckdb
  threads: 2
sources:
` + strings.Join(sources, "") + `feeds:
` + strings.Join(feeds, "") + `reference:
  channel_db: ref/channel.csv
  products: ref/products.csv
alerts:
  outbox: var/outbox
export:
` + export
}

// writeAged writes a file modified age ago.
func writeAged(t *testing.T, file string, body []byte, age time.Duration) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	setAge(t, file, age)
}

// setAge sets a file's modification time to age ago.
func setAge(t *testing.T, file string, age time.Duration) {
	t.Helper()
	mt := time.Now().Add(-age)
	if err := os.Chtimes(file, mt, mt); err != nil {
		t.Fatal(err)
	}
}

func onDisk(file string) bool { _, err := os.Stat(file); return err == nil }

// randomSecret is prefix and 24 random hex digits.
func randomSecret(prefix string) string {
	b := make([]byte, 12)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// listRequests counts the ListObjectsV2 requests received for prefix.
func listRequests(f *connectortest.S3, prefix string) int {
	n := 0
	for _, r := range f.Requests() {
		if r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "2" && r.URL.Query().Get("prefix") == prefix {
			n++
		}
	}
	return n
}

// ---- the tests ----

// TestRemoteSources runs the binary three times against S3 and SFTP sources:
//
//	acme    s3, 1,005 objects directly under its prefix (1,002 not matching the feed), archive after load
//	echo    s3, after_load leave (so that the ledger, not an empty folder, skips known files)
//	bravo   sftp on OpenSSH (key, hashed known_hosts), minimum_age 1h, delete after load
//	charlie sftp on the same sshd, known_hosts with a WRONG key
//	ghost   s3, bucket does not exist
//
// export.dir is s3://sales-out/export through acme's settings.
func TestRemoteSources(t *testing.T) {
	t.Parallel()
	start := time.Now()
	defer func() { t.Logf("TestRemoteSources took %v", time.Since(start).Round(time.Millisecond)) }()
	fs3 := connectortest.StartS3(t, remoteBucket)
	sshd := connectortest.StartSSHD(t)
	dir := copyTestdata(t, "e2e_remote")
	env := childEnv(t, "e2e-remote-aws-secret")

	var want totals
	// acme: the feed's files sort after 1,002 other objects, on the second list page.
	for i := range 1002 {
		fs3.Put(t, remoteBucket, fmt.Sprintf("inbound/acme/0_noise_%04d.txt", i), []byte(fmt.Sprintf("not a feed file %d\n", i)))
	}
	fs3.Put(t, remoteBucket, "inbound/acme/old/ACME_2025-12.csv", []byte("in a sub-folder: never listed\n"))
	acme := map[string][]byte{}
	for i, name := range []string{"ACME_2026-01.csv", "ACME_2026-02.csv", "ACME_2026-03.csv"} {
		body, lines := salesFile("ACME", name, uint64(100+i), 12+i)
		acme[name] = body
		want.add(lines)
		fs3.Put(t, remoteBucket, "inbound/acme/"+name, body)
	}
	if n := len(fs3.Keys(t, remoteBucket, "inbound/acme/")); n != 1006 {
		t.Fatalf("%d keys under inbound/acme/, want 1006", n)
	}
	// echo: left in place after loading.
	for i, name := range []string{"ECHO_1.csv", "ECHO_2.csv"} {
		body, lines := salesFile("ECHO", name, uint64(200+i), 7+i)
		want.add(lines)
		fs3.Put(t, remoteBucket, "inbound/echo/"+name, body)
	}
	// bravo: two files old enough, one still being written (modified now).
	bravoDir := filepath.Join(sshd.Root, "bravo")
	for i, name := range []string{"BRAVO_1.csv", "BRAVO_2.csv"} {
		body, lines := salesFile("BRAVO", name, uint64(300+i), 9+i)
		want.add(lines)
		writeAged(t, filepath.Join(bravoDir, name), body, 2*time.Hour)
	}
	young, youngLines := salesFile("BRAVO", "BRAVO_3.csv", 303, 5)
	writeAged(t, filepath.Join(bravoDir, "BRAVO_3.csv"), young, 0)
	// charlie: never reached.
	charlieDir := filepath.Join(sshd.Root, "charlie")
	charlieBody, _ := salesFile("CHARLIE", "CHARLIE_1.csv", 400, 4)
	writeAged(t, filepath.Join(charlieDir, "CHARLIE_1.csv"), charlieBody, 2*time.Hour)

	sources := []string{
		fmt.Sprintf(`  - name: acme
    type: s3
    bucket: %s
    prefix: inbound/acme
    endpoint: %s
    path_style: true
    after_load: archive
    archive_to: archive/acme
`, remoteBucket, fs3.URL),
		fmt.Sprintf(`  - name: echo
    type: s3
    bucket: %s
    prefix: inbound/echo/
    endpoint: %s
    path_style: true
`, remoteBucket, fs3.URL),
		fmt.Sprintf(`  - name: bravo
    type: sftp
    address: %s
    user: %s
    key_file: %s
    known_hosts: %s
    dir: %s
    minimum_age: 1h
    after_load: delete
`, sshd.Addr, sshd.User, sshd.KeyFile, sshd.KnownHosts(t, true), bravoDir),
		fmt.Sprintf(`  - name: charlie
    type: sftp
    address: %s
    user: %s
    key_file: %s
    known_hosts: %s
    dir: %s
    after_load: delete
`, sshd.Addr, sshd.User, sshd.KeyFile, connectortest.KnownHostsFile(t, sshd.Addr, false, connectortest.NewHostKey(t)), charlieDir),
		fmt.Sprintf(`  - name: ghost
    type: s3
    bucket: no-such-bucket
    prefix: inbound
    endpoint: %s
    path_style: true
`, fs3.URL),
	}
	feeds := []string{
		feedYAML("acme", "ACME", "acme", "ACME_*.csv"),
		feedYAML("echo", "ECHO", "echo", "ECHO_*.csv"),
		feedYAML("bravo", "BRAVO", "bravo", "BRAVO_*.csv"),
		feedYAML("charlie", "CHARLIE", "charlie", "CHARLIE_*.csv"),
		feedYAML("ghost", "GHOST", "ghost", "GHOST_*.csv"),
	}
	cfg := configYAML(sources, feeds, "  dir: s3://"+remoteBucket+"/export\n  source: acme\n")
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func() result {
		t.Helper()
		began := time.Now()
		r := mustRunEnv(t, dir, env, "run", "--config", "config.yaml", "--as-of", asOf)
		t.Logf("run took %v", time.Since(began).Round(time.Millisecond))
		return r
	}

	t.Run("validate: one message per failing source", func(t *testing.T) {
		r := salesoutEnv(t, dir, env, "validate", "--config", "config.yaml")
		if r.code != 2 {
			t.Fatalf("validate: exit %d, want 2\n%s%s", r.code, r.stdout, r.stderr)
		}
		var problems []string
		for _, l := range strings.Split(r.stderr, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "sources[") {
				problems = append(problems, strings.TrimSpace(l))
			}
		}
		if !strings.Contains(r.stderr, "2 problem(s)") || len(problems) != 2 {
			t.Fatalf("validate: want exactly 2 problems (charlie, ghost):\n%s", r.stderr)
		}
		for _, tc := range []struct {
			prefix string
			want   []string
		}{
			{"sources[3] (charlie): ", []string{"HOST KEY MISMATCH", sshd.Addr, ssh256(sshd)}},
			{"sources[4] (ghost): ", []string{"s3://no-such-bucket/inbound/", "the bucket does not exist", "NoSuchBucket"}},
		} {
			i := slices.IndexFunc(problems, func(p string) bool { return strings.HasPrefix(p, tc.prefix) })
			if i < 0 {
				t.Errorf("no problem starting with %q:\n%s", tc.prefix, r.stderr)
				continue
			}
			for _, w := range tc.want {
				if !strings.Contains(problems[i], w) {
					t.Errorf("problem %q lacks %q", problems[i], w)
				}
			}
			t.Logf("validate: %s", problems[i])
		}
	})

	// ---- first run ----
	listsBefore := listRequests(fs3, "inbound/acme/")
	r1 := run()
	logs1 := parseLogs(r1.stderr)
	db := openPublished(t, dir)

	t.Run("first run: ledger and lines", func(t *testing.T) {
		expectRows(t, db, `SELECT feed, name, status, lines_loaded FROM files ORDER BY feed, name`,
			"acme|ACME_2026-01.csv|loaded|12",
			"acme|ACME_2026-02.csv|loaded|13",
			"acme|ACME_2026-03.csv|loaded|14",
			"bravo|BRAVO_1.csv|loaded|9",
			"bravo|BRAVO_2.csv|loaded|10",
			"echo|ECHO_1.csv|loaded|7",
			"echo|ECHO_2.csv|loaded|8",
		)
		expectRows(t, db, `SELECT count(*) FROM quarantine`, "0")
		expectRows(t, db, perDistributorSQL, want.byDistributor()...)
		// ETags of S3 objects are recorded, SFTP files have none.
		expectRows(t, db, `SELECT source, count(*), count(etag), count(modified_at) FROM files GROUP BY ALL ORDER BY 1`,
			"acme|3|3|3", "bravo|2|0|2", "echo|2|2|2")
	})

	t.Run("first run: S3 listing past 1,000 objects", func(t *testing.T) {
		if n := listRequests(fs3, "inbound/acme/") - listsBefore; n != 2 {
			t.Errorf("%d list requests for inbound/acme/ (1,005 objects), want 2 pages", n)
		}
	})

	t.Run("first run: archive on S3", func(t *testing.T) {
		for name, body := range acme {
			if _, ok := fs3.Get(t, remoteBucket, "inbound/acme/"+name); ok {
				t.Errorf("%s still in inbound/acme/", name)
			}
			if b, ok := fs3.Get(t, remoteBucket, "archive/acme/"+name); !ok || !bytes.Equal(b, body) {
				t.Errorf("archive/acme/%s: %v, %d bytes, want the %d bytes loaded", name, ok, len(b), len(body))
			}
			if got := logsWith(logs1, map[string]string{"source": "acme", "file": name, "after_load": "archive", "message": "done with file at its source"}); len(got) != 1 {
				t.Errorf("archive of %s logged %d times", name, len(got))
			}
		}
		if n := len(fs3.Keys(t, remoteBucket, "inbound/acme/")); n != 1003 {
			t.Errorf("%d keys left under inbound/acme/, want the 1,002 others and the sub-folder's", n)
		}
		if n := len(fs3.Keys(t, remoteBucket, "inbound/echo/")); n != 2 {
			t.Errorf("echo (after_load leave) has %d objects, want its 2", n)
		}
	})

	t.Run("first run: delete on SFTP, young file left", func(t *testing.T) {
		for _, name := range []string{"BRAVO_1.csv", "BRAVO_2.csv"} {
			if onDisk(filepath.Join(bravoDir, name)) {
				t.Errorf("%s still on the SFTP server after delete", name)
			}
		}
		if !onDisk(filepath.Join(bravoDir, "BRAVO_3.csv")) {
			t.Fatal("BRAVO_3.csv, still being written, was removed")
		}
		skipped := logsWith(logs1, map[string]string{"source": "bravo", "file": `"BRAVO_3.csv"`, "message": "file skipped"})
		if len(skipped) != 1 || !strings.Contains(skipped[0].str("reason"), "minimum_age 1h0m0s") {
			t.Errorf("BRAVO_3.csv: want one 'file skipped' line naming minimum_age, got %v", skipped)
		}
	})

	t.Run("first run: wrong host key and missing bucket refused, others loaded", func(t *testing.T) {
		for _, tc := range []struct {
			source string
			want   []string
		}{
			{"charlie", []string{"HOST KEY MISMATCH for " + sshd.Addr, ssh256(sshd), "not connecting"}},
			{"ghost", []string{"no-such-bucket", "the bucket does not exist"}},
		} {
			got := logsWith(logs1, map[string]string{"source": tc.source, "level": "error", "message": "source cannot be listed; its feeds are skipped this run"})
			if len(got) != 1 {
				t.Errorf("%s: %d error lines, want 1:\n%s", tc.source, len(got), r1.stderr)
				continue
			}
			for _, w := range tc.want {
				if !strings.Contains(got[0].str("error"), w) {
					t.Errorf("%s: error %q lacks %q", tc.source, got[0].str("error"), w)
				}
			}
			t.Logf("%s: %s", tc.source, got[0].str("error"))
		}
		if !onDisk(filepath.Join(charlieDir, "CHARLIE_1.csv")) {
			t.Error("CHARLIE_1.csv removed from a server whose host key was refused")
		}
	})

	t.Run("first run: Parquet export read back from S3", func(t *testing.T) {
		checkS3Export(t, fs3, &want, 1)
	})

	// ---- second run: nothing new ----
	before := rows(t, db, `SELECT (SELECT count(*) FROM files), (SELECT count(*) FROM sales_out), (SELECT max(line_id) FROM sales_out), (SELECT max(file_id) FROM files)`)
	db.Close()
	r2 := run()
	logs2 := parseLogs(r2.stderr)
	db = openPublished(t, dir)
	t.Run("second run fetches nothing", func(t *testing.T) {
		expectRows(t, db, `SELECT (SELECT count(*) FROM files), (SELECT count(*) FROM sales_out), (SELECT max(line_id) FROM sales_out), (SELECT max(file_id) FROM files)`, before...)
		expectRows(t, db, perDistributorSQL, want.byDistributor()...)
		for _, msg := range []string{"fetched", "content already received: recorded as duplicate, skipped", "done with file at its source"} {
			if got := logsWith(logs2, map[string]string{"message": msg}); len(got) > 0 {
				t.Errorf("second run logged %q: %v", msg, got)
			}
		}
		// echo's two objects were listed again, and skipped by the ledger.
		if n := len(fs3.Keys(t, remoteBucket, "inbound/echo/")); n != 2 {
			t.Errorf("echo has %d objects", n)
		}
		if len(logsWith(logs2, map[string]string{"source": "bravo", "file": `"BRAVO_3.csv"`, "message": "file skipped"})) != 1 {
			t.Error("BRAVO_3.csv not reported as left for later on the second run")
		}
	})

	// ---- third run: a renamed re-upload, a modified file, the young file grown old ----
	fs3.Put(t, remoteBucket, "inbound/acme/ACME_2026-01_resent.csv", acme["ACME_2026-01.csv"])
	echo1v2, echo1v2Lines := salesFile("ECHO", "ECHO_1.csv v2", 210, 11)
	fs3.Put(t, remoteBucket, "inbound/echo/ECHO_1.csv", echo1v2)
	want.add(echo1v2Lines)
	setAge(t, filepath.Join(bravoDir, "BRAVO_3.csv"), 2*time.Hour)
	want.add(youngLines)
	db.Close()
	r3 := run()
	logs3 := parseLogs(r3.stderr)
	db = openPublished(t, dir)

	t.Run("third run: duplicate, modified file, file written since", func(t *testing.T) {
		expectRows(t, db, `SELECT feed, name, status, lines_loaded, run_id FROM files WHERE run_id = 3 ORDER BY feed, name`,
			"acme|ACME_2026-01_resent.csv|duplicate|0|3",
			"bravo|BRAVO_3.csv|loaded|5|3",
			"echo|ECHO_1.csv|loaded|11|3",
		)
		expectRows(t, db, `SELECT f.name, d.name FROM files f JOIN files d ON f.duplicate_of = d.file_id`,
			"ACME_2026-01_resent.csv|ACME_2026-01.csv")
		expectRows(t, db, `SELECT name, count(*), count(DISTINCT etag), count(DISTINCT sha256) FROM files WHERE feed = 'echo' GROUP BY ALL ORDER BY 1`,
			"ECHO_1.csv|2|2|2", "ECHO_2.csv|1|1|1")
		expectRows(t, db, perDistributorSQL, want.byDistributor()...)
		if len(logsWith(logs3, map[string]string{"file": "ACME_2026-01_resent.csv", "message": "content already received: recorded as duplicate, skipped"})) != 1 {
			t.Errorf("duplicate not logged:\n%s", r3.stderr)
		}
		// The duplicate is archived like any file done with.
		if b, ok := fs3.Get(t, remoteBucket, "archive/acme/ACME_2026-01_resent.csv"); !ok || !bytes.Equal(b, acme["ACME_2026-01.csv"]) {
			t.Errorf("duplicate not archived: %v", ok)
		}
		if onDisk(filepath.Join(bravoDir, "BRAVO_3.csv")) {
			t.Error("BRAVO_3.csv not deleted after load")
		}
		if b, ok := fs3.Get(t, remoteBucket, "inbound/echo/ECHO_1.csv"); !ok || !bytes.Equal(b, echo1v2) {
			t.Error("ECHO_1.csv (after_load leave) touched")
		}
	})

	t.Run("third run: Parquet export read back from S3", func(t *testing.T) {
		checkS3Export(t, fs3, &want, 3)
	})
}

// ssh256 is the SHA256 fingerprint of sshd's ed25519 host key.
func ssh256(s *connectortest.SSHD) string { return ssh.FingerprintSHA256(s.HostKey) }

// checkS3Export reads export/_manifest.json through the S3 protocol, checks that it
// was written after every file of the run it points at, downloads the tables it lists
// and reads them with DuckDB.
func checkS3Export(t *testing.T, fs3 *connectortest.S3, want *totals, runID int64) {
	t.Helper()
	ctx := context.Background()
	client := fs3.Client()
	get := func(key string) []byte {
		t.Helper()
		out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(remoteBucket), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("get %s: %v", key, err)
		}
		defer out.Body.Close()
		b, err := io.ReadAll(out.Body)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var m struct {
		RunID  int64 `json:"run_id"`
		Tables []struct {
			Table string `json:"table"`
			Path  string `json:"path"`
			Rows  int64  `json:"rows"`
		} `json:"tables"`
	}
	if err := json.Unmarshal(get("export/_manifest.json"), &m); err != nil {
		t.Fatal(err)
	}
	if m.RunID != runID {
		t.Fatalf("manifest of run %d, want %d", m.RunID, runID)
	}
	runPrefix := fmt.Sprintf("export/runs/%d/", runID)

	// The manifest is the last object the run wrote.
	// (Uploads are PUTs, of whole objects or of parts, and the POST that completes a
	// multipart upload.)
	var uploads []string
	for _, r := range fs3.Requests() {
		if r.Method == http.MethodPut || (r.Method == http.MethodPost && r.URL.Query().Has("uploadId")) {
			uploads = append(uploads, strings.TrimPrefix(r.URL.Path, "/"+remoteBucket+"/"))
		}
	}
	last := slices.Index(uploads, "export/_manifest.json")
	for i, u := range uploads {
		if u == "export/_manifest.json" {
			last = i
		}
	}
	files := 0
	for i, u := range uploads {
		if strings.HasPrefix(u, runPrefix) {
			files++
			if i > last {
				t.Errorf("%s uploaded after the manifest", u)
			}
		}
	}
	if last < 0 || files == 0 {
		t.Errorf("no upload of the manifest (%d) or of the run's files (%d)", last, files)
	}

	duck, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer duck.Close()
	tables := map[string]int64{}
	for _, e := range m.Tables {
		tables[e.Table] = e.Rows
		if !strings.HasPrefix("export/"+e.Path+"/", runPrefix) {
			t.Errorf("manifest path %q is not under %s", e.Path, runPrefix)
		}
		// Download the table's folder as it is, Hive partitions and all.
		dl := t.TempDir()
		pager := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(remoteBucket), Prefix: aws.String("export/" + e.Path + "/")})
		parquets := 0
		for pager.HasMorePages() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range page.Contents {
				key := aws.ToString(o.Key)
				if path.Ext(key) != ".parquet" {
					continue
				}
				parquets++
				local := filepath.Join(dl, filepath.FromSlash(strings.TrimPrefix(key, "export/"+e.Path+"/")))
				if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(local, get(key), 0o600); err != nil {
					t.Fatal(err)
				}
			}
		}
		if parquets == 0 {
			t.Errorf("table %s: no Parquet file under export/%s/", e.Table, e.Path)
			continue
		}
		glob := filepath.ToSlash(dl) + "/**/*.parquet"
		expectRows(t, duck, fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s')`, glob), fmt.Sprint(e.Rows))
		if e.Table != "sales_out" {
			continue
		}
		expectRows(t, duck, fmt.Sprintf(`SELECT distributor, year, month, count(*), (sum(amount) * 100)::BIGINT FROM read_parquet('%s', hive_partitioning = true) GROUP BY ALL ORDER BY ALL`, glob),
			want.byPartition()...)
		// And one file on its own, as an analyst's tool would read it.
		matches, _ := filepath.Glob(filepath.Join(dl, "distributor=ACME", "year=2026", "month=1", "*.parquet"))
		if len(matches) != 1 {
			t.Fatalf("%d Parquet files for ACME 2026-01, want 1", len(matches))
		}
		var n int64
		for _, l := range want.lines {
			if l.dist == "ACME" && l.month == 1 {
				n++
			}
		}
		expectRows(t, duck, fmt.Sprintf(`SELECT count(*), count(DISTINCT invoice_number) FROM read_parquet('%s')`, filepath.ToSlash(matches[0])), fmt.Sprintf("%d|%d", n, n))
	}
	if got := tables["sales_out"]; got != want.count() {
		t.Errorf("manifest says sales_out has %d rows, want %d", got, want.count())
	}
	for _, name := range []string{"sales_out", "files", "partner_scores"} {
		if _, ok := tables[name]; !ok {
			t.Errorf("manifest lacks %s: %+v", name, m.Tables)
		}
	}
}

// TestRemoteS3Unreachable: a bucket that does not exist and an endpoint where nothing
// listens each give a clear error for their own source, while the local feeds of the
// same config load and the run exits 0. (gofakes3 does not check signatures, so wrong
// credentials cannot be played end to end; the connector's tests cover their message.)
//
// A refused connection is retried with exponential backoff (5 attempts, the connector's
// default, which AWS_MAX_ATTEMPTS does not override): the run spends 15 s on average,
// up to 30 s, on the closed port. The test runs in parallel with the others.
func TestRemoteS3Unreachable(t *testing.T) {
	t.Parallel()
	start := time.Now()
	defer func() { t.Logf("TestRemoteS3Unreachable took %v", time.Since(start).Round(time.Millisecond)) }()
	fs3 := connectortest.StartS3(t, remoteBucket)
	fs3.Put(t, remoteBucket, "inbound/GHOST_1.csv", []byte("date,invoice\n")) // in another bucket than the source's
	closed := "http://" + connectortest.ClosedAddr(t)
	dir := copyTestdata(t, "e2e_remote")
	env := childEnv(t, "e2e-remote-aws-secret")

	var want totals
	for i, name := range []string{"LOCAL_1.csv", "LOCAL_2.csv"} {
		body, lines := salesFile("LOCAL", name, uint64(500+i), 6+i)
		want.add(lines)
		writeAged(t, filepath.Join(dir, "drop", name), body, time.Hour)
	}
	sources := []string{
		"  - name: drop\n    type: local\n    dir: drop\n",
		fmt.Sprintf("  - name: ghost\n    type: s3\n    bucket: no-such-bucket\n    prefix: inbound\n    endpoint: %s\n    path_style: true\n", fs3.URL),
		fmt.Sprintf("  - name: down\n    type: s3\n    bucket: %s\n    prefix: inbound\n    endpoint: %s\n    path_style: true\n", remoteBucket, closed),
	}
	feeds := []string{
		feedYAML("local", "LOCAL", "drop", "LOCAL_*.csv"),
		feedYAML("ghost", "GHOST", "ghost", "GHOST_*.csv"),
		feedYAML("down", "DOWN", "down", "DOWN_*.csv"),
	}
	cfg := configYAML(sources, feeds, "  dir: var/export\n")
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	began := time.Now()
	r := mustRunEnv(t, dir, env, "run", "--config", "config.yaml", "--as-of", asOf)
	t.Logf("run took %v", time.Since(began).Round(time.Millisecond))
	logs := parseLogs(r.stderr)
	for _, tc := range []struct {
		source string
		want   []string
	}{
		{"ghost", []string{"s3://no-such-bucket/inbound/", fs3.URL, "the bucket does not exist"}},
		{"down", []string{"s3://" + remoteBucket + "/inbound/", closed, "connection refused: nothing listens at the endpoint"}},
	} {
		got := logsWith(logs, map[string]string{"source": tc.source, "level": "error", "message": "source cannot be listed; its feeds are skipped this run"})
		if len(got) != 1 {
			t.Errorf("%s: %d error lines, want 1:\n%s", tc.source, len(got), r.stderr)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(got[0].str("error"), w) {
				t.Errorf("%s: error %q lacks %q", tc.source, got[0].str("error"), w)
			}
		}
		t.Logf("%s: %s", tc.source, got[0].str("error"))
	}
	db := openPublished(t, dir)
	expectRows(t, db, `SELECT feed, name, status FROM files ORDER BY name`, "local|LOCAL_1.csv|loaded", "local|LOCAL_2.csv|loaded")
	expectRows(t, db, perDistributorSQL, want.byDistributor()...)
	expectRows(t, db, `SELECT status FROM runs`, "succeeded")

	began = time.Now()
	v := salesoutEnv(t, dir, env, "validate", "--config", "config.yaml")
	t.Logf("validate took %v", time.Since(began).Round(time.Millisecond))
	if v.code != 2 || !strings.Contains(v.stderr, "2 problem(s)") {
		t.Fatalf("validate: exit %d, want 2 with 2 problems:\n%s", v.code, v.stderr)
	}
	for _, w := range []string{
		"sources[1] (ghost): check s3://no-such-bucket/inbound/ at " + fs3.URL + ": the bucket does not exist",
		"sources[2] (down): check s3://" + remoteBucket + "/inbound/ at " + closed + ": connection refused",
	} {
		if !strings.Contains(v.stderr, w) {
			t.Errorf("validate output lacks %q:\n%s", w, v.stderr)
		}
	}
}

// TestRemoteNoSecretInLogs runs `run` and `validate` at debug level with an AWS secret
// in the environment, an SFTP key passphrase and SFTP passwords given through ${VAR} in
// the config, on good and failing sources (wrong password, missing bucket, then a wrong
// passphrase), and looks for every secret in stdout and stderr.
func TestRemoteNoSecretInLogs(t *testing.T) {
	t.Parallel()
	fs3 := connectortest.StartS3(t, remoteBucket)
	sshd := connectortest.StartSSHD(t)
	awsSecret := randomSecret("aws-secret-")
	passphrase := randomSecret("key-passphrase-")
	password := randomSecret("sftp-password-")
	wrongPassword := randomSecret("wrong-password-")
	wrongPassphrase := randomSecret("wrong-passphrase-")
	secrets := []string{awsSecret, passphrase, password, wrongPassword, wrongPassphrase}
	keyFile := sshd.AddUserKey(t, passphrase)
	inproc := connectortest.StartInProcessSFTP(t, "delta", password)
	dir := copyTestdata(t, "e2e_remote")
	env := childEnv(t, awsSecret)
	env["SALESOUT_LOG_LEVEL"] = "debug"
	env["SALESOUT_TEST_PASSPHRASE"] = passphrase
	env["SALESOUT_TEST_PASSWORD"] = password
	env["SALESOUT_TEST_WRONG_PASSWORD"] = wrongPassword

	var want totals
	acmeBody, lines := salesFile("ACME", "ACME_1.csv", 600, 5)
	want.add(lines)
	fs3.Put(t, remoteBucket, "inbound/acme/ACME_1.csv", acmeBody)
	bravoDir := filepath.Join(sshd.Root, "bravo")
	body, lines := salesFile("BRAVO", "BRAVO_1.csv", 601, 6)
	want.add(lines)
	writeAged(t, filepath.Join(bravoDir, "BRAVO_1.csv"), body, time.Hour)
	deltaDir := filepath.Join(t.TempDir(), "delta")
	body, lines = salesFile("DELTA", "DELTA_1.csv", 602, 7)
	want.add(lines)
	writeAged(t, filepath.Join(deltaDir, "DELTA_1.csv"), body, time.Hour)

	sources := []string{
		fmt.Sprintf("  - name: acme\n    type: s3\n    bucket: %s\n    prefix: inbound/acme\n    endpoint: %s\n    path_style: true\n    after_load: archive\n    archive_to: archive/acme\n",
			remoteBucket, fs3.URL),
		fmt.Sprintf("  - name: bravo\n    type: sftp\n    address: %s\n    user: %s\n    key_file: %s\n    passphrase: ${SALESOUT_TEST_PASSPHRASE}\n    known_hosts: %s\n    dir: %s\n    after_load: delete\n",
			sshd.Addr, sshd.User, keyFile, sshd.KnownHosts(t, true), bravoDir),
		fmt.Sprintf("  - name: delta\n    type: sftp\n    address: %s\n    user: delta\n    password: ${SALESOUT_TEST_PASSWORD}\n    known_hosts: %s\n    dir: %s\n",
			inproc.Addr, inproc.KnownHosts(t, false), deltaDir),
		fmt.Sprintf("  - name: foxtrot\n    type: sftp\n    address: %s\n    user: delta\n    password: \"${SALESOUT_TEST_WRONG_PASSWORD}\"\n    known_hosts: %s\n    dir: %s\n",
			inproc.Addr, inproc.KnownHosts(t, true), deltaDir),
		fmt.Sprintf("  - name: ghost\n    type: s3\n    bucket: no-such-bucket\n    endpoint: %s\n    path_style: true\n", fs3.URL),
	}
	feeds := []string{
		feedYAML("acme", "ACME", "acme", "ACME_*.csv"),
		feedYAML("bravo", "BRAVO", "bravo", "BRAVO_*.csv"),
		feedYAML("delta", "DELTA", "delta", "DELTA_*.csv"),
		feedYAML("foxtrot", "FOXTROT", "foxtrot", "DELTA_*.csv"),
		feedYAML("ghost", "GHOST", "ghost", "GHOST_*.csv"),
	}
	cfg := configYAML(sources, feeds, "  dir: s3://"+remoteBucket+"/export\n  source: acme\n")
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(cfg, passphrase) || strings.Contains(cfg, password) {
		t.Fatal("the config holds a secret itself")
	}

	var outputs []string
	r := salesoutEnv(t, dir, env, "run", "--config", "config.yaml", "--as-of", asOf)
	outputs = append(outputs, r.stdout, r.stderr)
	if r.code != 0 {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	logs := parseLogs(r.stderr)
	if len(logsWith(logs, map[string]string{"level": "debug"})) == 0 {
		t.Errorf("no debug line: SALESOUT_LOG_LEVEL=debug not in effect?\n%s", r.stderr)
	}
	// The secrets were used: every good source's file was loaded.
	db := openPublished(t, dir)
	expectRows(t, db, perDistributorSQL, want.byDistributor()...)
	db.Close()
	auth := logsWith(logs, map[string]string{"source": "foxtrot", "level": "error"})
	if len(auth) != 1 || !strings.Contains(auth[0].str("error"), "authentication refused") {
		t.Errorf("wrong password: want one authentication error for foxtrot, got %v", auth)
	}

	// A second run (nothing new), then validate.
	r = salesoutEnv(t, dir, env, "run", "--config", "config.yaml", "--as-of", asOf)
	outputs = append(outputs, r.stdout, r.stderr)
	if r.code != 0 {
		t.Fatalf("second run: exit %d\n%s", r.code, r.stderr)
	}
	v := salesoutEnv(t, dir, env, "validate", "--config", "config.yaml")
	outputs = append(outputs, v.stdout, v.stderr)
	if v.code != 2 || !strings.Contains(v.stderr, "2 problem(s)") ||
		!strings.Contains(v.stderr, "sources[3] (foxtrot): sftp connect delta@"+inproc.Addr+": authentication refused") || !strings.Contains(v.stderr, "sources[4] (ghost): ") {
		t.Errorf("validate: exit %d, want 2 with problems for foxtrot and ghost:\n%s", v.code, v.stderr)
	}

	// A wrong passphrase: the key cannot be read, run and validate say so.
	bad := maps.Clone(env)
	bad["SALESOUT_TEST_PASSPHRASE"] = wrongPassphrase
	for _, args := range [][]string{{"run", "--config", "config.yaml", "--as-of", asOf}, {"validate", "--config", "config.yaml"}} {
		r := salesoutEnv(t, dir, bad, args...)
		outputs = append(outputs, r.stdout, r.stderr)
		if r.code != 2 || !strings.Contains(r.stderr, "key_file "+keyFile+": wrong passphrase") {
			t.Errorf("%s with a wrong passphrase: exit %d, want 2 naming the key file:\n%s", args[0], r.code, r.stderr)
		}
	}

	all := strings.Join(outputs, "\n")
	if len(all) < 2000 {
		t.Fatalf("too little output to look at (%d bytes)", len(all))
	}
	for _, s := range secrets {
		// The random part alone, and its halves, catch a secret cut or re-quoted.
		random := s[len(s)-24:]
		for _, needle := range []string{s, random, random[:12], random[12:]} {
			if i := strings.Index(all, needle); i >= 0 {
				t.Errorf("secret %q shows in the output: ...%s...", s, all[max(0, i-200):min(len(all), i+len(needle)+100)])
				break
			}
		}
	}
	t.Logf("%d bytes of stdout and stderr checked for %d secrets", len(all), len(secrets))
}
