package console

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkCommitteePages is the console's own share of the committee's
// pages: the session opened, the token verified, supervision called (over
// loopback HTTP to a stand-in) and the page rendered with the county's
// names. e2e's BenchmarkConsolePages measures the same pages against the
// real services with 10,000 disputes stored.
func BenchmarkCommitteePages(b *testing.B) {
	for _, path := range []string{"/county", "/ledger", "/overdue", "/ledger.csv"} {
		b.Run(strings.TrimPrefix(path, "/"), func(b *testing.B) {
			f := &committeeFixture{fixture: newFixture(b)}
			sup := httptest.NewServer(http.HandlerFunc(f.serveSupervision))
			b.Cleanup(sup.Close)
			f.useSupervision(sup.URL)
			cookie := f.signedIn("committee", "linxia-committee")
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("GET", path, nil)
				req.AddCookie(cookie)
				rec := httptest.NewRecorder()
				f.console.Handler().ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", path, rec.Code)
				}
			}
		})
	}
}
