package postgres

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
)

// Kind says what went wrong, so that a caller can decide what to do without reading the
// message.
type Kind string

const (
	KindDSN         Kind = "dsn"         // the DSN cannot be parsed
	KindDNS         Kind = "dns"         // the host name does not resolve
	KindRefused     Kind = "refused"     // nothing listens at the address (or no such Unix socket)
	KindUnreachable Kind = "unreachable" // no route to the host or network
	KindTimeout     Kind = "timeout"     // no answer in time (ConnectTimeout, or the context's deadline)
	KindTLS         Kind = "tls"         // TLS refused or the certificate not trusted (see sslmode)
	KindAuth        Kind = "auth"        // the server refused the user or password (or pg_hba.conf has no entry)
	KindNoDatabase  Kind = "no-database" // the database does not exist
	KindReadOnly    Kind = "read-only"   // the query tried to write: refused by the read-only transaction
	KindPermission  Kind = "permission"  // the role may not read a table or call a function
	KindSQL         Kind = "sql"         // PostgreSQL refused the query (syntax, unknown table or column...)
	KindUnsupported Kind = "unsupported" // a column of a type we do not read (bytea), no columns, a value out of range
	KindConnection  Kind = "connection"  // the connection was lost, or the server shut down
	KindCanceled    Kind = "canceled"    // the context was canceled or its deadline passed
	KindOther       Kind = "other"       // anything else; the message has the detail
)

// Error is a failed connection or query. Its message names the server (host and port,
// or the Unix socket) and stands on its own; it never contains the DSN's password nor
// the full DSN.
type Error struct {
	Op       string // connect, query, check
	Addr     string // host:port of the first host of the DSN, or the Unix socket's path
	Database string
	Kind     Kind
	// Code, Position and Column come from PostgreSQL when it refused the query: its
	// SQLSTATE, the 1-based character position in Options.Query, and the column (of
	// the result) a value or type is refused for.
	Code     string
	Position int
	Column   string
	msg      string // the explanation, already made safe
	err      error
}

func (e *Error) Error() string {
	if e.Addr == "" {
		return "postgres: " + e.msg
	}
	return "postgres " + e.Addr + ": " + e.msg
}

// Unwrap returns the cause: a context error, a *pgconn.PgError, a network error... but
// nothing that holds the DSN or its password (nil for a DSN that does not parse).
func (e *Error) Unwrap() error { return e.err }

// target is what an error is about: the server and database of the DSN, and the
// password, which must never show.
type target struct {
	addr     string
	database string
	password string
	query    string
}

// fail builds the Error of operation op from err; an *Error is returned as it is.
func (tg target) fail(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	// pgconn's ConnectError holds the whole connection config, password included:
	// keep only its cause.
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) && ce.Unwrap() != nil {
		err = ce.Unwrap()
	}
	e = &Error{Op: op, Addr: tg.addr, Database: tg.database, err: err}
	var pe *pgconn.PgError
	switch {
	case ctx.Err() != nil:
		// The caller gave up: what pgx saw then (a deadline, a canceled statement) is noise.
		e.Kind, e.err = KindCanceled, ctx.Err()
		e.msg = op + " canceled (" + ctx.Err().Error() + ")"
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			e.msg = op + " canceled: the deadline passed (" + ctx.Err().Error() + ")"
		}
		return e
	case errors.As(err, &pe):
		e.fromServer(pe, tg.query)
	default:
		e.Kind = classify(err)
		e.msg = e.explain(tg.scrub(describe(err)))
	}
	return e
}

