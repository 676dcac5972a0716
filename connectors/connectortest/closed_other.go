//go:build !unix

package connectortest

import (
	"fmt"
	"testing"
)

// ClosedAddr returns a 127.0.0.1 address where nothing listens: a port that was free a
// moment ago.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	return fmt.Sprintf("127.0.0.1:%d", FreePort(t))
}
