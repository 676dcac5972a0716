package s3

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/salesout/salesout/connectors"
)

// Delete removes a loaded object, but only the version that was listed: when its ETag
// changed (a new upload under the same name) it is left alone and the error matches
// ErrChanged; when it is already gone the error matches connectors.ErrVanished.
func (s *Source) Delete(ctx context.Context, obj connectors.Object) error {
	key, err := s.key(obj)
	if err != nil {
		return err
	}
	if err := s.unchanged(ctx, "delete", key, obj); err != nil {
		return err
	}
	_, err = s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)}, s.logTo(ctx))
	return s.wrap("delete", key, err)
}

// Archive moves a loaded object under another prefix of the same bucket (copy, then
// delete): to is a key prefix from the bucket's root, such as "acme/archive/" (a
// trailing "/" is added). The copy keeps the name; when that key already holds an
// object, a UTC time stamp is inserted before the extension
// (x.csv → x.20260105T023000Z.csv) so that nothing archived is overwritten. The same
// ETag rules as Delete apply, and the copy is conditional on the listed ETag.
// Objects over 5 GB (CopyObject's limit) cannot be archived.
func (s *Source) Archive(ctx context.Context, obj connectors.Object, to string) error {
	key, err := s.key(obj)
	if err != nil {
		return err
	}
	dir := folder(to)
	if dir == "" {
		return fmt.Errorf("archive s3://%s/%s: the archive prefix is empty", s.bucket, key)
	}
	dst := dir + strings.TrimPrefix(key, s.prefix)
	if dst == key {
		return fmt.Errorf("archive s3://%s/%s: the archive prefix is the source's own prefix", s.bucket, key)
	}
	if err := s.unchanged(ctx, "archive", key, obj); err != nil {
		return err
	}
	if s.exists(ctx, dst) {
		dst = dir + stamped(strings.TrimPrefix(key, s.prefix), s.o.now().UTC().Format("20060102T150405Z"))
	}
	in := &s3.CopyObjectInput{
		Bucket:     aws.String(s.bucket),
		Key:        aws.String(dst),
		CopySource: aws.String(copySource(s.bucket, key)),
	}
	if obj.ETag != "" {
		in.CopySourceIfMatch = aws.String(quote(obj.ETag))
	}
	if _, err := s.client.CopyObject(ctx, in, s.logTo(ctx)); err != nil {
		return s.wrap("archive", key, err)
	}
	if err := s.unchanged(ctx, "archive", key, obj); err != nil {
		return err // a new version arrived between copy and delete: keep it
	}
	_, err = s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)}, s.logTo(ctx))
	return s.wrap("archive", key, err)
}

// unchanged checks that key still is the listed version of obj.
func (s *Source) unchanged(ctx context.Context, op, key string, obj connectors.Object) error {
	in := &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)}
	if obj.ETag != "" {
		in.IfMatch = aws.String(quote(obj.ETag))
	}
	out, err := s.client.HeadObject(ctx, in, s.logTo(ctx))
	if err != nil {
		return s.wrap(op, key, err)
	}
	if etag := unquote(aws.ToString(out.ETag)); obj.ETag != "" && etag != "" && etag != obj.ETag {
		return fmt.Errorf("%s s3://%s/%s: %w (ETag %s, listed %s)", op, s.bucket, key, ErrChanged, etag, obj.ETag)
	}
	return nil
}

func (s *Source) exists(ctx context.Context, key string) bool {
	_, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)}, s.logTo(ctx))
	return err == nil
}

// copySource is the URL-encoded "bucket/key" of CopyObject. "+" is encoded too: some
// servers decode the header as a query string.
func copySource(bucket, key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(url.PathEscape(p), "+", "%2B")
	}
	return url.PathEscape(bucket) + "/" + strings.Join(parts, "/")
}

// stamped inserts a time stamp before the extensions of a name: a.csv.gz → a.STAMP.csv.gz.
func stamped(name, stamp string) string {
	dir, base := "", name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		dir, base = name[:i+1], name[i+1:]
	}
	if len(base) > 1 {
		if i := strings.IndexByte(base[1:], '.'); i >= 0 {
			return dir + base[:i+1] + "." + stamp + base[i+1:]
		}
	}
	return dir + base + "." + stamp
}
