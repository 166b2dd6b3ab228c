// Package sealing encrypts personal data at rest, field by field
// (field-level AEAD, keys from configuration; SM4 plugs in where required).
//
// A sealed value is a string "enc:<cipher>:<key id>:<base64(nonce‖ciphertext)>",
// so a document stays readable as BSON, each value names the key that opens
// it, and a value written before sealing was switched on (no prefix) still
// opens, as itself. A value sealed before keys had IDs
// ("enc:<cipher>:<base64>") opens with whichever key of the ring accepts it.
//
// A Keyring seals with its current key and opens with any of its keys, so a
// new key can seal new records while old ones stay readable until they are
// sealed again under the new key (see docs/privacy.md, key rotation).
package sealing

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
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

// ErrUnknownKey is returned for a value sealed under a key the ring does
// not hold (retired too early, or another deployment's).
var ErrUnknownKey = errors.New("a sealed value names a key the ring does not hold")

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

// KeyID names an AES key without revealing it: the first 8 bytes of a
// domain-separated SHA-256 of the key, in hex. Deriving it means an operator
// configures keys only, and two services given one key agree on its name.
func KeyID(key []byte) string {
	sum := sha256.Sum256(append([]byte("fengqiao sealing key id\x00"), key...))
	return hex.EncodeToString(sum[:8])
}

// Keyring seals with its current key and opens with any key it holds.
type Keyring struct {
	current string
	ciphers map[string]Cipher
	order   []string // current first: the order legacy values are tried in
}

// NewKeyring returns a ring sealing with current and also opening values
// sealed with any of older (keys being retired). Every key is an AES-256 key.
func NewKeyring(current []byte, older ...[]byte) (*Keyring, error) {
	k := &Keyring{ciphers: map[string]Cipher{}}
	for i, key := range append([][]byte{current}, older...) {
		if len(key) != 32 {
			return nil, fmt.Errorf("cannot use data key %d: want 32 bytes, got %d", i, len(key))
		}
		c, err := NewAESGCM(key)
		if err != nil {
			return nil, fmt.Errorf("cannot use data key %d: %w", i, err)
		}
		id := KeyID(key)
		if _, dup := k.ciphers[id]; dup {
			continue
		}
		k.ciphers[id] = c
		k.order = append(k.order, id)
	}
	k.current = k.order[0]
	return k, nil
}

// CurrentKeyID is the ID of the key new values are sealed with.
func (k *Keyring) CurrentKeyID() string { return k.current }

const prefix = "enc:"

// Seal seals one string field under the current key; aad binds it to its
// record and field. The empty string stays empty: there is nothing to hide
// in an absent phone. A value already sealed is left as it is.
func Seal(k *Keyring, value, aad string) (string, error) {
	if value == "" || strings.HasPrefix(value, prefix) {
		return value, nil
	}
	c := k.ciphers[k.current]
	sealed, err := c.Seal([]byte(value), []byte(aad))
	if err != nil {
		return "", err
	}
	return prefix + c.Name() + ":" + k.current + ":" + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// Open opens a field sealed by Seal under any key of the ring; a value
// without the prefix is returned as it is (written before sealing was
// switched on).
func Open(k *Keyring, value, aad string) (string, error) {
	rest, ok := strings.CutPrefix(value, prefix)
	if !ok {
		return value, nil
	}
	parts := strings.Split(rest, ":")
	switch len(parts) {
	case 3:
		c, ok := k.ciphers[parts[1]]
		if !ok {
			return "", fmt.Errorf("%w: key %q", ErrUnknownKey, parts[1])
		}
		return open(c, parts[0], parts[2], aad)
	case 2:
		for _, id := range k.order {
			if out, err := open(k.ciphers[id], parts[0], parts[1], aad); err == nil {
				return out, nil
			}
		}
	}
	return "", ErrTampered
}

func open(c Cipher, name, data, aad string) (string, error) {
	if name != c.Name() {
		return "", fmt.Errorf("%w: sealed with %q, opening with %q", ErrTampered, name, c.Name())
	}
	raw, err := base64.RawStdEncoding.DecodeString(data)
	if err != nil {
		return "", ErrTampered
	}
	out, err := c.Open(raw, []byte(aad))
	return string(out), err
}

// Reseal opens value with whichever key sealed it and seals it again under
// the current key; a value already under the current key, or empty, comes
// back unchanged. changed says whether the stored value must be rewritten.
func Reseal(k *Keyring, value, aad string) (resealed string, changed bool, err error) {
	if value == "" || k.SealedWithCurrent(value) {
		return value, false, nil
	}
	clear, err := Open(k, value, aad)
	if err != nil {
		return "", false, err
	}
	out, err := Seal(k, clear, aad)
	return out, err == nil, err
}

// SealedWithCurrent reports whether value is sealed under the current key.
func (k *Keyring) SealedWithCurrent(value string) bool {
	rest, ok := strings.CutPrefix(value, prefix)
	if !ok {
		return false
	}
	parts := strings.Split(rest, ":")
	return len(parts) == 3 && parts[1] == k.current
}
