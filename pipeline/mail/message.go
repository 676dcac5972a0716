// Package mail renders KPI deviation alerts as e-mails and writes them to the outbox.
//
// Render turns a Deviation into a Message (subject, plain-text and HTML bodies);
// Message.WriteTo serialises it as an RFC 5322 / MIME message, refusing any header
// value that could inject header lines; WriteOutbox stores it atomically as an .eml
// file for the mailer to pick up.
package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/salesout/salesout/pipeline/internal/atomicfile"
)

// ErrInvalidHeader is wrapped by the errors of WriteTo, WriteOutbox and Render when a
// header value is unusable: a line break in it (header injection), an address that
// does not parse, a malformed Message-ID, or a missing value.
var ErrInvalidHeader = errors.New("alert: invalid header")

// Message is one alert e-mail.
type Message struct {
	From      string    // one RFC 5322 address, may have a display name: "Sales-out alerts <alerts@example.com>"
	To        []string  // one address per element
	Subject   string    // plain text; non-ASCII is Q-encoded by WriteTo
	Date      time.Time // the Date header, and the time in the outbox file name
	MessageID string    // "<alert-42-20261123-0123456789abcdef@salesout>"
	Text      string    // text/plain body, lines ended by "\n"
	HTML      string    // text/html body
	Inline    []Inline  // images the HTML shows by "cid:" URL
}

// Inline is an image shown inside the HTML body: <img src="cid:CID">.
type Inline struct {
	CID         string // "trend-1@salesout": letters, digits and . - _ @ only
	Name        string // file name for clients that list it
	ContentType string // image/png
	Data        []byte
}

// maxLine is the line length (without CRLF) that header folding aims at (RFC 5322 §2.1.1).
const maxLine = 78

// WriteTo writes m as an RFC 5322 message with a MIME multipart/alternative body: the
// text/plain part then the text/html part, both UTF-8 and quoted-printable, so the
// whole message is 7-bit ASCII with CRLF line ends. Addresses are parsed with net/mail
// and re-formatted; a non-ASCII subject is Q-encoded; long header lines are folded.
// Nothing is written when a header is invalid (see ErrInvalidHeader).
func (m Message) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	if err := m.encode(&buf); err != nil {
		return 0, err
	}
	return buf.WriteTo(w)
}

// encode checks m's headers and appends the whole message to buf.
func (m Message) encode(buf *bytes.Buffer) error {
	from, err := formatAddress("From", m.From)
	if err != nil {
		return err
	}
	to, err := formatAddressList(m.To)
	if err != nil {
		return err
	}
	if err := checkLine("Subject", m.Subject); err != nil {
		return err
	}
	if err := checkMessageID(m.MessageID); err != nil {
		return err
	}
	if m.Date.IsZero() {
		return fmt.Errorf("%w: Date is not set", ErrInvalidHeader)
	}
	if err := checkInline(m.Inline); err != nil {
		return err
	}

	// "=_" never occurs in quoted-printable text ("=" is always followed by a hex
	// digit or a line break), so this boundary cannot collide with a body.
	boundary := "=_" + hash(m.Text, m.HTML)[:24]
	writeHeader(buf, "From", from)
	writeHeader(buf, "To", strings.Join(to, ", "))
	writeHeader(buf, "Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	writeHeader(buf, "Date", m.Date.Format(time.RFC1123Z))
	writeHeader(buf, "Message-ID", m.MessageID)
	writeHeader(buf, "MIME-Version", "1.0")
	writeHeader(buf, "Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": boundary}))
	buf.WriteString("\r\n")

	mw := multipart.NewWriter(buf)
	if err := mw.SetBoundary(boundary); err != nil {
		return err
	}
	if err := writeTextPart(mw, "text/plain", m.Text); err != nil {
		return err
	}
	if len(m.Inline) == 0 {
		if err := writeTextPart(mw, "text/html", m.HTML); err != nil {
			return err
		}
		return mw.Close()
	}
	// The HTML and its images travel together as multipart/related (RFC 2387).
	related := "=_r" + boundary[2:]
	rw, err := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type": {mime.FormatMediaType("multipart/related", map[string]string{"type": "text/html", "boundary": related})},
	})
	if err != nil {
		return err
	}
	inner := multipart.NewWriter(rw)
	if err := inner.SetBoundary(related); err != nil {
		return err
	}
	if err := writeTextPart(inner, "text/html", m.HTML); err != nil {
		return err
	}
	for _, in := range m.Inline {
		pw, err := inner.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {mime.FormatMediaType(in.ContentType, map[string]string{"name": in.Name})},
			"Content-Transfer-Encoding": {"base64"},
			"Content-Id":                {"<" + in.CID + ">"},
			"Content-Disposition":       {mime.FormatMediaType("inline", map[string]string{"filename": in.Name})},
		})
		if err != nil {
			return err
		}
		enc := base64.StdEncoding.EncodeToString(in.Data)
		for len(enc) > 76 {
			io.WriteString(pw, enc[:76]+"\r\n")
			enc = enc[76:]
		}
		if _, err := io.WriteString(pw, enc+"\r\n"); err != nil {
			return err
		}
	}
	if err := inner.Close(); err != nil {
		return err
	}
	return mw.Close()
}

