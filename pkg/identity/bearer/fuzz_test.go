package bearer

import (
	"context"
	"errors"
	"testing"
	"time"

	"fengqiao.dev/pkg/identity"
)

// FuzzVerify: whatever arrives as a bearer token, the verifier answers with
// a refusal, never a panic and never a caller — the only tokens it accepts
// are signed with the provider's key, which the fuzzer does not have.
func FuzzVerify(f *testing.F) {
	p := newProvider(f)
	key := rsaKey(f, "k1")
	p.publish(key)
	good := sign(f, key, p.registered(time.Now()), officer)
	for _, seed := range []string{"", ".", "..", "a.b.c", good, good[:len(good)-3], unsigned(f, p.registered(time.Now()), officer)} {
		f.Add(seed)
	}
	v, err := New(Config{Issuer: p.srv.URL, Audience: "fengqiao", MinRefresh: time.Hour})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := v.Verify(context.Background(), raw)
		if raw == good {
			return
		}
		if err == nil || !errors.Is(err, identity.ErrNoIdentity) {
			t.Fatalf("Verify(%q) = %+v, %v; want a refusal", raw, c, err)
		}
	})
}
