package notify

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/mail"
)

// SMTPConfig turns alerts.smtp into the sender's settings, reading ca_file when set.
func SMTPConfig(c config.SMTP) (mail.SMTPConfig, error) {
	s := mail.SMTPConfig{Address: c.Address, Username: c.Username, Password: string(c.Password), TLS: c.TLS, Timeout: c.Timeout.Duration}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return s, fmt.Errorf("alerts.smtp.ca_file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return s, fmt.Errorf("alerts.smtp.ca_file %s: no PEM certificate in it", c.CAFile)
		}
		s.TLSConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return s, nil
}
