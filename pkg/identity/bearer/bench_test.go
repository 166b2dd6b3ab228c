package bearer

import (
	"context"
	"testing"
	"time"
)

// BenchmarkVerify is the cost a token adds to every request once the
// provider's keys are cached: an RS256 signature and the claims.
func BenchmarkVerify(b *testing.B) {
	p := newProvider(b)
	key := rsaKey(b, "k1")
	p.publish(key)
	v, err := New(Config{Issuer: p.srv.URL, Audience: "fengqiao"})
	if err != nil {
		b.Fatal(err)
	}
	raw := sign(b, key, p.registered(time.Now()), officer)
	ctx := context.Background()
	if _, err := v.Verify(ctx, raw); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, raw); err != nil {
			b.Fatal(err)
		}
	}
}
