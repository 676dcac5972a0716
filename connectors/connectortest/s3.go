// Package connectortest starts real servers on 127.0.0.1 for the tests of the
// connectors and of the salesout binary: an S3-protocol server (gofakes3, in the test
// process), OpenSSH's sshd (a child process with its own host key, on a free port) and
// pkg/sftp's server over x/crypto/ssh (in the test process, with password
// authentication). Every server is stopped by t.Cleanup.
//
// It is a normal package so that tests of several packages can import it; nothing
// outside tests should.
package connectortest

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// AccessKeyID is the access key the helpers hand out; gofakes3 accepts any.
const AccessKeyID = "AKIDSALESOUTTEST"

// S3 is a gofakes3 server on 127.0.0.1 (httptest) backed by memory, with a hook in
// front of it to record requests and inject failures. gofakes3 does not check request
// signatures: any credentials are accepted.
type S3 struct {
	URL     string // the endpoint, http://127.0.0.1:port
	Backend *s3mem.Backend

	srv  *httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
	hook func(w http.ResponseWriter, r *http.Request) bool // true: handled
}

// StartS3 starts the server with the given buckets created.
func StartS3(t testing.TB, buckets ...string) *S3 {
	t.Helper()
	f := &S3{Backend: s3mem.New()}
	for _, b := range buckets {
		if err := f.Backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	h := gofakes3.New(f.Backend, gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.reqs = append(f.reqs, r.Clone(context.Background()))
		hook := f.hook
		f.mu.Unlock()
		if hook != nil && hook(w, r) {
			return
		}
		h.ServeHTTP(w, r)
	}))
	// gofakes3 writes headers twice when a client hangs up mid-download.
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.Start()
	f.URL = f.srv.URL
	t.Cleanup(f.srv.Close)
	return f
}

// SetHook puts h in front of gofakes3: when h returns true it has answered the
// request itself. nil removes the hook.
func (f *S3) SetHook(h func(w http.ResponseWriter, r *http.Request) bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hook = h
}

// Requests returns the requests received so far.
func (f *S3) Requests() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reqs)
}

// CreateBucket adds a bucket.
func (f *S3) CreateBucket(t testing.TB, bucket string) {
	t.Helper()
	if err := f.Backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
}

// Put stores an object directly in the backend.
func (f *S3) Put(t testing.TB, bucket, key string, body []byte) {
	t.Helper()
	if _, err := f.Backend.PutObject(bucket, key, map[string]string{}, bytes.NewReader(body), int64(len(body)), nil); err != nil {
		t.Fatal(err)
	}
}

// Get reads an object from the backend; false when there is no such key.
func (f *S3) Get(t testing.TB, bucket, key string) ([]byte, bool) {
	t.Helper()
	obj, err := f.Backend.GetObject(bucket, key, nil)
	if gofakes3.HasErrorCode(err, gofakes3.ErrNoSuchKey) {
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Contents.Close()
	b, err := io.ReadAll(obj.Contents)
	if err != nil {
		t.Fatal(err)
	}
	return b, true
}

// Delete removes an object from the backend.
func (f *S3) Delete(t testing.TB, bucket, key string) {
	t.Helper()
	if _, err := f.Backend.DeleteObject(bucket, key); err != nil {
		t.Fatal(err)
	}
}

// Keys lists every key under prefix (at any depth), sorted.
func (f *S3) Keys(t testing.TB, bucket, prefix string) []string {
	t.Helper()
	p := gofakes3.NewPrefix(&prefix, nil)
	list, err := f.Backend.ListBucket(bucket, &p, gofakes3.ListBucketPage{}) // no MaxKeys: one page
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, c := range list.Contents {
		keys = append(keys, c.Key)
	}
	slices.Sort(keys)
	return keys
}

// Client returns an S3 client for the server that goes through the HTTP protocol, with
// static credentials (nothing read from the environment or the machine's files).
func (f *S3) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(f.URL),
		UsePathStyle: true,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: AccessKeyID, SecretAccessKey: "connectortest-secret", Source: "connectortest"}, nil
		}),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	})
}

// AWSEnv is the environment that gives the AWS SDK's default chain these static
// credentials and region and nothing from the machine: no profile, no shared config or
// credentials files (they point into dir, where nothing is), no instance metadata, no
// endpoint override. Pass it to a child process, or use SetAWSEnv in the test process.
func AWSEnv(dir, accessKeyID, secret, region string) map[string]string {
	return map[string]string{
		"AWS_ACCESS_KEY_ID":           accessKeyID,
		"AWS_SECRET_ACCESS_KEY":       secret,
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_DEFAULT_PROFILE":         "",
		"AWS_REGION":                  region,
		"AWS_DEFAULT_REGION":          "",
		"AWS_ENDPOINT_URL":            "",
		"AWS_ENDPOINT_URL_S3":         "",
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
	}
}

// SetAWSEnv sets AWSEnv in the test process for the duration of the test (t.Setenv:
// not for parallel tests).
func SetAWSEnv(t testing.TB, accessKeyID, secret, region string) {
	t.Helper()
	for k, v := range AWSEnv(t.TempDir(), accessKeyID, secret, region) {
		t.Setenv(k, v)
	}
}
