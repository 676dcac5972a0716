package s3

import (
	"context"
	"fmt"
	"io"
	"mime"
	"path"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/salesout/salesout/connectors"
)

// Upload writes r to the object prefix+key (key is relative to the source's prefix, as
// List's names are; use WithLocation for the export's own bucket and prefix). Bodies
// larger than the part size (16 MiB by default) go up as a multipart upload, whose
// parts are sent concurrently and which is aborted on failure: the object appears
// complete or not at all, never partial. Write a manifest last, after every file, so
// that readers never pick up a partial export.
func (s *Source) Upload(ctx context.Context, key string, r io.Reader) error {
	rel, err := connectors.CleanName(key)
	if err != nil {
		return fmt.Errorf("upload to s3://%s/%s: %w", s.bucket, s.prefix, err)
	}
	full := s.prefix + rel
	// manager is deprecated in favour of feature/s3/transfermanager, whose versions
	// need an SDK core newer than the one that installs here (stack-notes.md).
	//lint:ignore SA1019 see above
	up := manager.NewUploader(s.client, func(u *manager.Uploader) {
		u.PartSize = s.o.partSize
		u.Concurrency = s.o.concurrency
		u.ClientOptions = append(u.ClientOptions, s.logTo(ctx))
	})
	in := &s3.PutObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(full), Body: r}
	if ct := contentType(rel); ct != "" {
		in.ContentType = aws.String(ct)
	}
	//lint:ignore SA1019 see above
	_, err = up.Upload(ctx, in)
	return s.wrap("upload", full, err)
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".parquet":
		return "application/vnd.apache.parquet"
	case ".json":
		return "application/json"
	}
	return mime.TypeByExtension(path.Ext(name))
}
