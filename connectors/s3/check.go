package s3

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Check lists one key under the prefix, with at most two attempts and the check
// timeout (30 s by default), for `salesout validate`. The error is an *Error whose
// Kind and message say what is wrong: missing bucket, access denied, refused or
// missing credentials, DNS, connection refused, timeout, TLS, wrong region.
func (s *Source) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.o.checkTimeout)
	defer cancel()
	_, err := s.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
		Bucket:  aws.String(s.bucket),
		Prefix:  aws.String(s.prefix),
		MaxKeys: aws.Int32(1),
	}, s.logTo(ctx), func(o *s3.Options) { o.RetryMaxAttempts = min(2, s.o.maxAttempts) })
	return s.wrap("check", s.prefix, err)
}
