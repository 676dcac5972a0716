// Package s3 is the connector for Amazon S3 and S3-compatible stores (MinIO, Ceph,
// Scaleway, OVH...): a source of files (List, Open), the after-load actions (Delete,
// Archive), the export target (Upload) and the reachability check of
// `salesout validate` (Check).
//
// Credentials come only from the AWS SDK's default chain (environment, shared config
// and credentials files with AWS_PROFILE, web identity, container and instance roles),
// never from the salesout config.
//
// A source is a bucket and a prefix taken as a folder: List returns the objects
// directly under the prefix (not those under deeper "sub-folders"), named relative to
// it. Names that connectors.CleanName refuses are skipped and reported through OnSkip;
// the package itself never logs a file name. The only log lines it writes are the
// SDK's retry notices, at debug level, to the zerolog logger of the context.
package s3

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/logging"
	"github.com/rs/zerolog"

	"github.com/salesout/salesout/connectors"
)

// ErrChanged is returned (wrapped) when an object no longer is the version that was
// listed: its ETag or size differ. It matches connectors.ErrVanished with errors.Is,
// so the fetch step treats it as a warning and the next run fetches the new version.
var ErrChanged error = changedError{}

type changedError struct{}

func (changedError) Error() string        { return "changed since it was listed" }
func (changedError) Is(target error) bool { return target == connectors.ErrVanished }

// ErrIntegrity is returned (wrapped) by the reader of Open when the bytes received do
// not match the object: fewer or more bytes than its size, or, when its ETag is a plain
// MD5 (single-part upload, no server-side encryption header), a different MD5.
var ErrIntegrity = errors.New("downloaded bytes do not match the object (size or MD5): the transfer was corrupted or truncated")

// Source is one bucket and prefix. It is safe for concurrent use.
type Source struct {
	client   *s3.Client
	bucket   string
	prefix   string // "" or ends with "/"
	endpoint string // custom endpoint as configured, for messages
	o        options
}

type options struct {
	pageSize       int32
	maxAttempts    int
	maxBackoff     time.Duration
	connectTimeout time.Duration
	ioTimeout      time.Duration
	checkTimeout   time.Duration
	partSize       int64
	concurrency    int
	onSkip         func(name, reason string)
	now            func() time.Time
}

// Option changes a default of New.
type Option func(*options)

// WithPageSize sets how many keys one list request asks for (default and maximum 1000).
func WithPageSize(n int) Option {
	return func(o *options) {
		if n > 0 && n <= 1000 {
			o.pageSize = int32(n)
		}
	}
}

// WithRetries sets the SDK standard retryer's attempts per request (default 5) and its
// longest backoff between attempts (default 20 s). Throttling, 5xx and connection
// errors are retried with exponential backoff and jitter.
func WithRetries(maxAttempts int, maxBackoff time.Duration) Option {
	return func(o *options) {
		if maxAttempts > 0 {
			o.maxAttempts = maxAttempts
		}
		if maxBackoff > 0 {
			o.maxBackoff = maxBackoff
		}
	}
}

// WithTimeouts sets the connection (TCP and TLS) timeout (default 15 s), the longest
// silence of a connection while a response is awaited or read (default 60 s) and the
// whole-check timeout of Check (default 30 s).
func WithTimeouts(connect, io, check time.Duration) Option {
	return func(o *options) {
		if connect > 0 {
			o.connectTimeout = connect
		}
		if io > 0 {
			o.ioTimeout = io
		}
		if check > 0 {
			o.checkTimeout = check
		}
	}
}

// WithPartSize sets Upload's multipart part size (default 16 MiB, minimum 5 MiB) and
// the number of parts sent at once (default 4). Memory use is about size × concurrency.
func WithPartSize(size int64, concurrency int) Option {
	return func(o *options) {
		if size >= 5<<20 {
			o.partSize = size
		}
		if concurrency > 0 {
			o.concurrency = concurrency
		}
	}
}

// OnSkip is called by List for every object it leaves out and why: names refused by
// connectors.CleanName, objects in an archive storage class (GLACIER, DEEP_ARCHIVE).
// The name is the raw remote name: log it quoted. Without OnSkip, skips are silent.
func OnSkip(f func(name, reason string)) Option { return func(o *options) { o.onSkip = f } }

// Config says which bucket and prefix a source reads, and where the store is. There
// are no credentials here: they come from the AWS SDK's default chain.
type Config struct {
	Name      string // for messages
	Bucket    string
	Prefix    string // the objects directly under it
	Region    string
	Endpoint  string // an S3-compatible server's http(s) URL; empty for AWS
	PathStyle bool
}

