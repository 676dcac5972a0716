package s3_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/connectors"
	"github.com/salesout/salesout/connectors/connectortest"
	s3src "github.com/salesout/salesout/connectors/s3"
)

const (
	bucket = "sales-out"
	secret = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY-SALESOUT-S3CR3T"
)

// fake is connectortest's gofakes3 server with the test bucket, the AWS SDK's
// environment set to static credentials (nothing from the machine's files).
type fake struct{ *connectortest.S3 }

func newFake(t *testing.T) *fake {
	t.Helper()
	connectortest.SetAWSEnv(t, connectortest.AccessKeyID, secret, "")
	return &fake{connectortest.StartS3(t, bucket)}
}

func (f *fake) put(t *testing.T, key string, body []byte) {
	t.Helper()
	f.Put(t, bucket, key, body)
}

func (f *fake) get(t *testing.T, key string) ([]byte, bool) {
	t.Helper()
	return f.Get(t, bucket, key)
}

func (f *fake) cfg(prefix string) s3src.Config {
	return s3src.Config{Name: "acme", Bucket: bucket, Prefix: prefix, Region: "eu-west-3", Endpoint: f.URL, PathStyle: true}
}

// fast keeps failing tests quick: few attempts, millisecond backoff.
var fast = s3src.WithRetries(3, 10*time.Millisecond)

