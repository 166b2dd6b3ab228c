package ports

import (
	"crypto/sha256"
	"encoding/json"
	"testing"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/httpserver/decodetest"
)

// BenchmarkRegistrationBody is what the port does with a registration's
// body: decode it (checking its text) and fingerprint it, "body" hashing
// the decoded body itself, "mapped" going through dispute.Registration and
// back, as registerDispute does.
func BenchmarkRegistrationBody(b *testing.B) {
	raw, err := json.Marshal(registrationBodyOf(realisticRegistration()))
	if err != nil {
		b.Fatal(err)
	}
	e := echo.New()
	b.Run("body", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var body registrationBody
			if err := httpserver.DecodeJSONWith(decodetest.Context(e, "/v1/disputes", raw), &body, textLimits); err != nil {
				b.Fatal(err)
			}
			out, _ := json.Marshal(body)
			_ = sha256.Sum256(out)
		}
	})
	b.Run("mapped", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var body registrationBody
			if err := httpserver.DecodeJSONWith(decodetest.Context(e, "/v1/disputes", raw), &body, textLimits); err != nil {
				b.Fatal(err)
			}
			_ = fingerprint(body.registration())
		}
	})
}
