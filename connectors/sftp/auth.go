package sftp

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"golang.org/x/crypto/ssh"

	"github.com/salesout/salesout/connectors"
)

// authMethods reads the key file (ed25519, RSA or ECDSA, OpenSSH or PEM format,
// optionally protected by cfg.Passphrase) and/or the password. Error messages name the
// file, never the passphrase or the password.
func authMethods(cfg Config) ([]ssh.AuthMethod, error) {
	var methods []ssh.AuthMethod
	if cfg.KeyFile != "" {
		signer, err := readKey(cfg.KeyFile, cfg.Passphrase)
		if err != nil {
			return nil, err
		}
		methods = append(methods, ssh.PublicKeys(signer))
	}
	if cfg.Password != "" {
		pw := string(cfg.Password)
		methods = append(methods,
			ssh.Password(pw),
			// Servers that take passwords through keyboard-interactive (PAM) ask for
			// them as a hidden prompt.
			ssh.KeyboardInteractive(func(_, _ string, questions []string, echos []bool) ([]string, error) {
				answers := make([]string, len(questions))
				for i := range questions {
					if !echos[i] {
						answers[i] = pw
					}
				}
				return answers, nil
			}))
	}
	if len(methods) == 0 {
		return nil, errors.New("no key_file and no password: give one of them")
	}
	return methods, nil
}

func readKey(file string, passphrase connectors.Secret) (ssh.Signer, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("key_file: %w", err)
	}
	signer, err := ssh.ParsePrivateKey(b)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		if passphrase == "" {
			return nil, fmt.Errorf("key_file %s is protected by a passphrase: set passphrase (from an environment variable)", file)
		}
		signer, err = ssh.ParsePrivateKeyWithPassphrase(b, []byte(passphrase))
		if errors.Is(err, x509.IncorrectPasswordError) {
			return nil, fmt.Errorf("key_file %s: wrong passphrase", file)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("key_file %s is not a private key ssh can use (ed25519, RSA or ECDSA, OpenSSH or PEM format): %v", file, err)
	}
	return signer, nil
}