func newSource(t *testing.T, cfg s3src.Config, opts ...s3src.Option) *s3src.Source {
	t.Helper()
	src, err := s3src.New(context.Background(), cfg, append([]s3src.Option{fast}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func names(objs []connectors.Object) []string {
	var n []string
	for _, o := range objs {
		n = append(n, o.Name)
	}
	return n
}

func md5hex(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

func TestListPaginatesAndNamesRelativeToPrefix(t *testing.T) {
	f := newFake(t)
	var want []string
	for i := range 25 {
		name := fmt.Sprintf("ACME_%03d.csv", i)
		want = append(want, name)
		f.put(t, "acme/"+name, []byte("line "+name+"\n"))
	}
	f.put(t, "acme/", nil)                         // folder marker
	f.put(t, "acme/sub/deeper.csv", []byte("x"))   // not directly under the prefix
	f.put(t, "acmeX/other.csv", []byte("x"))       // shares the characters, not the folder
	f.put(t, "acme/bad\\name.csv", []byte("x"))    // refused by CleanName
	f.put(t, "acme/ctrl\x01name.csv", []byte("x")) // refused by CleanName
	f.put(t, "other/ACME_999.csv", []byte("x"))    // other prefix
	var skipped []string
	src := newSource(t, f.cfg("acme"), s3src.WithPageSize(10), s3src.OnSkip(func(name, reason string) {
		skipped = append(skipped, name)
	}))
	objs, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := names(objs); !slices.Equal(got, want) {
		t.Fatalf("names:\n got %q\nwant %q", got, want)
	}
	// The control character does not survive XML (it arrives as U+FFFD): skipped all the same.
	if len(skipped) != 2 || !slices.Contains(skipped, "bad\\name.csv") {
		t.Errorf("skipped %q, want the two bad names", skipped)
	}
	o := objs[3]
	body := []byte("line ACME_003.csv\n")
	if o.Size != int64(len(body)) || o.ETag != md5hex(body) || o.ModTime.IsZero() || o.ModTime.Location() != time.UTC {
		t.Errorf("object %+v: want size %d, ETag %s, a UTC time", o, len(body), md5hex(body))
	}
	lists := 0
	for _, r := range f.Requests() {
		if r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "2" {
			lists++
			if r.URL.Query().Get("delimiter") != "/" || r.URL.Query().Get("prefix") != "acme/" {
				t.Errorf("list request %s", r.URL.RawQuery)
			}
		}
	}
	if lists < 3 {
		t.Errorf("%d list requests for 25+ keys at 10 a page, want at least 3", lists)
	}
}

func TestListPastOneThousandObjects(t *testing.T) {
	f := newFake(t)
	for i := range 1001 {
		f.put(t, fmt.Sprintf("drop/F%04d.csv", i), []byte{byte(i)})
	}
	src := newSource(t, f.cfg("drop/"))
	objs, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 1001 || objs[0].Name != "F0000.csv" || objs[1000].Name != "F1000.csv" {
		t.Fatalf("%d objects (%v ... %v), want 1001", len(objs), objs[0].Name, objs[len(objs)-1].Name)
	}
	lists := 0
	for _, r := range f.Requests() {
		if r.URL.Query().Get("list-type") == "2" {
			lists++
		}
	}
	if lists != 2 {
		t.Errorf("%d list requests, want 2 pages of at most 1000", lists)
	}
}

func TestListWholeBucket(t *testing.T) {
	f := newFake(t)
	f.put(t, "top.csv", []byte("a"))
	f.put(t, "acme/inside.csv", []byte("b"))
	objs, err := newSource(t, f.cfg("")).List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := names(objs); !slices.Equal(got, []string{"top.csv"}) {
		t.Errorf("names %q", got)
	}
}

func TestOpenDownloadsTheListedVersion(t *testing.T) {
	f := newFake(t)
	body := bytes.Repeat([]byte("2026-01-05;R001;SKU-1;12;99,50\n"), 50_000) // 1.5 MB
	f.put(t, "acme/ACME_20260105.csv", body)
	src := newSource(t, f.cfg("acme/"))
	objs, err := src.List(context.Background())
	if err != nil || len(objs) != 1 {
		t.Fatal(objs, err)
	}
	rc, err := src.Open(context.Background(), objs[0])
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, body) {
		t.Fatalf("downloaded %d bytes, want %d", len(got), len(body))
	}
	var ifMatch string
	for _, r := range f.Requests() {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "ACME_20260105.csv") {
			ifMatch = r.Header.Get("If-Match")
		}
	}
	if ifMatch != `"`+md5hex(body)+`"` {
		t.Errorf("If-Match %q, want the listed ETag", ifMatch)
	}
}

func TestOpenVanishedAndChanged(t *testing.T) {
	f := newFake(t)
	f.put(t, "acme/gone.csv", []byte("a;b\n"))
	f.put(t, "acme/changed.csv", []byte("a;b\n"))
	f.put(t, "acme/precondition.csv", []byte("a;b\n"))
	src := newSource(t, f.cfg("acme/"))
	objs, err := src.List(context.Background())
	if err != nil || len(objs) != 3 {
		t.Fatal(objs, err)
	}
	byName := map[string]connectors.Object{}
	for _, o := range objs {
		byName[o.Name] = o
	}
	if _, err := f.Backend.DeleteObject(bucket, "acme/gone.csv"); err != nil {
		t.Fatal(err)
	}
	f.put(t, "acme/changed.csv", []byte("a;b\nc;d\n")) // re-uploaded after listing
	// A real S3 answers 412 to If-Match with another ETag; gofakes3 does not, so play it.
	f.SetHook(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "precondition.csv") && r.Header.Get("If-Match") != "" {
			w.WriteHeader(http.StatusPreconditionFailed)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>`)
			return true
		}
		return false
	})

	_, err = src.Open(context.Background(), byName["gone.csv"])
	if !errors.Is(err, connectors.ErrVanished) || errors.Is(err, s3src.ErrChanged) {
		t.Errorf("vanished object: %v, want ErrVanished", err)
	}
	for _, name := range []string{"changed.csv", "precondition.csv"} {
		_, err = src.Open(context.Background(), byName[name])
		if !errors.Is(err, s3src.ErrChanged) || !errors.Is(err, connectors.ErrVanished) {
			t.Errorf("%s: %v, want ErrChanged (which is also ErrVanished)", name, err)
		}
	}
}

func TestOpenDetectsCorruption(t *testing.T) {
	f := newFake(t)
	body := []byte("a;b;c\n1;2;3\n")
	f.put(t, "acme/x.csv", body)
	src := newSource(t, f.cfg("acme/"))
	objs, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// A proxy that flips a byte but keeps the headers.
	f.SetHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "x.csv") {
			return false
		}
		w.Header().Set("ETag", `"`+md5hex(body)+`"`)
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(bytes.ToUpper(body))
		return true
	})
	rc, err := src.Open(context.Background(), objs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, err := io.ReadAll(rc); !errors.Is(err, s3src.ErrIntegrity) {
		t.Errorf("read: %v, want ErrIntegrity", err)
	}
}

func TestDeleteAndArchive(t *testing.T) {
	f := newFake(t)
	for _, n := range []string{"del.csv", "arc.csv", "arc2.csv", "plus+and space.csv", "keep.csv"} {
		f.put(t, "acme/"+n, []byte("content of "+n))
	}
	f.put(t, "archive/acme/arc2.csv", []byte("an earlier upload"))
	src := newSource(t, f.cfg("acme/"), s3src.WithPageSize(2))
	objs, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]connectors.Object{}
	for _, o := range objs {
		byName[o.Name] = o
	}
	ctx := context.Background()

	if err := src.Delete(ctx, byName["del.csv"]); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.get(t, "acme/del.csv"); ok {
		t.Error("del.csv still there")
	}
	if err := src.Delete(ctx, byName["del.csv"]); !errors.Is(err, connectors.ErrVanished) {
		t.Errorf("second delete: %v, want ErrVanished", err)
	}

	for _, n := range []string{"arc.csv", "plus+and space.csv"} {
		if err := src.Archive(ctx, byName[n], "archive/acme"); err != nil {
			t.Fatal(err)
		}
		if b, ok := f.get(t, "archive/acme/"+n); !ok || string(b) != "content of "+n {
			t.Errorf("archived %s: %q %v", n, b, ok)
		}
		if _, ok := f.get(t, "acme/"+n); ok {
			t.Errorf("%s still in the source prefix", n)
		}
	}
	// The archive already holds arc2.csv: the new one gets a time stamp, the old stays.
	if err := src.Archive(ctx, byName["arc2.csv"], "archive/acme/"); err != nil {
		t.Fatal(err)
	}
	if b, _ := f.get(t, "archive/acme/arc2.csv"); string(b) != "an earlier upload" {
		t.Errorf("earlier archive overwritten: %q", b)
	}
	arch, err := src.WithLocation(bucket, "archive/acme").List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(arch); len(got) != 4 || !strings.HasPrefix(got[1], "arc2.2") || !strings.HasSuffix(got[1], "Z.csv") {
		t.Errorf("archive holds %q, want arc.csv, arc2.csv, arc2.<stamp>.csv, plus+and space.csv", got)
	}

	// keep.csv is re-uploaded after listing: neither delete nor archive may touch it.
	f.put(t, "acme/keep.csv", []byte("a newer upload"))
	if err := src.Delete(ctx, byName["keep.csv"]); !errors.Is(err, s3src.ErrChanged) {
		t.Errorf("delete of a changed object: %v, want ErrChanged", err)
	}
	if err := src.Archive(ctx, byName["keep.csv"], "archive/acme/"); !errors.Is(err, s3src.ErrChanged) {
		t.Errorf("archive of a changed object: %v, want ErrChanged", err)
	}
	if b, _ := f.get(t, "acme/keep.csv"); string(b) != "a newer upload" {
		t.Errorf("keep.csv = %q", b)
	}
	if err := src.Archive(ctx, byName["keep.csv"], "acme/"); err == nil {
		t.Error("archive into the source prefix itself accepted")
	}
}

func TestUploadMultipartReadBack(t *testing.T) {
	f := newFake(t)
	src := newSource(t, f.cfg("acme/"), s3src.WithPartSize(5<<20, 2))
	export := src.WithLocation("exports", "salesout/v1")
	if err := f.Backend.CreateBucket("exports"); err != nil {
		t.Fatal(err)
	}
	body := make([]byte, 11<<20+123) // three parts
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range body {
		body[i] = byte(rng.Uint32())
	}
	ctx := context.Background()
	key := "sales_out/distributor=ACME/year=2026/month=1/data_0.parquet"
	if err := export.Upload(ctx, key, bytes.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	if err := export.Upload(ctx, "manifest.json", strings.NewReader(`{"files":1}`)); err != nil {
		t.Fatal(err)
	}
	parts := 0
	for _, r := range f.Requests() {
		if r.Method == http.MethodPut && r.URL.Query().Get("partNumber") != "" {
			parts++
		}
	}
	if parts != 3 {
		t.Errorf("%d parts uploaded, want 3", parts)
	}
	obj, err := f.Backend.GetObject("exports", "salesout/v1/"+key, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(obj.Contents)
	obj.Contents.Close()
	if sha256.Sum256(got) != sha256.Sum256(body) {
		t.Errorf("read back %d bytes that differ from the %d uploaded", len(got), len(body))
	}
	if ct := obj.Metadata["Content-Type"]; ct != "application/vnd.apache.parquet" {
		t.Errorf("content type %q", ct)
	}
	// And through the connector itself, multipart ETag ("...-3") and all.
	rc, err := export.Open(ctx, connectors.Object{Name: "manifest.json"})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := io.ReadAll(rc)
	rc.Close()
	if string(m) != `{"files":1}` {
		t.Errorf("manifest %q", m)
	}
	if err := export.Upload(ctx, "../escape.parquet", strings.NewReader("x")); err == nil {
		t.Error("upload to a key leaving the prefix accepted")
	}
}

func TestRetriesThrottlingAndLogsThem(t *testing.T) {
	f := newFake(t)
	f.put(t, "acme/a.csv", []byte("a"))
	var failures atomic.Int32
	f.SetHook(func(w http.ResponseWriter, r *http.Request) bool {
		if failures.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)
			return true
		}
		return false
	})
	var logs bytes.Buffer
	ctx := zerolog.New(&logs).Level(zerolog.DebugLevel).WithContext(context.Background())
	objs, err := newSource(t, f.cfg("acme/")).List(ctx)
	if err != nil || len(objs) != 1 {
		t.Fatalf("list after two 503s: %v %v", objs, err)
	}
	if n := len(f.Requests()); n != 3 {
		t.Errorf("%d requests, want 3 (two throttled, one good)", n)
	}
	if !strings.Contains(logs.String(), "retrying") {
		t.Errorf("no retry logged: %s", logs.String())
	}

	// Throttled for good: a clear error once the attempts are spent.
	failures.Store(-100)
	err = newSource(t, f.cfg("acme/")).Check(ctx)
	var e *s3src.Error
	if !errors.As(err, &e) || e.Kind != s3src.KindThrottled {
		t.Errorf("check while throttled: %v", err)
	}
}

func TestCheckMessages(t *testing.T) {
	f := newFake(t)
	ctx := context.Background()
	if err := newSource(t, f.cfg("acme/")).Check(ctx); err != nil {
		t.Fatalf("check of a good source: %v", err)
	}

	// A port where nothing listens.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "http://" + l.Addr().String()
	l.Close()
	// A server that accepts and never answers.
	hang, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hang.Close() })
	go func() {
		for {
			c, err := hang.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	denied := func(w http.ResponseWriter, r *http.Request) bool {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
		return true
	}
	badKey := func(w http.ResponseWriter, r *http.Request) bool {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message></Error>`)
		return true
	}

	cases := []struct {
		name     string
		cfg      func(s3src.Config) s3src.Config
		hook     func(http.ResponseWriter, *http.Request) bool
		kind     s3src.Kind
		contains []string
	}{
		{"missing bucket", func(c s3src.Config) s3src.Config { c.Bucket = "no-such-bucket"; return c }, nil,
			s3src.KindNoBucket, []string{"s3://no-such-bucket/acme/", "the bucket does not exist", "NoSuchBucket"}},
		{"access denied", nil, denied, s3src.KindAccessDenied, []string{"access denied", "AccessDenied"}},
		{"bad key", nil, badKey, s3src.KindBadCredentials, []string{"credentials were refused", "InvalidAccessKeyId"}},
		{"refused", func(c s3src.Config) s3src.Config { c.Endpoint = closedURL; return c }, nil,
			s3src.KindRefused, []string{"connection refused", closedURL}},
		{"timeout", func(c s3src.Config) s3src.Config { c.Endpoint = "http://" + hang.Addr().String(); return c }, nil,
			s3src.KindTimeout, []string{"timed out"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := f.cfg("acme/")
			if tc.cfg != nil {
				cfg = tc.cfg(cfg)
			}
			f.SetHook(tc.hook)
			defer f.SetHook(nil)
			src := newSource(t, cfg, s3src.WithTimeouts(time.Second, 300*time.Millisecond, 5*time.Second))
			start := time.Now()
			err := src.Check(ctx)
			var e *s3src.Error
			if !errors.As(err, &e) || e.Kind != tc.kind {
				t.Fatalf("error %v (%#v), want kind %s", err, e, tc.kind)
			}
			for _, c := range tc.contains {
				if !strings.Contains(err.Error(), c) {
					t.Errorf("message %q lacks %q", err, c)
				}
			}
			t.Logf("message: %v", err)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("check took %v", d)
			}
			// List says the same.
			if _, err := src.List(ctx); !errors.As(err, &e) || e.Kind != tc.kind {
				t.Errorf("list: %v", err)
			}
		})
	}
}