// checkInline refuses an inline part whose Content-ID or name could break its headers.
func checkInline(in []Inline) error {
	for _, p := range in {
		if !cidRe.MatchString(p.CID) || !cidRe.MatchString(p.Name) || !strings.HasPrefix(p.ContentType, "image/") {
			return fmt.Errorf("%w: inline part %q (%q, %s)", ErrInvalidHeader, p.CID, p.Name, p.ContentType)
		}
	}
	return nil
}

var cidRe = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,100}$`)

// writeTextPart writes body as a UTF-8 quoted-printable part of mediaType.
func writeTextPart(mw *multipart.Writer, mediaType, body string) error {
	pw, err := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {mime.FormatMediaType(mediaType, map[string]string{"charset": "utf-8"})},
		"Content-Transfer-Encoding": {"quoted-printable"},
	})
	if err != nil {
		return err
	}
	qp := quotedprintable.NewWriter(pw)
	if _, err := io.WriteString(qp, body); err != nil {
		return err
	}
	return qp.Close()
}

// WriteOutbox writes m to dir as <UTC date>-<message id>.eml, for instance
// 20261123T061500.000000000Z-alert-42-20261123-0123456789abcdef_salesout.eml, and returns
// the file's path. The name sorts by m.Date and holds only [A-Za-z0-9._-]. The file is
// written atomically: to a temporary file in dir (whose name does not end in .eml),
// synced, renamed into place, then dir is synced so that the rename lasts. dir is
// created (mode 0o750) when missing; the file gets mode 0o640. Writing the same
// message (same Date and Message-ID) twice leaves one file. When only the final sync
// of dir fails, the file is in place: its path is returned along with the error.
func WriteOutbox(dir string, m Message) (string, error) {
	var buf bytes.Buffer
	if err := m.encode(&buf); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	path := OutboxPath(dir, m)
	if err := atomicfile.Write(path, buf.Bytes(), 0o640); err != nil {
		return "", err
	}
	if err := syncDir(dir); err != nil {
		return path, fmt.Errorf("%s is written but its directory could not be synced: %w", path, err)
	}
	return path, nil
}

// OutboxPath is the path WriteOutbox gives m in dir: the same message always gets the
// same path, so that a caller can record it before writing.
func OutboxPath(dir string, m Message) string {
	return filepath.Join(dir, m.Date.UTC().Format("20060102T150405.000000000Z")+"-"+safeName(m.MessageID)+".eml")
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// safeName keeps the letters, digits, '.', '_' and '-' of a message id, turns any
// other character into '_' and drops the enclosing angle brackets.
func safeName(id string) string {
	id = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	return strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '_'
	}, id)
}

// checkLine refuses a header value with a line break: it would end the header and
// let the rest of the value add headers of its own (Bcc: ...).
func checkLine(name, v string) error {
	if strings.ContainsAny(v, "\r\n") {
		return fmt.Errorf("%w: %s %q contains a line break", ErrInvalidHeader, name, v)
	}
	return nil
}

// formatAddress parses one address and formats it back in its canonical form, which
// quotes or Q-encodes the display name as needed.
func formatAddress(name, v string) (string, error) {
	if err := checkLine(name, v); err != nil {
		return "", err
	}
	a, err := mail.ParseAddress(v)
	if err != nil {
		return "", fmt.Errorf("%w: %s %q: %v", ErrInvalidHeader, name, v, err)
	}
	return a.String(), nil
}

func formatAddressList(to []string) ([]string, error) {
	if len(to) == 0 {
		return nil, fmt.Errorf("%w: no To address", ErrInvalidHeader)
	}
	out := make([]string, len(to))
	for i, v := range to {
		a, err := formatAddress("To", v)
		if err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

// checkMessageID accepts "<left@right>" where both sides are non-empty printable
// ASCII without spaces, '<', '>' or another '@'.
func checkMessageID(id string) error {
	inner, ok := strings.CutPrefix(id, "<")
	if ok {
		inner, ok = strings.CutSuffix(inner, ">")
	}
	left, right, found := strings.Cut(inner, "@")
	ok = ok && found && left != "" && right != "" && !strings.ContainsFunc(inner, func(r rune) bool {
		return r <= ' ' || r > '~' || r == '<' || r == '>'
	}) && !strings.Contains(right, "@")
	if !ok {
		return fmt.Errorf("%w: Message-ID %q is not <left@right>", ErrInvalidHeader, id)
	}
	return nil
}

// writeHeader writes "Name: value" and CRLF, folding the line at spaces so that lines
// stay within maxLine characters where the value allows it: a first word that does not
// fit beside the name (a long Q-encoded word) goes on a line of its own. Values are
// checked or built free of CR and LF before they get here.
func writeHeader(buf *bytes.Buffer, name, value string) {
	line := len(name) + 1
	buf.WriteString(name + ":")
	for i, word := range strings.Split(value, " ") {
		if line+1+len(word) > maxLine && (i > 0 || 1+len(word) <= maxLine) {
			buf.WriteString("\r\n")
			line = 0
		}
		buf.WriteString(" " + word)
		line += 1 + len(word)
	}
	buf.WriteString("\r\n")
}

// hash is the hex SHA-256 of parts, each length-prefixed so that no two lists of
// parts hash alike by concatenating alike.
func hash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// WriteFile writes an encoded message (as WriteTo writes it) to path atomically, like
// WriteOutbox: path is either absent or complete. The folder is created (0o750) when
// missing and synced after the rename.
func WriteFile(path string, raw []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	if err := atomicfile.Write(path, raw, 0o640); err != nil {
		return err
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("%s is written but its directory could not be synced: %w", path, err)
	}
	return nil
}
