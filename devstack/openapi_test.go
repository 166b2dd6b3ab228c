package devstack_test

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"testing"

	"fengqiao.dev/devstack"
	"fengqiao.dev/pkg/openapi"
)

// TestRoutesMatchTheOpenAPIDocument is the drift check between each
// service's router and its part of the OpenAPI document: every route the
// service registered is an operation of the document, every operation of
// the document is a route it registered, and the service serves that part
// at GET /openapi.json.
func TestRoutesMatchTheOpenAPIDocument(t *testing.T) {
	p := startPlatform(t)
	for _, name := range devstack.Services() {
		t.Run(name, func(t *testing.T) {
			doc := openapi.ForService(name)
			documented := map[string]bool{}
			for path, item := range doc.Paths.Map() {
				for method := range item.Operations() {
					documented[method+" "+path] = true
				}
			}
			registered := map[string]bool{}
			for _, r := range p.Service(name).HTTP.Echo.Routes() {
				if isHTTPMethod(r.Method) {
					registered[r.Method+" "+openapi.PathOf(r.Path)] = true
				}
			}
			for _, route := range sortedKeys(registered) {
				if !documented[route] {
					t.Errorf("%s serves %s, which its OpenAPI document lacks", name, route)
				}
			}
			for _, route := range sortedKeys(documented) {
				if !registered[route] {
					t.Errorf("the OpenAPI document has %s, which %s does not serve", route, name)
				}
			}
			if len(registered) < 5 {
				t.Fatalf("only %d routes registered: the routes were not listed", len(registered))
			}
			servesItsPart(t, p.URLs[name]+"/openapi.json", name)
		})
	}
}

func servesItsPart(t *testing.T, url, service string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	want, err := openapi.JSON(service)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, want) {
		t.Errorf("GET %s: %d, not the service's part of the document", url, resp.StatusCode)
	}
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