// New returns the source for an s3 config entry. It reads the AWS configuration
// (environment, shared files) but does not touch the network: use Check for that.
func New(ctx context.Context, cfg Config, opts ...Option) (*Source, error) {
	o := options{
		pageSize:       1000,
		maxAttempts:    5,
		maxBackoff:     20 * time.Second,
		connectTimeout: 15 * time.Second,
		ioTimeout:      60 * time.Second,
		checkTimeout:   30 * time.Second,
		partSize:       16 << 20,
		concurrency:    4,
		now:            time.Now,
	}
	for _, opt := range opts {
		opt(&o)
	}
	name := cfg.Name
	if name == "" {
		name = "s3"
	}
	if cfg.Bucket == "" {
		return nil, fmt.Errorf("source %s: bucket is required", name)
	}
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("source %s: endpoint %q is not an http:// or https:// URL", name, cfg.Endpoint)
		}
		if u.User != nil {
			return nil, fmt.Errorf("source %s: endpoint must not carry credentials: they come from the AWS SDK's default chain", name)
		}
	}

	httpClient := awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = o.connectTimeout }).
		WithTransportOptions(func(tr *http.Transport) { tr.TLSHandshakeTimeout = o.connectTimeout }).
		WithReadTimeout(o.ioTimeout)
	load := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithHTTPClient(httpClient),
		awsconfig.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(so *retry.StandardOptions) {
				so.MaxAttempts = o.maxAttempts
				so.MaxBackoff = o.maxBackoff
			})
		}),
		awsconfig.WithLogger(logging.Nop{}),
		awsconfig.WithClientLogMode(aws.LogRetries),
	}
	if cfg.Region != "" {
		load = append(load, awsconfig.WithRegion(cfg.Region))
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("source %s: read the AWS configuration (environment, shared config files): %w", name, err)
	}
	custom := cfg.Endpoint != "" || awsCfg.BaseEndpoint != nil
	if awsCfg.Region == "" {
		if !custom {
			return nil, fmt.Errorf("source %s: no region: set region in the config (or AWS_REGION)", name)
		}
		awsCfg.Region = "us-east-1" // S3-compatible stores sign with any region
	}
	client := s3.NewFromConfig(awsCfg, func(so *s3.Options) {
		if cfg.Endpoint != "" {
			so.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		so.UsePathStyle = cfg.PathStyle
		if custom {
			// Non-AWS stores reject or mangle the SDK's default CRC trailers.
			so.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			so.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		}
		so.DisableLogOutputChecksumValidationSkipped = true
	})
	return &Source{client: client, bucket: cfg.Bucket, prefix: folder(cfg.Prefix), endpoint: cfg.Endpoint, o: o}, nil
}

// folder turns a configured prefix into "" or "a/b/".
func folder(p string) string {
	p = strings.TrimLeft(p, "/")
	if p != "" && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// WithLocation returns a Source for another bucket and prefix that shares this one's
// client, credentials, endpoint and options: the S3 export target reuses a source's
// settings this way (export.dir s3://bucket/prefix with export.source).
func (s *Source) WithLocation(bucket, prefix string) *Source {
	c := *s
	c.bucket = bucket
	c.prefix = folder(prefix)
	return &c
}

// ParseURL splits "s3://bucket/prefix" into its bucket and prefix.
func ParseURL(u string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(u, "s3://")
	if !ok {
		return "", "", fmt.Errorf("%q is not an s3:// URL", u)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", fmt.Errorf("%q has no bucket", u)
	}
	return bucket, prefix, nil
}

// String names the source; the SDK client inside holds cached credentials, so the
// Source prints as this line and nothing more.
func (s *Source) String() string {
	str := "s3 source s3://" + s.bucket + "/" + s.prefix
	if s.endpoint != "" {
		str += " at " + s.endpoint
	}
	return str
}

// GoString is String, for %#v.
func (s *Source) GoString() string { return s.String() }

// Bucket and Prefix say where the source points ("" or a prefix ending in "/").
func (s *Source) Bucket() string { return s.bucket }
func (s *Source) Prefix() string { return s.prefix }

// Close releases nothing today; it is there so that every connector is an io.Closer.
func (s *Source) Close() error { return nil }

// List returns the objects directly under the prefix, sorted by name, following
// pagination to the end.
func (s *Source) List(ctx context.Context) ([]connectors.Object, error) {
	pager := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
		Bucket:    aws.String(s.bucket),
		Prefix:    aws.String(s.prefix),
		Delimiter: aws.String("/"),
		MaxKeys:   aws.Int32(s.o.pageSize),
	})
	var objs []connectors.Object
	for pager.HasMorePages() {
		page, err := pager.NextPage(ctx, s.logTo(ctx))
		if err != nil {
			return nil, s.wrap("list", s.prefix, err)
		}
		for _, c := range page.Contents {
			if obj, ok := s.object(c); ok {
				objs = append(objs, obj)
			}
		}
	}
	return objs, nil
}

