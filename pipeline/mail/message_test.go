package mail

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func isInvalidHeader(err error) bool { return errors.Is(err, ErrInvalidHeader) }

func TestWriteToRefusesInjection(t *testing.T) {
	const inject = "\r\nBcc: x@y"
	for _, tc := range []struct {
		name string
		edit func(*Message)
	}{
		{"Subject CRLF", func(m *Message) { m.Subject += inject }},
		{"Subject LF", func(m *Message) { m.Subject += "\nBcc: x@y" }},
		{"Subject CR", func(m *Message) { m.Subject += "\rBcc: x@y" }},
		{"To", func(m *Message) { m.To = append(m.To, "a@example.com"+inject) }},
		{"To display name", func(m *Message) { m.To = []string{`"A` + inject + `" <a@example.com>`} }},
		{"From", func(m *Message) { m.From = "alerts@example.com" + inject }},
		{"Message-ID", func(m *Message) { m.MessageID = "<a@b>" + inject }},
		{"two addresses in one To", func(m *Message) { m.To = []string{"a@example.com, x@y"} }},
		{"invalid To", func(m *Message) { m.To = []string{"not an address"} }},
		{"no To", func(m *Message) { m.To = nil }},
		{"Message-ID without brackets", func(m *Message) { m.MessageID = "a@b" }},
		{"Message-ID with a space", func(m *Message) { m.MessageID = "<a b@c>" }},
		{"Message-ID with two @", func(m *Message) { m.MessageID = "<a@b@c>" }},
		{"no Date", func(m *Message) { m.Date = time.Time{} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := render(t, goldenCases[0].d)
			tc.edit(&m)
			var buf bytes.Buffer
			n, err := m.WriteTo(&buf)
			if !isInvalidHeader(err) {
				t.Fatalf("WriteTo: err = %v, want ErrInvalidHeader", err)
			}
			if n != 0 || buf.Len() != 0 {
				t.Errorf("WriteTo wrote %d bytes before failing", buf.Len())
			}
			dir := t.TempDir()
			if _, err := WriteOutbox(dir, m); !isInvalidHeader(err) {
				t.Errorf("WriteOutbox: err = %v, want ErrInvalidHeader", err)
			}
			if files, _ := os.ReadDir(dir); len(files) != 0 {
				t.Errorf("WriteOutbox left %d files", len(files))
			}
		})
	}
}

// TestDataCannotAddHeaders: a line break in the data ends up inside the subject, never
// as a header of its own.
func TestDataCannotAddHeaders(t *testing.T) {
	d := goldenCases[0].d
	d.ScopeID = "FR-IDF\r\nBcc: x@y"
	d.ScopeName = "Name\nBcc: x@y"
	m := render(t, d)
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := msg.Header["Bcc"]; ok {
		t.Errorf("the message has a Bcc header: %q", v)
	}
	if strings.Contains(m.Text, "\nBcc") {
		t.Errorf("the text body has a line of the data's own:\n%s", m.Text)
	}
}

// parsed is a message as a mail reader sees it.
type parsed struct {
	subject, messageID string
	from               *mail.Address
	to                 []*mail.Address
	date               time.Time
	text, html         string
}

// parse reads raw back with net/mail and mime/multipart, decoding the subject, the
// addresses and the quoted-printable parts.
func parse(t *testing.T, raw []byte) parsed {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ReadMessage: %v", err)
	}
	var p parsed
	if p.subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("Subject: %v", err)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 {
		t.Fatalf("From: %v %v", from, err)
	}
	p.from = from[0]
	if p.to, err = msg.Header.AddressList("To"); err != nil {
		t.Fatalf("To: %v", err)
	}
	if p.date, err = msg.Header.Date(); err != nil {
		t.Fatalf("Date: %v", err)
	}
	p.messageID = msg.Header.Get("Message-ID")
	if v := msg.Header.Get("MIME-Version"); v != "1.0" {
		t.Errorf("MIME-Version %q", v)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for _, want := range []string{"text/plain", "text/html"} {
		part, err := mr.NextPart() // decodes quoted-printable
		if err != nil {
			t.Fatalf("part %s: %v", want, err)
		}
		mediaType, params, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if err != nil || mediaType != want || params["charset"] != "utf-8" {
			t.Fatalf("part Content-Type %q, want %s; charset=utf-8", part.Header.Get("Content-Type"), want)
		}
		body, err := io.ReadAll(part)
		if err != nil {
			t.Fatalf("part %s: %v", want, err)
		}
		text := strings.ReplaceAll(string(body), "\r\n", "\n")
		if want == "text/plain" {
			p.text = text
		} else {
			p.html = text
		}
	}
	if _, err := mr.NextPart(); err != io.EOF {
		t.Errorf("after the two parts: %v, want EOF", err)
	}
	return p
}

