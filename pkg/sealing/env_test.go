package sealing_test

import (
	"bytes"
	"encoding/base64"
	"log/slog"
	"strings"
	"testing"

	"fengqiao.dev/pkg/sealing"
)

var testKeys = sealing.EnvKeys{Current: "TEST_DATA_KEY", Old: "TEST_OLD_DATA_KEYS", Sealed: "test data is", DevSeed: "test-seed"}

// Keys are read from base64; one that is not base64 is kept as a key the
// keyring refuses, never dropped (which would fall back to the public
// development key).
func TestEnvKeysRefuseWhatIsNotBase64(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	t.Setenv("TEST_DATA_KEY", base64.StdEncoding.EncodeToString(key))
	t.Setenv("TEST_OLD_DATA_KEYS", " , "+base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{8}, 32))+", !!!")
	current, old := testKeys.Read()
	if !bytes.Equal(current, key) || len(old) != 2 {
		t.Fatalf("Read() = %x, %d old keys; want the key and two old keys", current, len(old))
	}
	if _, err := testKeys.Keyring(current, old, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "TEST_OLD_DATA_KEYS") {
		t.Fatalf("an old key that is not base64 was accepted: %v", err)
	}
	if k, err := testKeys.Keyring(current, old[:1], slog.New(slog.DiscardHandler)); err != nil || k.CurrentKeyID() != sealing.KeyID(key) {
		t.Fatalf("Keyring() = %v, %v", k, err)
	}
}

// Without a key, records are sealed with the development key, and the
// service says so.
func TestEnvKeysWithoutAKeyWarn(t *testing.T) {
	var logs bytes.Buffer
	k, err := testKeys.Keyring(nil, nil, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil || !strings.Contains(logs.String(), "TEST_DATA_KEY is not set: test data is sealed with the development key") {
		t.Fatalf("Keyring(nil) = %v, %v; log %s", k, err, logs.String())
	}
}