func (s *Source) object(c types.Object) (connectors.Object, bool) {
	rel, ok := strings.CutPrefix(aws.ToString(c.Key), s.prefix)
	if !ok || rel == "" || strings.HasSuffix(rel, "/") {
		return connectors.Object{}, false // the folder marker itself
	}
	name, err := connectors.CleanName(rel)
	if err == nil && name != rel {
		err = fmt.Errorf("file name %q is not in canonical form (it would be read as %q)", rel, name)
	}
	if err != nil {
		s.skip(rel, err.Error())
		return connectors.Object{}, false
	}
	switch c.StorageClass {
	case types.ObjectStorageClassGlacier, types.ObjectStorageClassDeepArchive:
		s.skip(rel, fmt.Sprintf("stored in %s: restore it (or change its storage class) before it can be fetched", c.StorageClass))
		return connectors.Object{}, false
	}
	return connectors.Object{
		Name:    name,
		Size:    aws.ToInt64(c.Size),
		ModTime: aws.ToTime(c.LastModified).UTC(),
		ETag:    unquote(aws.ToString(c.ETag)),
	}, true
}

func (s *Source) skip(name, reason string) {
	if s.o.onSkip != nil {
		s.o.onSkip(name, reason)
	}
}

func unquote(etag string) string { return strings.Trim(strings.TrimPrefix(etag, "W/"), `"`) }
func quote(etag string) string   { return `"` + etag + `"` }

// key is the object key of a listed object.
func (s *Source) key(obj connectors.Object) (string, error) {
	name, err := connectors.CleanName(obj.Name)
	if err != nil {
		return "", err
	}
	return s.prefix + name, nil
}

// Open streams one listed object. When obj has an ETag (it came from List) the
// download is conditional on it (If-Match), and a different ETag or size is
// ErrChanged; a deleted object is connectors.ErrVanished. The reader checks the byte
// count, and the MD5 when the ETag is one, at the end of the stream (ErrIntegrity).
func (s *Source) Open(ctx context.Context, obj connectors.Object) (io.ReadCloser, error) {
	key, err := s.key(obj)
	if err != nil {
		return nil, err
	}
	in := &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)}
	if obj.ETag != "" {
		in.IfMatch = aws.String(quote(obj.ETag))
	}
	out, err := s.client.GetObject(ctx, in, s.logTo(ctx))
	if err != nil {
		return nil, s.wrap("download", key, err)
	}
	etag := unquote(aws.ToString(out.ETag))
	size := int64(-1)
	if out.ContentLength != nil {
		size = *out.ContentLength
	}
	if obj.ETag != "" && ((etag != "" && etag != obj.ETag) || (size >= 0 && size != obj.Size)) {
		out.Body.Close()
		return nil, fmt.Errorf("download s3://%s/%s: %w (ETag %s, %d bytes; listed %s, %d bytes)", s.bucket, key, ErrChanged, etag, size, obj.ETag, obj.Size)
	}
	r := &reader{s: s, key: key, body: out.Body, want: size}
	if isMD5(etag) && out.ServerSideEncryption == "" && out.SSECustomerAlgorithm == nil {
		r.md5, r.wantMD5 = md5.New(), etag
	}
	return r, nil
}

// isMD5 reports whether an ETag is a plain MD5 (single-part upload), not a multipart
// "hash-N" ETag.
func isMD5(etag string) bool {
	if len(etag) != 32 {
		return false
	}
	_, err := hex.DecodeString(etag)
	return err == nil
}

type reader struct {
	s       *Source
	key     string
	body    io.ReadCloser
	n, want int64
	md5     hash.Hash
	wantMD5 string
}

func (r *reader) Read(p []byte) (int, error) {
	n, err := r.body.Read(p)
	r.n += int64(n)
	if r.md5 != nil {
		r.md5.Write(p[:n])
	}
	switch {
	case err == io.EOF:
		if r.want >= 0 && r.n != r.want {
			return n, fmt.Errorf("download s3://%s/%s: received %d bytes of %d: %w", r.s.bucket, r.key, r.n, r.want, ErrIntegrity)
		}
		if r.md5 != nil {
			if got := hex.EncodeToString(r.md5.Sum(nil)); got != r.wantMD5 {
				return n, fmt.Errorf("download s3://%s/%s: MD5 %s, ETag %s: %w", r.s.bucket, r.key, got, r.wantMD5, ErrIntegrity)
			}
		}
	case err != nil:
		return n, r.s.wrap("download", r.key, err)
	}
	return n, err
}

func (r *reader) Close() error { return r.body.Close() }

// logTo sends the SDK's log lines (retries) of one call to the context's logger.
func (s *Source) logTo(ctx context.Context) func(*s3.Options) {
	l := zerolog.Ctx(ctx)
	return func(o *s3.Options) { o.Logger = sdkLogger{l} }
}

type sdkLogger struct{ l *zerolog.Logger }

func (a sdkLogger) Logf(c logging.Classification, format string, v ...any) {
	ev := a.l.Debug()
	if c == logging.Warn {
		ev = a.l.Warn()
	}
	ev.Str("component", "aws-sdk").Msgf(format, v...)
}