// fromServer explains an error that PostgreSQL sent: its message, SQLSTATE, the
// position in the query (as line and column), detail and hint.
func (e *Error) fromServer(pe *pgconn.PgError, query string) {
	e.Code = pe.Code
	e.Position = int(pe.Position)
	switch {
	case pe.Code == "28P01" || pe.Code == "28000":
		e.Kind = KindAuth
	case pe.Code == "3D000":
		e.Kind = KindNoDatabase
	case pe.Code == "25006":
		e.Kind = KindReadOnly
	case pe.Code == "42501":
		e.Kind = KindPermission
	case pe.Code == "57014":
		e.Kind = KindCanceled // canceled on the server side (statement_timeout, an administrator)
	case strings.HasPrefix(pe.Code, "57P") || strings.HasPrefix(pe.Code, "08"):
		e.Kind = KindConnection
	case e.Op == "connect":
		e.Kind = KindOther
	default:
		e.Kind = KindSQL
	}
	var b strings.Builder
	switch e.Kind {
	case KindAuth:
		b.WriteString("authentication refused: check the user and password of the DSN, and pg_hba.conf on the server: ")
	case KindNoDatabase:
		b.WriteString("no such database: ")
	case KindReadOnly:
		b.WriteString("the query tries to write, which the read-only transaction refuses: ")
	case KindPermission:
		b.WriteString("permission denied (grant the DSN's role SELECT on what the query reads): ")
	case KindSQL:
		b.WriteString(e.Op + " refused by PostgreSQL: ")
	}
	b.WriteString(pe.Message)
	b.WriteString(" (SQLSTATE " + pe.Code + ")")
	if pe.Position > 0 && query != "" {
		line, col, near := locate(query, int(pe.Position))
		fmt.Fprintf(&b, " at line %d, column %d of the query", line, col)
		if near != "" {
			fmt.Fprintf(&b, " (near %q)", near)
		}
	}
	if pe.Detail != "" {
		b.WriteString("; detail: " + pe.Detail)
	}
	if pe.Hint != "" {
		b.WriteString("; hint: " + pe.Hint)
	}
	e.msg = b.String()
}

// locate turns PostgreSQL's 1-based character position into a line and column and
// the few characters of the query from there.
func locate(query string, pos int) (line, col int, near string) {
	line, col = 1, 1
	i := 0
	for n := 1; n < pos && i < len(query); n++ {
		r, size := utf8.DecodeRuneInString(query[i:])
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	rest := query[i:]
	if j := strings.IndexByte(rest, '\n'); j >= 0 {
		rest = rest[:j]
	}
	runes := []rune(rest)
	if len(runes) > 20 {
		runes = runes[:20]
	}
	return line, col, strings.TrimSpace(string(runes))
}

// classify sorts an error that did not come from PostgreSQL itself.
func classify(err error) Kind {
	var dns *net.DNSError
	var ne net.Error
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var rh tls.RecordHeaderError
	var ae *tls.AlertError
	switch {
	case errors.Is(err, context.Canceled):
		return KindCanceled
	case errors.As(err, &dns):
		if dns.IsTimeout {
			return KindTimeout
		}
		return KindDNS
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ENOENT):
		return KindRefused
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return KindUnreachable
	case pgconn.Timeout(err), errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return KindTimeout
	case errors.As(err, &ua), errors.As(err, &hn), errors.As(err, &ci), errors.As(err, &rh), errors.As(err, &ae),
		strings.Contains(err.Error(), "server refused TLS connection"), strings.Contains(err.Error(), "tls:"):
		return KindTLS
	case strings.Contains(err.Error(), "SCRAM"), strings.Contains(err.Error(), "password"),
		strings.Contains(err.Error(), "channel binding"), strings.Contains(err.Error(), "require_auth"):
		return KindAuth
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, net.ErrClosed),
		strings.Contains(err.Error(), "unexpected EOF"), strings.Contains(err.Error(), "conn closed"):
		return KindConnection
	}
	return KindOther
}

// explain puts the kind's plain-words explanation in front of the detail.
func (e *Error) explain(detail string) string {
	switch e.Kind {
	case KindDNS:
		return "the host name does not resolve (DNS) [" + detail + "]"
	case KindRefused:
		return "connection refused: nothing listens at this address and port [" + detail + "]"
	case KindUnreachable:
		return "host unreachable (network or firewall) [" + detail + "]"
	case KindTimeout:
		return "timed out (firewall dropping packets, wrong port, or server overloaded) [" + detail + "]"
	case KindTLS:
		return "TLS failed: check sslmode in the DSN and the server's certificate [" + detail + "]"
	case KindAuth:
		return "authentication refused: check the user and password of the DSN [" + detail + "]"
	case KindConnection:
		return "the connection was lost [" + detail + "]"
	case KindCanceled:
		return "canceled [" + detail + "]"
	}
	return detail
}

