package console

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkCasesPage is the console's own share of a full page of the
// station's cases: intake's list twice (the state asked and the reopened
// alerts) and, for each of the fifty rows, supervision's stage and
// referral's slips, over loopback HTTP to stand-ins. Beside
// BenchmarkDisputePage it shows what the per-row lookups cost.
func BenchmarkCasesPage(b *testing.B) {
	f := newWorkFixture(b)
	items := make([]any, queueLimit)
	for i := range items {
		items[i] = map[string]any{"id": "d-1", "case_code": fmt.Sprintf("622901-2026-%06d", i+1), "round": 1, "status": "registered",
			"category": "neighbour", "place": map[string]string{"township_code": "622901001"}, "registered_at": "2026-12-03T02:00:00Z"}
	}
	f.disputes = map[string]any{"items": items}
	cookie := f.signedIn("officer", "bafang-police")
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/cases", nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		f.console.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("cases page: %d", rec.Code)
		}
	}
}
