package sealing

import (
	"errors"
	"strings"
	"testing"
)

func testCipher(t *testing.T, key string) Cipher {
	c, err := NewAESGCM([]byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSealAndOpen(t *testing.T) {
	c := testCipher(t, "0123456789abcdef0123456789abcdef")
	sealed, err := Seal(c, "13812345678", "d-1/parties/0/phone")
	if err != nil || !strings.HasPrefix(sealed, "enc:a256gcm:") || strings.Contains(sealed, "13812345678") {
		t.Fatalf("sealed %q (%v)", sealed, err)
	}
	again, _ := Seal(c, "13812345678", "d-1/parties/0/phone")
	if again == sealed {
		t.Fatal("two seals of one value are equal: the nonce is not fresh")
	}
	for _, tc := range []struct {
		name   string
		cipher Cipher
		value  string
		aad    string
		want   string
		err    error
	}{
		{"round trip", c, sealed, "d-1/parties/0/phone", "13812345678", nil},
		{"moved to another record", c, sealed, "d-2/parties/0/phone", "", ErrTampered},
		{"another key", testCipher(t, "fedcba9876543210fedcba9876543210"), sealed, "d-1/parties/0/phone", "", ErrTampered},
		{"altered", c, sealed[:len(sealed)-2] + "AA", "d-1/parties/0/phone", "", ErrTampered},
		{"written before sealing", c, "13812345678", "x", "13812345678", nil},
		{"empty", c, "", "x", "", nil},
	} {
		got, err := Open(tc.cipher, tc.value, tc.aad)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("%s: %q, %v", tc.name, got, err)
		}
	}
	if _, err := NewAESGCM([]byte("short")); err == nil {
		t.Error("a 5-byte key was accepted")
	}
}
