package notify

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"image/png"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/explain/explaintest"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// The fixture (package explaintest), scored at 2026-03-15: territory T1 (rep R1 Ann,
// ann@, manager boss@) and partner P1 of T1 are far behind target, and so are rep R1,
// the total and distributor ACME's units. Routed: T1, P1 and R1 to ann@ and boss@;
// total and ACME to alerts.default_to.
var (
	ann      = "ann@example.com"
	boss     = "boss@example.com"
	director = "director@example.com"
	hostile  = "<script>alert(1)</script>\r\nBcc: evil@example.com"
)

type env struct {
	ctx    context.Context
	conn   *sql.Conn
	s      Settings
	now    time.Time
	runID  int64
	outbox string
}

// newEnv opens an in-memory warehouse with the fixture (P1 named partnerName) and the
// config's default alert settings, outbox only.
func newEnv(t *testing.T, partnerName string) *env {
	t.Helper()
	ctx := context.Background()
	w, err := warehouse.Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	conn, err := w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := explaintest.Load(ctx, conn, partnerName); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg, err := config.Parse([]byte("warehouse: {path: w.duckdb, publish: a.duckdb}\nreference: {channel_db: c.csv}\n"+
		"alerts: {outbox: outbox, default_to: [director@example.com]}\nexport: {dir: e}\n"), filepath.Join(dir, "c.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	a := cfg.Alerts
	return &env{ctx: ctx, conn: conn, now: time.Date(2026, 3, 15, 6, 0, 0, 0, time.UTC), outbox: a.Outbox,
		s: Settings{Outbox: a.Outbox, DefaultTo: a.DefaultTo, WorsenPoints: a.WorsenPoints, RepeatEvery: a.RepeatEvery.Duration,
			Rules: a.Rules, From: "Sales-out alerts <alerts@example.com>", BaseCurrency: "EUR", Location: time.UTC}}
}

// run is one alert step, as a new run.
func (e *env) run(t *testing.T) Result {
	t.Helper()
	res, err := e.runWith(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (e *env) runWith(afterWrite, afterSend func(int64) error) (Result, error) {
	e.runID++
	s := e.s
	s.RunID = e.runID
	n := &notifier{Settings: s, now: e.now, afterWrite: afterWrite, afterSend: afterSend}
	return n.run(e.ctx, e.conn, explaintest.AsOf)
}

func (e *env) emls(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(e.outbox, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// digestRows are the digests' recipient, status and attempts, in id order.
func (e *env) digestRows(t *testing.T) []string {
	t.Helper()
	rows, err := e.conn.QueryContext(e.ctx, `SELECT recipient || ' ' || status || ' ' || attempts FROM alert_digests ORDER BY digest_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

// parsedMail is a received e-mail as a client sees it.
type parsedMail struct {
	header  netmail.Header
	subject string
	text    string
	html    string
	images  map[string][]byte // by Content-ID, without brackets
}

// parseMail reads raw with net/mail and mime/multipart: multipart/alternative of
// text/plain and multipart/related (text/html and its inline images).
func parseMail(t *testing.T, raw []byte) parsedMail {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	p := parsedMail{header: msg.Header, images: map[string][]byte{}}
	if p.subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	var walk func(r io.Reader, contentType string)
	walk = func(r io.Reader, contentType string) {
		mediaType, params, err := mime.ParseMediaType(contentType)
		if err != nil {
			t.Fatalf("Content-Type %q: %v", contentType, err)
		}
		if !strings.HasPrefix(mediaType, "multipart/") {
			t.Fatalf("unexpected part %s at the top", mediaType)
		}
		mr := multipart.NewReader(r, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ct := part.Header.Get("Content-Type")
			mt, _, _ := mime.ParseMediaType(ct)
			body, err := io.ReadAll(part)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case strings.HasPrefix(mt, "multipart/"):
				walk(bytes.NewReader(body), ct)
			case mt == "text/plain":
				p.text = string(body)
			case mt == "text/html":
				p.html = string(body)
			case mt == "image/png":
				if part.Header.Get("Content-Transfer-Encoding") != "base64" {
					t.Errorf("image part not base64")
				}
				dec, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(body)))
				if err != nil {
					t.Fatal(err)
				}
				p.images[strings.Trim(part.Header.Get("Content-Id"), "<>")] = dec
			default:
				t.Errorf("unexpected part %s", mt)
			}
		}
	}
	walk(msg.Body, msg.Header.Get("Content-Type"))
	return p
}

// TestDigestsOverSMTP: one run e-mails one digest per recipient, over one STARTTLS
// connection with PLAIN authentication, each with the HTML, the text and the inline
// charts; hostile data in a partner's name stays text; a second run sends nothing.
func TestDigestsOverSMTP(t *testing.T) {
	e := newEnv(t, hostile)
	srv := startSMTP(t, "127.0.0.1:0")
	e.s.SMTP = srv.config()
	res := e.run(t)
	if res.Digests != 3 || res.Sent != 3 || res.Failed != 0 || res.Written != 3 {
		t.Fatalf("result %+v, want 3 digests written and sent", res)
	}
	if want := map[string]int{ann: 1, boss: 1, director: 1}; !maps.Equal(res.DigestsTo, want) {
		t.Errorf("digests to %v, want %v", res.DigestsTo, want)
	}
	if n := srv.connections(); n != 1 {
		t.Errorf("%d SMTP connections, want 1 for the run", n)
	}
	got := srv.received()
	if len(got) != 3 {
		t.Fatalf("the server received %d e-mails, want 3", len(got))
	}
	wantSubjects := map[string]string{
		ann:      "[salesout] 3 critical: ",
		boss:     "[salesout] 3 critical: ",
		director: "[salesout] 2 critical: ",
	}
	files := e.emls(t)
	for _, r := range got {
		if len(r.to) != 1 || r.from != "alerts@example.com" {
			t.Fatalf("envelope from %q to %v, want one recipient from alerts@example.com", r.from, r.to)
		}
		to := r.to[0]
		m := parseMail(t, r.data)
		if h := m.header.Get("To"); h != "<"+to+">" && h != to {
			t.Errorf("To %q for RCPT %s", h, to)
		}
		if !strings.HasPrefix(m.subject, wantSubjects[to]) {
			t.Errorf("%s: subject %q, want it to start with %q", to, m.subject, wantSubjects[to])
		}
		if _, ok := m.header["Bcc"]; ok {
			t.Errorf("%s: a Bcc header came from the data", to)
		}
		if strings.ContainsAny(m.subject, "\r\n") {
			t.Errorf("%s: subject with a line break", to)
		}
		for _, part := range []string{m.text, m.html} {
			if !strings.Contains(part, "as of 15 March 2026") {
				t.Errorf("%s: a part lacks the date", to)
			}
		}
		if to == ann {
			// P1, with the hostile name, is Ann's partner.
			if strings.Contains(m.html, "<script") || !strings.Contains(m.html, "&lt;script&gt;alert(1)&lt;/script&gt; Bcc: evil@example.com") {
				t.Errorf("the HTML does not escape the partner's name:\n%s", m.html)
			}
			if !strings.Contains(m.text, "<script>alert(1)</script> Bcc: evil@example.com") {
				t.Errorf("the text part lacks the name on one line:\n%s", m.text)
			}
			for _, w := range []string{"Territory T1", "Partners that make the gap", "Martin & Fils, Paris", "Year over year", "Pace to year end"} {
				if !strings.Contains(m.text, w) {
					t.Errorf("the text part lacks %q:\n%s", w, m.text)
				}
			}
		}
		if len(m.images) == 0 {
			t.Errorf("%s: no inline chart", to)
		}
		for cid, img := range m.images {
			if !strings.Contains(m.html, `src="cid:`+cid+`"`) {
				t.Errorf("%s: the HTML does not show %s", to, cid)
			}
			if _, err := png.Decode(bytes.NewReader(img)); err != nil {
				t.Errorf("%s: %s is not a PNG: %v", to, cid, err)
			}
		}
		for _, bad := range []string{"http:", "https:", "<link", "<script", "<style", "url("} {
			if strings.Contains(m.html, bad) {
				t.Errorf("%s: the HTML has %q", to, bad)
			}
		}
		// The outbox holds the very bytes the relay got.
		if !slices.ContainsFunc(files, func(f string) bool { b, _ := os.ReadFile(f); return bytes.Equal(b, r.data) }) {
			t.Errorf("%s: no outbox file has the bytes sent", to)
		}
	}

	// Nothing changed: nothing to say.
	if res := e.run(t); res.Digests != 0 || res.Sent != 0 {
		t.Errorf("second run: %+v, want nothing", res)
	}
	if n := len(srv.received()); n != 3 {
		t.Errorf("after the second run the server has %d e-mails, want 3", n)
	}
}

// TestRetryAfterRefusedConnection: with the relay down the digests are written to the
// outbox and recorded as failed; the next run delivers each exactly once.
func TestRetryAfterRefusedConnection(t *testing.T) {
	e := newEnv(t, "")
	srv := newSMTP(t)
	srv.addr = freeAddr(t)
	e.s.SMTP = srv.config()
	res := e.run(t)
	if res.Digests != 3 || res.Failed != 3 || res.Sent != 0 || len(e.emls(t)) != 3 {
		t.Fatalf("relay down: %+v, %d files; want 3 failed, 3 files", res, len(e.emls(t)))
	}
	var lastError string
	e.conn.QueryRowContext(e.ctx, `SELECT min(last_error) FROM alert_digests`).Scan(&lastError)
	if !strings.Contains(lastError, "connect") {
		t.Errorf("last_error %q", lastError)
	}
	want := []string{ann + " failed 1", boss + " failed 1", director + " failed 1"}
	if got := e.digestRows(t); !slices.Equal(got, want) {
		t.Errorf("digests %q, want %q", got, want)
	}

	srv.listen(t, srv.addr)
	e.now = e.now.Add(24 * time.Hour)
	res = e.run(t)
	if res.Sent != 3 || res.Failed != 0 || res.Digests != 0 || res.Written != 0 {
		t.Errorf("relay back: %+v, want the 3 digests sent, none new", res)
	}
	res = e.run(t)
	if res.Sent != 0 {
		t.Errorf("third run sent %d", res.Sent)
	}
	checkOnce(t, srv, []string{ann, boss, director})
	want = []string{ann + " sent 2", boss + " sent 2", director + " sent 2"}
	if got := e.digestRows(t); !slices.Equal(got, want) {
		t.Errorf("digests %q, want %q", got, want)
	}
}

// TestRetryAfter451: the relay answers 451 to the first message; the run goes on with
// the others on the same connection, and the next run delivers the first, once.
func TestRetryAfter451(t *testing.T) {
	e := newEnv(t, "")
	srv := startSMTP(t, "127.0.0.1:0")
	srv.failData = 1
	e.s.SMTP = srv.config()
	res := e.run(t)
	if res.Sent != 2 || res.Failed != 1 {
		t.Fatalf("%+v, want 2 sent and 1 failed", res)
	}
	if n := srv.connections(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
	var lastError string
	e.conn.QueryRowContext(e.ctx, `SELECT last_error FROM alert_digests WHERE status = 'failed'`).Scan(&lastError)
	if !strings.Contains(lastError, "451") {
		t.Errorf("last_error %q, want the 451", lastError)
	}
	res = e.run(t)
	if res.Sent != 1 || res.Failed != 0 {
		t.Errorf("retry: %+v, want 1 sent", res)
	}
	e.run(t)
	checkOnce(t, srv, []string{ann, boss, director})
}

// checkOnce fails unless the server received exactly one e-mail for each address.
func checkOnce(t *testing.T, srv *smtpServer, want []string) {
	t.Helper()
	var got []string
	for _, r := range srv.received() {
		got = append(got, r.to...)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("received for %v, want exactly once each %v", got, want)
	}
}

// TestDedupRepeatWorseResolved: across runs an alert is e-mailed when new, not again
// while nothing changes, again after repeat_every, again when worse; once resolved,
// its recipients are told once.
func TestDedupRepeatWorseResolved(t *testing.T) {
	e := newEnv(t, "")
	notices := func() []string {
		rows, err := e.conn.QueryContext(e.ctx, `
			SELECT d.recipient || ' ' || i.notice || ' ' || a.scope || ':' || a.scope_id
			FROM alert_digest_items i JOIN alert_digests d USING (digest_id) JOIN alerts a USING (alert_id)
			WHERE d.run_id = (SELECT max(run_id) FROM alert_digests) ORDER BY ALL`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		return out
	}
	if res := e.run(t); res.Digests != 3 || res.Notified != 5 {
		t.Fatalf("first run: %+v, want 3 digests of 5 alerts", res)
	}
	if res := e.run(t); res.Digests != 0 {
		t.Errorf("same day again: %d digests", res.Digests)
	}
	e.now = e.now.Add(6 * 24 * time.Hour)
	if res := e.run(t); res.Digests != 0 {
		t.Errorf("6 days later: %d digests", res.Digests)
	}
	e.now = e.now.Add(24 * time.Hour)
	if res := e.run(t); res.Digests != 3 || res.Notified != 5 {
		t.Errorf("7 days later (repeat_every): %+v", res)
	}
	if got := notices(); !slices.Contains(got, ann+" repeat territory:T1") {
		t.Errorf("notices %q", got)
	}

	// P1 falls 15 more points; T1 is no longer behind.
	if _, err := e.conn.ExecContext(e.ctx, `UPDATE kpi_deviations SET deviation_pct = deviation_pct - 15 WHERE scope = 'partner' AND scope_id = 'P1'`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.conn.ExecContext(e.ctx, `UPDATE kpi_deviations SET severity = 'ok' WHERE scope = 'territory' AND scope_id = 'T1'`); err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(time.Hour)
	res := e.run(t)
	want := []string{ann + " resolved territory:T1", ann + " worse partner:P1", boss + " resolved territory:T1", boss + " worse partner:P1"}
	if got := notices(); !slices.Equal(got, want) || res.Resolved != 1 {
		t.Errorf("notices %q (resolved %d), want %q", got, res.Resolved, want)
	}
	if res := e.run(t); res.Digests != 0 {
		t.Errorf("after the resolved notice: %d digests", res.Digests)
	}
}

// TestMuteAndDataOwner: a muted scope's alert is kept but not e-mailed; a missing-feed
// alert goes to alerts.data_owner, not to the sales managers.
func TestMuteAndDataOwner(t *testing.T) {
	e := newEnv(t, "")
	e.s.Mute = []config.Mute{{Scope: "territory", ScopeID: "T1", Until: "2026-03-31", UntilAt: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)},
		{Scope: "total", Until: "2026-03-01", UntilAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}} // expired
	e.s.DataOwner = []string{"Data Team <Data@Example.com>"}
	e.s.Feeds = []config.Feed{{Name: "acme-daily", Distributor: "ACME", Source: "drop", ExpectedEvery: config.Duration{Duration: 24 * time.Hour}}}
	if _, err := e.conn.ExecContext(e.ctx, `INSERT INTO runs (run_id, started_at, status, as_of, steps) VALUES (1, ?, 'succeeded', '2026-03-10', 'fetch')`,
		e.now.Add(-5*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	res := e.run(t)
	if res.Muted != 1 {
		t.Errorf("%d muted, want 1", res.Muted)
	}
	var muted string
	e.conn.QueryRowContext(e.ctx, `SELECT status || ' ' || muted_until || ' ' || (last_sent IS NULL) FROM alerts WHERE scope = 'territory'`).Scan(&muted)
	if muted != "open 2026-03-31 true" {
		t.Errorf("muted alert: %q", muted)
	}
	if want := map[string]int{ann: 1, boss: 1, director: 1, "data@example.com": 1}; !maps.Equal(res.DigestsTo, want) {
		t.Errorf("digests to %v, want %v", res.DigestsTo, want)
	}
	var kinds string
	e.conn.QueryRowContext(e.ctx, `SELECT string_agg(a.kind, ',' ORDER BY a.kind) FROM alert_digest_items i JOIN alert_digests d USING (digest_id)
		JOIN alerts a USING (alert_id) WHERE d.recipient = 'data@example.com'`).Scan(&kinds)
	if kinds != "missing_feed" {
		t.Errorf("the data owner got %q", kinds)
	}
}

// TestDeliveryCrash: a crash after a digest is recorded, whether or not its outbox file
// lasted, leaves exactly one file per digest once the next run has recovered.
func TestDeliveryCrash(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fileKept bool
	}{{"after the file", true}, {"before the file lasted", false}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "")
			crash := errors.New("killed")
			_, err := e.runWith(func(int64) error {
				if !tc.fileKept {
					for _, f := range e.emls(t) {
						os.Remove(f)
					}
				}
				return crash
			}, nil)
			if !errors.Is(err, crash) {
				t.Fatalf("first run: %v, want the crash", err)
			}
			res := e.run(t)
			if res.Digests != 0 {
				t.Errorf("the recovering run recorded %d new digests", res.Digests)
			}
			if n := len(e.emls(t)); n != 3 {
				t.Errorf("%d files in the outbox, want 3", n)
			}
			want := []string{ann + " written 0", boss + " written 0", director + " written 0"}
			if got := e.digestRows(t); !slices.Equal(got, want) {
				t.Errorf("digests %q, want %q", got, want)
			}
			if res := e.run(t); res.Digests != 0 || res.Written != 0 || len(e.emls(t)) != 3 {
				t.Errorf("third run: %+v", res)
			}
		})
	}
}

// TestSendCrash: a crash after the relay accepted a digest and before it is recorded as
// sent (the one window no protocol closes) makes the next run send it again with the
// same bytes, hence the same Message-ID, which clients use to drop the duplicate.
func TestSendCrash(t *testing.T) {
	e := newEnv(t, "")
	srv := startSMTP(t, "127.0.0.1:0")
	e.s.SMTP = srv.config()
	crash := errors.New("killed")
	if _, err := e.runWith(nil, func(int64) error { return crash }); !errors.Is(err, crash) {
		t.Fatalf("first run: %v, want the crash", err)
	}
	res := e.run(t)
	if res.Sent != 3 {
		t.Fatalf("recovering run sent %d, want 3 (the interrupted one again, and the two others)", res.Sent)
	}
	got := srv.received()
	if len(got) != 4 || !bytes.Equal(got[0].data, got[1].data) {
		t.Fatalf("received %d e-mails, want the first twice, byte for byte", len(got))
	}
}
