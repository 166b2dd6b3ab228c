package openapi_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"fengqiao.dev/pkg/access"
	"fengqiao.dev/pkg/openapi"
)

// The document a service serves is a valid OpenAPI 3.1 document, as the
// validator that checks the component tests' traffic reads it.
func TestDocumentIsValid(t *testing.T) {
	for _, service := range append([]string{""}, openapi.Services...) {
		data, err := openapi.JSON(service)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := openapi3.NewLoader().LoadFromData(data)
		if err != nil {
			t.Fatalf("%q: cannot load: %v", service, err)
		}
		if err := doc.Validate(context.Background()); err != nil {
			t.Errorf("%q: not a valid OpenAPI document: %v", service, err)
		}
		if !doc.IsOpenAPI31OrLater() {
			t.Errorf("%q: OpenAPI %s, want 3.1", service, doc.OpenAPI)
		}
	}
}

// Every route of the access table has a contract in the document (an
// operationId of its own, not one made up from its path), and operation
// IDs are unique but for a route two services serve alike.
func TestEveryRouteHasAContract(t *testing.T) {
	doc := openapi.Document()
	seen := map[string]string{}
	for _, r := range access.Rules() {
		item := doc.Paths.Value(openapi.PathOf(r.Path))
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("%s is not in the document", r.Route)
			continue
		}
		op := item.GetOperation(r.Method)
		if op.Responses.Value("200") == nil && op.Responses.Value("201") == nil {
			t.Errorf("%s: no success response; give it a contract", r.Route)
		}
		key := r.Method + " " + r.Path
		if other, dup := seen[op.OperationID]; dup && other != key {
			t.Errorf("operationId %s is both %s and %s", op.OperationID, other, key)
		}
		seen[op.OperationID] = key
	}
}

// api/openapi.json is the document as built: make generate writes it.
func TestRenderedDocumentIsCurrent(t *testing.T) {
	want, err := openapi.JSON("")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../api/openapi.json")
	if err != nil {
		t.Fatalf("cannot read the rendered document (make generate writes it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Error("api/openapi.json is stale: run make generate and commit it")
	}
}

// A service's part holds only its own operations and the ones every
// service serves.
func TestServicePartHoldsOnlyItsRoutes(t *testing.T) {
	doc := openapi.ForService("referral")
	if doc.Paths.Value("/v1/slips/{id}") == nil || doc.Paths.Value("/openapi.json") == nil {
		t.Error("referral's part lacks its own routes")
	}
	if doc.Paths.Value("/v1/disputes") != nil {
		t.Error("referral's part holds intake's /v1/disputes")
	}
}

// The document is also a valid OpenAPI 3.0 document: kin-openapi's 3.0
// validation rejects the 3.1-only forms (type arrays, numeric exclusive
// bounds), and the document writes no const or other keyword the two
// versions read differently (nullable only on an untyped schema, which
// takes null under both). So the component tests may validate
// traffic against it under 3.0's rules, which kin-openapi checks far
// faster.
func TestDocumentReadsAlikeUnder30Rules(t *testing.T) {
	data, err := openapi.JSON("")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatal(err)
	}
	doc.OpenAPI = "3.0.3"
	if err := doc.Validate(context.Background()); err != nil {
		t.Errorf("the document uses OpenAPI 3.1-only constructs: %v", err)
	}
}
