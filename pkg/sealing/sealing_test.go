package sealing

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

var (
	oldKey = []byte("0123456789abcdef0123456789abcdef")
	newKey = []byte("fedcba9876543210fedcba9876543210")
)

func ring(t *testing.T, current []byte, older ...[]byte) *Keyring {
	t.Helper()
	k, err := NewKeyring(current, older...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// legacySeal writes a value the way it was sealed before keys had IDs.
func legacySeal(t *testing.T, key []byte, value, aad string) string {
	c, err := NewAESGCM(key)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := c.Seal([]byte(value), []byte(aad))
	if err != nil {
		t.Fatal(err)
	}
	return "enc:a256gcm:" + base64.RawStdEncoding.EncodeToString(raw)
}

func TestSealAndOpen(t *testing.T) {
	k := ring(t, oldKey)
	sealed, err := Seal(k, "13812345678", "d-1/parties/0/phone")
	if err != nil || !strings.HasPrefix(sealed, "enc:a256gcm:"+KeyID(oldKey)+":") || strings.Contains(sealed, "13812345678") {
		t.Fatalf("sealed %q (%v)", sealed, err)
	}
	again, _ := Seal(k, "13812345678", "d-1/parties/0/phone")
	if again == sealed {
		t.Fatal("two seals of one value are equal: the nonce is not fresh")
	}
	for _, tc := range []struct {
		name  string
		ring  *Keyring
		value string
		aad   string
		want  string
		err   error
	}{
		{"round trip", k, sealed, "d-1/parties/0/phone", "13812345678", nil},
		{"moved to another record", k, sealed, "d-2/parties/0/phone", "", ErrTampered},
		{"a ring without its key", ring(t, newKey), sealed, "d-1/parties/0/phone", "", ErrUnknownKey},
		{"a ring that still holds the old key", ring(t, newKey, oldKey), sealed, "d-1/parties/0/phone", "13812345678", nil},
		{"altered", k, sealed[:len(sealed)-2] + "AA", "d-1/parties/0/phone", "", ErrTampered},
		{"sealed before key IDs", ring(t, newKey, oldKey), legacySeal(t, oldKey, "张三", "d-1/parties/0/name"), "d-1/parties/0/name", "张三", nil},
		{"sealed before key IDs, key gone", ring(t, newKey), legacySeal(t, oldKey, "张三", "d-1/parties/0/name"), "d-1/parties/0/name", "", ErrTampered},
		{"written before sealing", k, "13812345678", "x", "13812345678", nil},
		{"empty", k, "", "x", "", nil},
	} {
		got, err := Open(tc.ring, tc.value, tc.aad)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("%s: %q, %v", tc.name, got, err)
		}
	}
	if _, err := NewKeyring([]byte("short")); err == nil {
		t.Error("a 5-byte key was accepted")
	}
}

// A rotation: the new ring seals under the new key, opens old values, and
// Reseal moves an old value to the new key once.
func TestRotation(t *testing.T) {
	before := ring(t, oldKey)
	old, _ := Seal(before, "院墙争执", "d-1/summary")
	after := ring(t, newKey, oldKey)
	if after.SealedWithCurrent(old) || !before.SealedWithCurrent(old) {
		t.Fatal("SealedWithCurrent does not tell the keys apart")
	}
	fresh, _ := Seal(after, "院墙争执", "d-2/summary")
	if !strings.Contains(fresh, ":"+KeyID(newKey)+":") {
		t.Fatalf("a new value is not sealed with the new key: %q", fresh)
	}
	for _, tc := range []struct {
		name, value, aad string
		changed          bool
	}{
		{"old key", old, "d-1/summary", true},
		{"sealed before key IDs", legacySeal(t, oldKey, "院墙争执", "d-1/summary"), "d-1/summary", true},
		{"in the clear", "院墙争执", "d-1/summary", true},
		{"already current", fresh, "d-2/summary", false},
		{"empty", "", "d-1/summary", false},
	} {
		got, changed, err := Reseal(after, tc.value, tc.aad)
		if err != nil || changed != tc.changed {
			t.Fatalf("%s: changed %v, %v", tc.name, changed, err)
		}
		if tc.value != "" && !after.SealedWithCurrent(got) {
			t.Errorf("%s: %q is not under the new key", tc.name, got)
		}
		if clear, err := Open(ring(t, newKey), got, tc.aad); err != nil || (tc.value != "" && clear != "院墙争执") {
			t.Errorf("%s: the new key alone opens %q as %q, %v", tc.name, got, clear, err)
		}
	}
}
