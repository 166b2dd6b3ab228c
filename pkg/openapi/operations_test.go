package openapi_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fengqiao.dev/pkg/openapi"
)

// Every service serves its routes by their operationIds (httpserver.Mount),
// under /v1, with the entity-tag where the contract answers one.
func TestOperationsAreTheServicesRoutes(t *testing.T) {
	ops := openapi.Operations("revisit")
	var got []string
	for _, op := range ops {
		got = append(got, op.Method+" "+op.Path+" "+op.ID+fmt.Sprint(op.ETag))
	}
	for _, want := range []string{"GET /revisits listRevisitsfalse", "GET /revisits/:id getRevisittrue", "POST /revisits/:id/assign assignRevisitfalse"} {
		if !slices.Contains(got, want) {
			t.Errorf("revisit's operations %v lack %q", got, want)
		}
	}
	for _, service := range openapi.Services {
		for _, op := range openapi.Operations(service) {
			if op.ID == "" || strings.HasPrefix(op.Path, "/v1") {
				t.Errorf("%s: %+v", service, op)
			}
		}
	}
}
