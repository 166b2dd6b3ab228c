package console

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkDisputePage is the console's own share of a dispute's page: the
// session opened, the token verified, four services called (over loopback
// HTTP to stand-ins) and the page rendered with the county's names.
func BenchmarkDisputePage(b *testing.B) {
	f := newFixture(b)
	cookie := f.signedIn("jurisdiction", "bafang-centre")
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/disputes/d-1", nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		f.console.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("dispute page: %d", rec.Code)
		}
	}
}
