package servicetest

import (
	"net/http"
	"strings"
	"testing"
)

// BenchmarkCheckContract is what the contract check adds to one request
// of a component test (a registration and its answer), with the
// document's schemas read under OpenAPI 3.0's rules, as the harness does,
// and under 3.1's, which kin-openapi validates with a JSON Schema
// 2020-12 validator it compiles for every body.
func BenchmarkCheckContract(b *testing.B) {
	body := []byte(`{"channel":"alert_110","county_code":"622901","place":{"township_code":"622901001"},"category":"neighbour","parties":[{"role":"applicant","name":"张三"}],"summary":"邻里纠纷"}`)
	answer := []byte(`{"id":"d-1","case_code":"临夏调〔2026〕0042号","county_code":"622901","status":"registered","category":"neighbour"}`)
	header := http.Header{"Content-Type": {"application/json"}}
	for _, version := range []string{"3.0.3", "3.1.0"} {
		router, err := routerUnder(version)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("OpenAPI "+version, func(b *testing.B) {
			for b.Loop() {
				req, _ := http.NewRequest("POST", "http://127.0.0.1:1/v1/disputes", strings.NewReader(string(body)))
				req.Header.Set("Content-Type", "application/json")
				checkAgainst(b, router, req, body, http.StatusCreated, header, answer)
			}
		})
	}
}
