package connectortest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// FaultKind is what a FaultProxy does to a connection or an HTTP request.
type FaultKind int

const (
	// Reset passes After bytes of the server's answer, then resets the client's
	// connection (TCP RST): a connection that drops mid-download or mid-listing.
	Reset FaultKind = iota + 1
	// Stall passes After bytes of the server's answer, then sends nothing more and keeps
	// the connection open, like a hung server, until the client gives up (or the test
	// ends).
	Stall
	// Status answers an HTTP request itself with Status and an S3 error document whose
	// code is Code (503 SlowDown, 500 InternalError...); the connection stays usable.
	// HTTP proxies only.
	Status
)

// Fault is one fault a FaultProxy injects, once.
type Fault struct {
	Kind  FaultKind
	After int64 // Reset, Stall: bytes of the answer (HTTP: of the response body) passed first
	// Status, Code: the HTTP status and S3 error code of a Status fault.
	Status int
	Code   string
	// Match, for an HTTP proxy, picks the request the fault is for (nil: the next one).
	// A TCP proxy gives each fault to the next connection, in order.
	Match func(r *http.Request) bool
}

// FaultProxy is a proxy on 127.0.0.1 in front of a test server that injects the faults
// a flaky network or a struggling server shows. StartFaultProxy forwards TCP (SFTP, or
// anything): its faults apply to whole connections, counted in bytes from the server.
// StartHTTPFaultProxy forwards HTTP/1.1 request by request (S3): its faults apply to
// the requests they match. With no fault queued both pass everything through.
type FaultProxy struct {
	Addr     string // host:port to give clients
	URL      string // http://Addr, for an HTTP proxy
	upstream string
	http     bool
	l        net.Listener
	done     chan struct{}

	mu       sync.Mutex
	faults   []Fault
	injected []Fault
	conns    []net.Conn
	requests int
	served   int64 // bytes from the server passed to clients by a TCP proxy
}

// StartFaultProxy starts a TCP proxy to upstream (host:port).
func StartFaultProxy(t testing.TB, upstream string) *FaultProxy {
	return startFaultProxy(t, upstream, false)
}

// StartHTTPFaultProxy starts an HTTP proxy to upstream (http://host:port or host:port).
func StartHTTPFaultProxy(t testing.TB, upstream string) *FaultProxy {
	return startFaultProxy(t, strings.TrimPrefix(upstream, "http://"), true)
}

func startFaultProxy(t testing.TB, upstream string, isHTTP bool) *FaultProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &FaultProxy{Addr: l.Addr().String(), upstream: upstream, http: isHTTP, l: l, done: make(chan struct{})}
	if isHTTP {
		p.URL = "http://" + p.Addr
	}
	t.Cleanup(p.Close)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns = append(p.conns, c)
			p.mu.Unlock()
			if isHTTP {
				go p.serveHTTP(c)
			} else {
				go p.serveTCP(c)
			}
		}
	}()
	return p
}

// Inject queues faults, applied in order.
func (p *FaultProxy) Inject(f ...Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = append(p.faults, f...)
}

// Pending returns how many queued faults were not injected yet.
func (p *FaultProxy) Pending() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.faults)
}

// Injected returns the faults injected so far.
func (p *FaultProxy) Injected() []Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Fault(nil), p.injected...)
}

// Requests returns how many HTTP requests the proxy received.
func (p *FaultProxy) Requests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests
}

// Served returns how many bytes from the server a TCP proxy has passed to its clients:
// a test measures a clean exchange with it to aim a fault (After) at a step of the
// protocol.
func (p *FaultProxy) Served() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.served
}

// Close stops the proxy and closes every connection (a stalled one included).
func (p *FaultProxy) Close() {
	p.mu.Lock()
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
	p.mu.Unlock()
	p.l.Close()
}

