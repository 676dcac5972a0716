package sftp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"strings"
	"syscall"

	pkgsftp "github.com/pkg/sftp"

	"github.com/salesout/salesout/connectors"
)

// Kind says what went wrong talking to the SFTP server, so that a caller can decide
// what to do without reading the message.
type Kind string

const (
	KindDNS         Kind = "dns"         // the host name does not resolve
	KindRefused     Kind = "refused"     // nothing listens at the address
	KindUnreachable Kind = "unreachable" // no route to the host or network
	KindTimeout     Kind = "timeout"     // no answer in time (connect, handshake or I/O)
	KindHostKey     Kind = "host-key"    // host key unknown, changed or revoked (Err is a *HostKeyError)
	KindAuth        Kind = "auth"        // the server refused the key or password
	KindNoFolder    Kind = "no-folder"   // the folder does not exist
	KindPermission  Kind = "permission"  // the server refused access to the folder or file
	KindConnection  Kind = "connection"  // the connection dropped
	KindCanceled    Kind = "canceled"    // the context was canceled
	KindOther       Kind = "other"       // anything else; the message has the detail
)

// Error is a failed SFTP operation. Its message stands on its own and never contains
// the password or the key's passphrase.
type Error struct {
	Op   string // connect, list, download, delete, archive, check
	User string
	Host string // host:port as configured
	Path string // the remote folder or file
	Kind Kind
	Err  error
}

func (e *Error) Error() string {
	where := e.User + "@" + e.Host
	if e.Path != "" {
		where += ":" + e.Path
	}
	return fmt.Sprintf("sftp %s %s: %s", e.Op, where, e.explain())
}

func (e *Error) Unwrap() error { return e.Err }

func (e *Error) explain() string {
	detail := e.Err.Error()
	switch e.Kind {
	case KindHostKey:
		return detail
	case KindDNS:
		return "the host name does not resolve (DNS) [" + detail + "]"
	case KindRefused:
		return "connection refused: nothing listens at this address and port [" + detail + "]"
	case KindUnreachable:
		return "host unreachable (network or firewall) [" + detail + "]"
	case KindTimeout:
		return "timed out (firewall dropping packets, wrong port, or server overloaded) [" + detail + "]"
	case KindAuth:
		return "authentication refused: check user, key_file (its public key in the server's authorized_keys) or password [" + detail + "]"
	case KindNoFolder:
		return "no such folder or file on the server [" + detail + "]"
	case KindPermission:
		return "permission denied by the server [" + detail + "]"
	case KindConnection:
		return "the connection was lost [" + detail + "]"
	case KindCanceled:
		return "canceled"
	}
	return detail
}

func classify(err error) Kind {
	var he *HostKeyError
	var dns *net.DNSError
	var ne net.Error
	var se *pkgsftp.StatusError
	switch {
	case errors.As(err, &he):
		return KindHostKey
	case errors.Is(err, context.Canceled):
		return KindCanceled
	case errors.As(err, &dns):
		if dns.IsTimeout {
			return KindTimeout
		}
		return KindDNS
	case errors.Is(err, syscall.ECONNREFUSED):
		return KindRefused
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return KindUnreachable
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return KindTimeout
	case strings.Contains(err.Error(), "unable to authenticate"):
		return KindAuth
	case errors.Is(err, fs.ErrNotExist):
		return KindNoFolder
	case errors.Is(err, fs.ErrPermission):
		return KindPermission
	case errors.Is(err, pkgsftp.ErrSSHFxConnectionLost), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, net.ErrClosed), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return KindConnection
	case errors.As(err, &se) && se.FxCode() == pkgsftp.ErrSSHFxConnectionLost:
		return KindConnection
	}
	return KindOther
}

// fail builds the Error of an operation on path.
func (s *Source) fail(op, path string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) || errors.Is(err, connectors.ErrVanished) {
		return err
	}
	return &Error{Op: op, User: s.cfg.User, Host: s.cfg.Address, Path: path, Kind: classify(err), Err: err}
}
