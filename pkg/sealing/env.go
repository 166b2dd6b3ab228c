package sealing

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"os"
	"strings"
)

// EnvKeys names a service's data keys in its environment: the key records
// are sealed with (32 bytes in standard base64) and the keys of earlier
// rotations that still open records until the re-seal job has moved them
// (comma-separated), docs/privacy.md.
type EnvKeys struct {
	Current, Old string // the variables, e.g. INTAKE_DATA_KEY, INTAKE_OLD_DATA_KEYS
	// Sealed says what the keys seal, for the warning when Current is unset.
	Sealed string
	// DevSeed seeds the development key sealing when Current is unset, so
	// `make run` works; it is public, so a deployment sets its own.
	DevSeed string
}

// Read reads the keys from the environment. A key that is not valid base64
// is kept as an invalid key, so that Keyring refuses to start on it.
func (e EnvKeys) Read() (current []byte, old [][]byte) {
	for _, s := range strings.Split(os.Getenv(e.Old), ",") {
		if k := base64Key(strings.TrimSpace(s)); k != nil {
			old = append(old, k)
		}
	}
	return base64Key(os.Getenv(e.Current)), old
}

func base64Key(s string) []byte {
	if s == "" {
		return nil
	}
	k, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return []byte("invalid")
	}
	return k
}

// Keyring is the keyring of current and old. Without current it seals with
// the development key, and warns.
func (e EnvKeys) Keyring(current []byte, old [][]byte, log *slog.Logger) (*Keyring, error) {
	if len(current) == 0 {
		log.Warn(e.Current + " is not set: " + e.Sealed + " sealed with the development key")
		dev := sha256.Sum256([]byte(e.DevSeed))
		current = dev[:]
	}
	k, err := NewKeyring(current, old...)
	if err != nil {
		return nil, fmt.Errorf("invalid %s or %s (want 32 bytes in base64 each): %w", e.Current, e.Old, err)
	}
	return k, nil
}