// next takes the first queued fault that applies (TCP: any; HTTP: whose Match accepts r).
func (p *FaultProxy) next(r *http.Request) (Fault, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r != nil {
		p.requests++
	}
	for i, f := range p.faults {
		if r == nil || f.Match == nil || f.Match(r) {
			p.faults = append(p.faults[:i], p.faults[i+1:]...)
			p.injected = append(p.injected, f)
			return f, true
		}
	}
	return Fault{}, false
}

func (p *FaultProxy) dialUpstream() (net.Conn, error) {
	c, err := net.DialTimeout("tcp", p.upstream, 5*time.Second)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.conns = append(p.conns, c)
	p.mu.Unlock()
	return c, nil
}

// reset closes c with a TCP RST rather than a FIN.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

// stall holds c open, passing nothing, until the proxy closes or the client hangs up.
func (p *FaultProxy) stall(c net.Conn) {
	gone := make(chan struct{})
	go func() {
		io.Copy(io.Discard, c) // returns when the client closes
		close(gone)
	}()
	select {
	case <-gone:
	case <-p.done:
	}
	c.Close()
}

func (p *FaultProxy) serveTCP(c net.Conn) {
	up, err := p.dialUpstream()
	if err != nil {
		c.Close()
		return
	}
	f, faulty := p.next(nil)
	go func() {
		io.Copy(up, c)
		up.Close()
	}()
	if !faulty {
		io.Copy(counter{c, p}, up)
		c.Close()
		return
	}
	io.CopyN(counter{c, p}, up, f.After)
	up.Close()
	switch f.Kind {
	case Stall:
		p.stall(c)
	default:
		reset(c)
	}
}

// counter counts what is written to a client in p.served.
type counter struct {
	w io.Writer
	p *FaultProxy
}

func (c counter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.p.mu.Lock()
	c.p.served += int64(n)
	c.p.mu.Unlock()
	return n, err
}

// serveHTTP forwards the requests of one client connection one at a time over one
// upstream connection (HTTP/1.1 without pipelining, as Go's and the AWS SDK's clients
// send them).
func (p *FaultProxy) serveHTTP(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	var up net.Conn
	var ubr *bufio.Reader
	defer func() {
		if up != nil {
			up.Close()
		}
	}()
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		f, faulty := p.next(req)
		if faulty && f.Kind == Status {
			io.Copy(io.Discard, req.Body)
			req.Body.Close()
			if err := writeS3Error(c, f.Status, f.Code); err != nil {
				return
			}
			continue
		}
		if up == nil {
			if up, err = p.dialUpstream(); err != nil {
				return
			}
			ubr = bufio.NewReader(up)
		}
		if err := req.Write(up); err != nil {
			return
		}
		resp, err := http.ReadResponse(ubr, req)
		if err != nil {
			return
		}
		if !faulty {
			err = resp.Write(c)
			resp.Body.Close()
			if err != nil {
				return
			}
			continue
		}
		// Headers and After bytes of the body, then the fault.
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return
		}
		n := min(f.After, int64(len(body)))
		resp.Header.Del("Transfer-Encoding")
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		var b bytes.Buffer
		fmt.Fprintf(&b, "HTTP/1.1 %s\r\n", resp.Status)
		resp.Header.Write(&b)
		b.WriteString("\r\n")
		b.Write(body[:n])
		if _, err := c.Write(b.Bytes()); err != nil {
			return
		}
		if f.Kind == Stall {
			p.stall(c)
		} else {
			reset(c)
		}
		return
	}
}

// writeS3Error answers with an S3 error document, as S3 does when it throttles
// (503 SlowDown) or fails (500 InternalError).
func writeS3Error(w io.Writer, status int, code string) error {
	body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>%s</Code><Message>injected by connectortest.FaultProxy</Message><RequestId>FAULT</RequestId></Error>`, code)
	resp := &http.Response{
		StatusCode: status, ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/xml"}, "Content-Length": {strconv.Itoa(len(body))}},
		Body:          io.NopCloser(bytes.NewReader([]byte(body))),
		ContentLength: int64(len(body)),
	}
	return resp.Write(w)
}
