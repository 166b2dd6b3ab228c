package idp

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// keyring holds the provider's RSA signing keys, newest first, in a file so
// that tokens issued before a restart still verify after it. The newest
// signs; all are published, so a rotation does not invalidate tokens
// already out.
type keyring struct {
	path string
	mu   sync.RWMutex
	keys []jose.JSONWebKey // private
}

func openKeyring(path string) (*keyring, error) {
	k := &keyring{path: path}
	if path != "" {
		data, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, fmt.Errorf("while reading the provider's keys: %w", err)
		default:
			var set jose.JSONWebKeySet
			if err := json.Unmarshal(data, &set); err != nil {
				return nil, fmt.Errorf("while reading the provider's keys from %s: %w", path, err)
			}
			k.keys = set.Keys
		}
	}
	if len(k.keys) == 0 {
		if err := k.Rotate(); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// Rotate makes a new key the signing key, keeping the old ones published.
func (k *keyring) Rotate() error {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return fmt.Errorf("cannot generate a signing key: %w", err)
	}
	key := jose.JSONWebKey{Key: priv, KeyID: time.Now().UTC().Format("20060102T150405.000000"), Algorithm: string(jose.RS256), Use: "sig"}
	k.mu.Lock()
	defer k.mu.Unlock()
	keys := append([]jose.JSONWebKey{key}, k.keys...)
	if k.path != "" {
		data, err := json.Marshal(jose.JSONWebKeySet{Keys: keys})
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(k.path), 0o700); err != nil {
			return fmt.Errorf("while storing the provider's keys: %w", err)
		}
		if err := os.WriteFile(k.path, data, 0o600); err != nil {
			return fmt.Errorf("while storing the provider's keys: %w", err)
		}
	}
	k.keys = keys
	return nil
}

func (k *keyring) signing() op.SigningKey {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return signingKey{k.keys[0]}
}

func (k *keyring) public() []op.Key {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := make([]op.Key, len(k.keys))
	for i, key := range k.keys {
		out[i] = publicKey{key.Public()}
	}
	return out
}

// signingKey and publicKey show a JSON Web Key to the provider.
type signingKey struct{ k jose.JSONWebKey }

func (s signingKey) SignatureAlgorithm() jose.SignatureAlgorithm {
	return jose.SignatureAlgorithm(s.k.Algorithm)
}
func (s signingKey) Key() any   { return s.k.Key }
func (s signingKey) ID() string { return s.k.KeyID }

type publicKey struct{ k jose.JSONWebKey }

func (p publicKey) ID() string                         { return p.k.KeyID }
func (p publicKey) Algorithm() jose.SignatureAlgorithm { return jose.SignatureAlgorithm(p.k.Algorithm) }
func (p publicKey) Use() string                        { return p.k.Use }
func (p publicKey) Key() any                           { return p.k.Key }