func TestDNSFailureIsNamed(t *testing.T) {
	// The classification, without depending on a resolver in the test machine.
	err := &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "minio.invalid", IsNotFound: true}}
	if got := s3src.ClassifyForTest(fmt.Errorf("operation error S3: ListObjectsV2, %w", err)); got != s3src.KindDNS {
		t.Errorf("kind %s, want dns", got)
	}
}

func TestNoCredentials(t *testing.T) {
	f := newFake(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	err := newSource(t, f.cfg("acme/")).Check(context.Background())
	var e *s3src.Error
	if !errors.As(err, &e) || e.Kind != s3src.KindNoCredentials || !strings.Contains(err.Error(), "no AWS credentials found") {
		t.Errorf("check without credentials: %v", err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	newFake(t)
	ctx := context.Background()
	for _, cfg := range []s3src.Config{
		{Name: "a", Bucket: ""},
		{Name: "b", Bucket: "x", Endpoint: "minio:9000"},
		{Name: "c", Bucket: "x", Endpoint: "https://user:pass@minio.example"},
		{Name: "d", Bucket: "x"}, // no region anywhere
	} {
		if _, err := s3src.New(ctx, cfg); err == nil {
			t.Errorf("%s: accepted", cfg.Name)
		}
	}
}

func TestCancellation(t *testing.T) {
	f := newFake(t)
	f.put(t, "acme/a.csv", []byte("a"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src := newSource(t, f.cfg("acme/"))
	if _, err := src.List(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("list with a canceled context: %v", err)
	}
	// Cancel in the middle of a download.
	f.put(t, "acme/big.csv", make([]byte, 8<<20))
	objs, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	rc, err := src.Open(ctx, objs[1])
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	buf := make([]byte, 1024)
	if _, err := io.ReadFull(rc, buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := io.Copy(io.Discard, rc); err == nil {
		t.Error("download went on after cancel")
	}
}

// TestSecretNeverShows runs every failure path with the AWS secret in the environment
// and debug logging on, and looks for the secret in errors, logs and printed values.
func TestSecretNeverShows(t *testing.T) {
	f := newFake(t)
	f.put(t, "acme/a.csv", []byte("a"))
	var logs bytes.Buffer
	ctx := zerolog.New(&logs).Level(zerolog.TraceLevel).WithContext(context.Background())
	var texts []string
	record := func(err error) {
		if err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%+v %#v", err, err))
		}
	}
	src := newSource(t, f.cfg("acme/"), s3src.OnSkip(func(name, reason string) { texts = append(texts, name, reason) }))
	texts = append(texts, fmt.Sprintf("%v %+v %#v", src, src, src))
	objs, err := src.List(ctx)
	record(err)
	for _, hook := range []func(http.ResponseWriter, *http.Request) bool{
		func(w http.ResponseWriter, r *http.Request) bool {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>`)
			return true
		},
		func(w http.ResponseWriter, r *http.Request) bool {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>`)
			return true
		},
	} {
		f.SetHook(hook)
		_, err := src.List(ctx)
		record(err)
		record(src.Check(ctx))
		_, err = src.Open(ctx, objs[0])
		record(err)
		record(src.Delete(ctx, objs[0]))
		record(src.Archive(ctx, objs[0], "archive/"))
		record(src.Upload(ctx, "x.parquet", strings.NewReader("x")))
	}
	f.SetHook(nil)
	bad := f.cfg("acme/")
	bad.Bucket = "missing"
	record(newSource(t, bad).Check(ctx))
	if len(texts) < 10 || logs.Len() == 0 {
		t.Fatalf("too little to look at: %d texts, %d bytes of logs", len(texts), logs.Len())
	}
	for _, s := range append(texts, logs.String()) {
		if strings.Contains(s, secret) || strings.Contains(s, secret[:12]) {
			t.Fatalf("the AWS secret shows in %q", s)
		}
	}
}
