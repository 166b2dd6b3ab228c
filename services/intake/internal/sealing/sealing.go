// Package sealing encrypts personal data at rest, field by field (issue 5:
// "field-level AEAD, key from configuration; plan for SM4 where required").
// A sealed value is a string "enc:<cipher>:<base64(nonce‖ciphertext)>", so
// a document stays readable as BSON and a value written before sealing was
// switched on (no prefix) still opens, as itself.
package sealing

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Cipher is an AEAD under one key. AES-256-GCM is the default; an SM4-GCM
// implementation (GB/T 32907, where a province requires 国密) plugs in here
// with its own Name, and values sealed by either keep opening.
type Cipher interface {
	// Name tags sealed values, e.g. "a256gcm".
	Name() string
	Seal(plaintext, aad []byte) ([]byte, error)
	Open(sealed, aad []byte) ([]byte, error)
}

// ErrTampered is returned for a value that does not open under the key and
// its associated data: altered, moved to another record, or another key.
var ErrTampered = errors.New("a sealed value does not open")

type aesGCM struct{ aead cipher.AEAD }

// NewAESGCM returns AES-GCM under key (16, 24 or 32 bytes; 32 for AES-256).
func NewAESGCM(key []byte) (Cipher, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("while creating the AES cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("while creating AES-GCM: %w", err)
	}
	return aesGCM{aead}, nil
}

func (aesGCM) Name() string { return "a256gcm" }

func (c aesGCM) Seal(plaintext, aad []byte) ([]byte, error) {
	nonce := make([]byte, c.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("while drawing a nonce: %w", err)
	}
	return c.aead.Seal(nonce, nonce, plaintext, aad), nil
}

func (c aesGCM) Open(sealed, aad []byte) ([]byte, error) {
	n := c.aead.NonceSize()
	if len(sealed) < n {
		return nil, ErrTampered
	}
	out, err := c.aead.Open(nil, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, ErrTampered
	}
	return out, nil
}

const prefix = "enc:"

// Seal seals one string field; aad binds it to its record and field. The
// empty string stays empty: there is nothing to hide in an absent phone.
func Seal(c Cipher, value, aad string) (string, error) {
	if value == "" || strings.HasPrefix(value, prefix) {
		return value, nil
	}
	sealed, err := c.Seal([]byte(value), []byte(aad))
	if err != nil {
		return "", err
	}
	return prefix + c.Name() + ":" + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// Open opens a field sealed by Seal; a value without the prefix is returned
// as it is (written before sealing was switched on).
func Open(c Cipher, value, aad string) (string, error) {
	rest, ok := strings.CutPrefix(value, prefix)
	if !ok {
		return value, nil
	}
	name, data, ok := strings.Cut(rest, ":")
	if !ok || name != c.Name() {
		return "", fmt.Errorf("%w: sealed with %q, opening with %q", ErrTampered, name, c.Name())
	}
	raw, err := base64.RawStdEncoding.DecodeString(data)
	if err != nil {
		return "", ErrTampered
	}
	out, err := c.Open(raw, []byte(aad))
	return string(out), err
}