// describe is the innermost useful text of a pgx error: pgconn's wrappers repeat the
// user, the database and the address, which the message already has.
func describe(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error() // "connect: connection refused", without "dial tcp 127.0.0.1:5433"
	}
	s := err.Error()
	// pgconn: "failed to connect to `user=u database=d`: 127.0.0.1:5433 (127.0.0.1): dial error: ..."
	if i := strings.Index(s, "`: "); strings.HasPrefix(s, "failed to connect to `") && i >= 0 {
		s = s[i+3:]
	}
	s = perDial.ReplaceAllString(s, "")
	return strings.TrimSpace(s)
}

// perDial is the address pgconn puts before the error of each connection attempt.
var perDial = regexp.MustCompile(`(?m)^\s*\S+ \([^()\s]*\): `)

// scrub replaces the password in text that came from a library, in case one ever
// carried it.
func (tg target) scrub(s string) string {
	if tg.password == "" {
		return s
	}
	return strings.ReplaceAll(s, tg.password, "xxxxx")
}

// kvSecret is a password or sslpassword of a key=value DSN, quoted (with backslash
// escapes, maybe unterminated) or not.
var kvSecret = regexp.MustCompile(`(?i)\b((?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*)`)

// RedactDSN returns the DSN with its passwords (the URL's user info, and every password
// or sslpassword parameter, in URL or key=value form) replaced by xxxxx, for messages
// and logs. A string it cannot make sense of is redacted as much as it can be: it
// masks too much rather than too little.
func RedactDSN(dsn string) string {
	lower := strings.ToLower(dsn)
	if !strings.HasPrefix(lower, "postgres://") && !strings.HasPrefix(lower, "postgresql://") {
		return kvSecret.ReplaceAllString(dsn, "${1}xxxxx")
	}
	i := strings.Index(dsn, "://") + 3
	scheme, rest := dsn[:i], dsn[i:]
	// The user info ends at the last '@': a password may hold an unescaped '@', '/' or
	// '?'. When the last '@' is in the query, this masks too much, the safe side.
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		userinfo := rest[:at]
		if colon := strings.IndexByte(userinfo, ':'); colon >= 0 {
			userinfo = userinfo[:colon] + ":xxxxx"
		}
		rest = userinfo + rest[at:]
	}
	q := strings.IndexByte(rest, '?')
	if q < 0 {
		return scheme + rest
	}
	pairs := strings.Split(rest[q+1:], "&")
	for j, pair := range pairs {
		key, _, ok := strings.Cut(pair, "=")
		if !ok {
			continue
		}
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if k := strings.ToLower(strings.TrimSpace(key)); strings.Contains(k, "password") {
			pairs[j] = pair[:strings.IndexByte(pair, '=')+1] + "xxxxx"
		}
	}
	return scheme + rest[:q+1] + strings.Join(pairs, "&")
}

// parseError explains a DSN that does not parse without quoting it: pgconn's message
// and its cause can carry parts of a malformed DSN, the password among them.
func parseError(dsn string, err error) *Error {
	reason := "it is neither a postgres:// URL nor key=value pairs"
	var pce *pgconn.ParseConfigError
	if errors.As(err, &pce) {
		s := pce.Error() // cannot parse `REDACTED`: MSG (CAUSE)
		if cause := errors.Unwrap(pce); cause != nil {
			s = strings.TrimSuffix(s, " ("+cause.Error()+")")
		}
		if i := strings.LastIndex(s, "`: "); i >= 0 {
			reason = s[i+3:]
		}
	}
	return &Error{Op: "connect", Kind: KindDSN,
		msg: "invalid DSN: " + reason + " [" + RedactDSN(dsn) + "]"}
}

// addrOf is how messages name the server: host:port, or the Unix socket's path.
func addrOf(cfg *pgconn.Config) string {
	host := cfg.Host
	if strings.HasPrefix(host, "/") {
		return host + "/.s.PGSQL." + strconv.Itoa(int(cfg.Port))
	}
	addr := net.JoinHostPort(host, strconv.Itoa(int(cfg.Port)))
	others := map[string]bool{}
	for _, f := range cfg.Fallbacks { // sslmode=prefer falls back to the same host without TLS
		if a := net.JoinHostPort(f.Host, strconv.Itoa(int(f.Port))); a != addr {
			others[a] = true
		}
	}
	if len(others) > 0 {
		addr += fmt.Sprintf(" (and %d other hosts)", len(others))
	}
	return addr
}
