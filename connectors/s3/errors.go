package s3

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/salesout/salesout/connectors"
)

// Kind says what went wrong talking to S3, so that a caller can decide what to do
// (retry next run, tell the operator, skip a file) without reading the message.
type Kind string

const (
	KindNoBucket       Kind = "no-bucket"       // the bucket does not exist (or not in this region/endpoint)
	KindAccessDenied   Kind = "access-denied"   // credentials valid but not allowed
	KindBadCredentials Kind = "bad-credentials" // unknown access key, bad signature, expired token
	KindNoCredentials  Kind = "no-credentials"  // the SDK's default chain found nothing
	KindDNS            Kind = "dns"             // the endpoint's host name does not resolve
	KindRefused        Kind = "refused"         // nothing listens at the endpoint
	KindTimeout        Kind = "timeout"         // no answer in time
	KindTLS            Kind = "tls"             // certificate or TLS handshake problem
	KindWrongRegion    Kind = "wrong-region"    // the bucket lives in another region
	KindThrottled      Kind = "throttled"       // still throttled after the retries
	KindServer         Kind = "server"          // 5xx after the retries
	KindOther          Kind = "other"           // anything else; the message has the detail
	KindCanceled       Kind = "canceled"        // the context was canceled
	kindPrecondition   Kind = "precondition"    // internal: mapped to ErrChanged
	kindNoKey          Kind = "no-such-key"     // internal: mapped to connectors.ErrVanished
)

// Error is a failed S3 operation. Its message stands on its own for someone who has
// never read the code; it never contains credentials (the SDK's errors carry request
// ids and codes, not keys).
type Error struct {
	Op       string // list, download, delete, archive, upload, check
	Bucket   string
	Key      string // object key or prefix, when the operation had one
	Endpoint string // custom endpoint, empty for AWS
	Kind     Kind
	Err      error
}

func (e *Error) Error() string {
	where := "s3://" + e.Bucket + "/" + e.Key
	if e.Endpoint != "" {
		where += " at " + e.Endpoint
	}
	return fmt.Sprintf("%s %s: %s", e.Op, where, e.explain())
}

func (e *Error) Unwrap() error { return e.Err }

func (e *Error) explain() string {
	detail := short(e.Err)
	switch e.Kind {
	case KindNoBucket:
		return "the bucket does not exist (check bucket, region and endpoint) [" + detail + "]"
	case KindAccessDenied:
		return "access denied: the credentials found by the AWS SDK's default chain are not allowed to do this (check the bucket policy and the role or user's permissions) [" + detail + "]"
	case KindBadCredentials:
		return "the credentials were refused (unknown access key, wrong secret, or expired session token): check AWS_ACCESS_KEY_ID, AWS_PROFILE or the instance role [" + detail + "]"
	case KindNoCredentials:
		return "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run with a role (credentials never come from the salesout config) [" + detail + "]"
	case KindDNS:
		return "the endpoint's host name does not resolve (DNS) [" + detail + "]"
	case KindRefused:
		return "connection refused: nothing listens at the endpoint [" + detail + "]"
	case KindTimeout:
		return "timed out waiting for the server [" + detail + "]"
	case KindTLS:
		return "TLS failed (certificate not trusted or wrong protocol: http vs https?) [" + detail + "]"
	case KindWrongRegion:
		return "the bucket is in another region: set region to the bucket's region [" + detail + "]"
	case KindThrottled:
		return "still throttled by the server after retries [" + detail + "]"
	case KindServer:
		return "the server failed (5xx) after retries [" + detail + "]"
	case KindCanceled:
		return "canceled"
	}
	return detail
}

// short is the most useful part of an SDK error: the API code and message, or the
// innermost network error, without the SDK's layers of "operation error ...".
func short(err error) string {
	if err == nil {
		return ""
	}
	var rt *awshttp.ResponseTimeoutError
	if errors.As(err, &rt) {
		return fmt.Sprintf("no data from the server for %s", rt.TimeoutDur)
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.Error()
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Error()
	}
	status := 0
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		msg := api.ErrorCode()
		if m := api.ErrorMessage(); m != "" {
			msg += ": " + m
		}
		if status != 0 {
			msg = fmt.Sprintf("HTTP %d %s", status, msg)
		}
		return msg
	}
	if status != 0 {
		return fmt.Sprintf("HTTP %d", status)
	}
	var oe *smithy.OperationError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err.Error() // without "operation error S3: ListObjectsV2, "
	}
	return err.Error()
}

// classify turns an SDK error into a Kind.
func classify(err error) Kind {
	if err == nil {
		return KindOther
	}
	if errors.Is(err, context.Canceled) {
		return KindCanceled
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "NoSuchBucket":
			return KindNoBucket
		case "NoSuchKey":
			return kindNoKey
		case "NotFound":
			return kindNoKey // HeadObject has no body, hence no code but "NotFound"
		case "AccessDenied", "AllAccessDisabled", "Forbidden", "AccountProblem":
			return KindAccessDenied
		case "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "InvalidSecurity":
			return KindBadCredentials
		case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException":
			return KindWrongRegion
		case "PreconditionFailed":
			return kindPrecondition
		case "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests", "RequestThrottled":
			return KindThrottled
		}
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		switch code := re.HTTPStatusCode(); {
		case code == 403:
			return KindAccessDenied
		case code == 301:
			return KindWrongRegion
		case code == 412:
			return kindPrecondition
		case code == 429 || code == 503:
			return KindThrottled
		case code >= 500:
			return KindServer
		}
	}
	if msg := err.Error(); strings.Contains(msg, "get credentials:") || strings.Contains(msg, "failed to retrieve credentials") ||
		strings.Contains(msg, "failed to refresh cached credentials") {
		return KindNoCredentials
	}
	if k := classifyNet(err); k != "" {
		return k
	}
	return KindOther
}

// classifyNet recognises the network failures an operator can act on.
func classifyNet(err error) Kind {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		if dns.IsTimeout {
			return KindTimeout
		}
		return KindDNS
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return KindRefused
	}
	var rt *awshttp.ResponseTimeoutError
	if errors.As(err, &rt) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return KindTimeout
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return KindTimeout
	}
	var ue x509.UnknownAuthorityError
	var he x509.HostnameError
	var rh tls.RecordHeaderError
	var ce *tls.CertificateVerificationError
	if errors.As(err, &ue) || errors.As(err, &he) || errors.As(err, &rh) || errors.As(err, &ce) {
		return KindTLS
	}
	return ""
}

// wrap builds the Error of an operation, or maps it to the connectors' sentinels.
func (s *Source) wrap(op, key string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	k := classify(err)
	switch k {
	case kindNoKey:
		return fmt.Errorf("%s s3://%s/%s: %w", op, s.bucket, key, connectors.ErrVanished)
	case kindPrecondition:
		return fmt.Errorf("%s s3://%s/%s: %w", op, s.bucket, key, ErrChanged)
	}
	return &Error{Op: op, Bucket: s.bucket, Key: key, Endpoint: s.endpoint, Kind: k, Err: err}
}