func TestRoundTrip(t *testing.T) {
	nonASCII := goldenCases[0].d
	nonASCII.ScopeName = "Île-de-France (objectif 1 000 000 €)"
	cases := append(slices.Clone(goldenCases), struct {
		name string
		d    Deviation
	}{"non-ASCII", nonASCII})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Render(tc.d, "Alertes ventes é <alerts@example.com>", append(testTo, `"Dupont, Zoé" <zoe@example.com>`))
			if err != nil {
				t.Fatal(err)
			}
			m.Date = testDate
			var buf bytes.Buffer
			n, err := m.WriteTo(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if n != int64(buf.Len()) {
				t.Errorf("WriteTo returned %d, wrote %d bytes", n, buf.Len())
			}
			raw := buf.Bytes()
			if i := bytes.IndexFunc(raw, func(r rune) bool { return r > '~' }); i >= 0 {
				t.Errorf("the message is not 7-bit ASCII at byte %d", i)
			}
			if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
				t.Error("a line ends in a bare LF")
			}
			header, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
			for _, line := range strings.Split(string(header), "\r\n") {
				if len(line) > 998 {
					t.Errorf("header line of %d characters", len(line))
				}
			}
			unfolded := bytes.ReplaceAll(header, []byte("\r\n "), []byte(" "))
			if strings.ContainsAny(m.Subject, "é€Î") && !bytes.Contains(unfolded, []byte("\r\nSubject: =?utf-8?q?")) {
				t.Errorf("the subject is not Q-encoded:\n%s", header)
			}

			p := parse(t, raw)
			if p.subject != m.Subject {
				t.Errorf("subject %q, want %q", p.subject, m.Subject)
			}
			if want := (mail.Address{Name: "Alertes ventes é", Address: "alerts@example.com"}); *p.from != want {
				t.Errorf("from %v, want %v", *p.from, want)
			}
			wantTo := []mail.Address{{Name: "Marie Curie", Address: "marie.curie@example.com"}, {Address: "director@example.com"}, {Name: "Dupont, Zoé", Address: "zoe@example.com"}}
			if !slices.EqualFunc(p.to, wantTo, func(a *mail.Address, b mail.Address) bool { return *a == b }) {
				t.Errorf("to %v, want %v", p.to, wantTo)
			}
			if !p.date.Equal(m.Date) {
				t.Errorf("date %v, want %v", p.date, m.Date)
			}
			if p.messageID != m.MessageID {
				t.Errorf("message id %q, want %q", p.messageID, m.MessageID)
			}
			if p.text != m.Text {
				t.Errorf("text part:\n%s\nwant:\n%s", p.text, m.Text)
			}
			if p.html != m.HTML {
				t.Errorf("html part:\n%s\nwant:\n%s", p.html, m.HTML)
			}
		})
	}
}

func TestHeaderFolding(t *testing.T) {
	m := render(t, goldenCases[0].d)
	m.To = nil
	for i := range 40 {
		m.To = append(m.To, "manager.with.a.long.name"+strings.Repeat("x", i%5)+"@example.com")
	}
	m.Subject = strings.Repeat("Élan ", 60)
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	header, _, _ := bytes.Cut(buf.Bytes(), []byte("\r\n\r\n"))
	for _, line := range strings.Split(string(header), "\r\n") {
		if len(line) > maxLine {
			t.Errorf("header line of %d characters: %q", len(line), line)
		}
	}
	p := parse(t, buf.Bytes())
	if p.subject != m.Subject {
		t.Errorf("subject %q, want %q", p.subject, m.Subject)
	}
	if len(p.to) != len(m.To) {
		t.Errorf("%d recipients, want %d", len(p.to), len(m.To))
	}
}

var safeFileName = regexp.MustCompile(`^[A-Za-z0-9._-]+\.eml$`)

func TestWriteOutbox(t *testing.T) {
	for _, tc := range []struct {
		name      string
		messageID string // "" keeps Render's
		wantName  string // "" means <stamp>-<Render's id, sanitised>.eml
	}{
		{"rendered", "", ""},
		{"path in id", "<../../etc/passwd@x>", "20261124T051500.000000000Z-.._.._etc_passwd_x.eml"},
		{"odd characters", "<a+b=c%d!~@x.y>", "20261124T051500.000000000Z-a_b_c_d___x.y.eml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := render(t, goldenCases[1].d)
			if tc.messageID != "" {
				m.MessageID = tc.messageID
			}
			dir := filepath.Join(t.TempDir(), "var", "outbox")
			path, err := WriteOutbox(dir, m)
			if err != nil {
				t.Fatal(err)
			}
			if filepath.Dir(path) != dir {
				t.Errorf("written to %s, outside %s", path, dir)
			}
			name := filepath.Base(path)
			if !safeFileName.MatchString(name) {
				t.Errorf("file name %q", name)
			}
			want := tc.wantName
			if want == "" {
				want = "20261124T051500.000000000Z-" + strings.NewReplacer("<", "", ">", "", "@", "_").Replace(m.MessageID) + ".eml"
			}
			if name != want {
				t.Errorf("file name %q, want %q", name, want)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if _, err := m.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, buf.Bytes()) {
				t.Error("the file differs from WriteTo's output")
			}
			files, _ := os.ReadDir(dir)
			if len(files) != 1 {
				t.Errorf("outbox holds %d files, want only the e-mail (no temporary file)", len(files))
			}
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
				t.Errorf("file mode %v, %v; want 0640", fi.Mode(), err)
			}
			if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm()&^0o750 != 0 {
				t.Errorf("outbox mode %v, %v; want at most 0750", fi.Mode(), err)
			}
		})
	}
}

func TestWriteOutboxOrderAndRewrite(t *testing.T) {
	dir := t.TempDir()
	m := render(t, goldenCases[0].d)
	var names []string
	for _, d := range []time.Time{testDate.Add(time.Hour), testDate, testDate.Add(time.Nanosecond), testDate} {
		m.Date = d
		path, err := WriteOutbox(dir, m)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.Base(path))
	}
	// The same message at the same Date replaces its file; names sort by Date.
	if names[1] != names[3] {
		t.Errorf("the same message got two names: %s, %s", names[1], names[3])
	}
	files, _ := os.ReadDir(dir)
	var got []string
	for _, f := range files {
		got = append(got, f.Name())
	}
	if want := []string{names[1], names[2], names[0]}; !slices.Equal(got, want) {
		t.Errorf("outbox %q, want %q", got, want)
	}
}
