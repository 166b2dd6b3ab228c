package servicetest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"fengqiao.dev/pkg/openapi"
)

// The contract check: every request a component test sends and every
// answer it gets are validated against the platform's OpenAPI document, so
// the document cannot drift from what the services really do.
//
// A request the document refuses may only be answered with an error (a
// test that sends bad input on purpose); one a service accepted must be
// one the document allows. Every answer, error or not, must be one the
// document describes for the route, status included.

var (
	contractOnce   sync.Once
	contractRouter routers.Router
	contractErr    error
)

func init() {
	// The printable slip is an HTML page; read it as text, as its schema has it.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
}

func documentRouter() (routers.Router, error) {
	contractOnce.Do(func() {
		// Validated under OpenAPI 3.0's rules: for a 3.1 document
		// kin-openapi compiles a JSON Schema 2020-12 validator for every
		// body it checks, which makes a request's check dozens of times
		// slower (BenchmarkCheckContract). The document writes nothing
		// the two versions read differently (pkg/openapi's
		// TestDocumentReadsAlikeUnder30Rules), so the check is the same.
		contractRouter, contractErr = routerUnder("3.0.3")
	})
	return contractRouter, contractErr
}

// routerUnder finds the document's routes, its schemas read under the
// rules of the given OpenAPI version.
func routerUnder(version string) (routers.Router, error) {
	// Read as a client reads it, from its rendering, so every reference
	// is resolved as the served document's would be.
	data, err := openapi.JSON("")
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("cannot load the OpenAPI document: %w", err)
	}
	// The document names no server: the harness's service runs on a port
	// of its own, and only the path counts.
	doc.Servers = nil
	doc.OpenAPI = version
	return legacy.NewRouter(doc)
}

// checkContract validates a request the harness sent (its body as sent)
// and the answer it got.
func checkContract(t testing.TB, sent *http.Request, body []byte, status int, header http.Header, answer []byte) {
	t.Helper()
	router, err := documentRouter()
	if err != nil {
		t.Fatalf("cannot read the OpenAPI document: %v", err)
	}
	checkAgainst(t, router, sent, body, status, header, answer)
}

func checkAgainst(t testing.TB, router routers.Router, sent *http.Request, body []byte, status int, header http.Header, answer []byte) {
	t.Helper()
	req := sent.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(body))
	route, pathParams, err := router.FindRoute(req)
	if err != nil {
		// A path no service serves is answered 404 or 405, which is no
		// route of the document; anything else is a route it lacks.
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			t.Errorf("contract: %s %s answered %d but is not in the OpenAPI document: %v", sent.Method, sent.URL.Path, status, err)
		}
		return
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: pathParams, Route: route,
		Options: &openapi3filter.Options{
			AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && status < http.StatusBadRequest {
		t.Errorf("contract: the service answered %d to a request the OpenAPI document refuses: %s %s: %v",
			status, sent.Method, sent.URL, err)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header,
		Body: io.NopCloser(bytes.NewReader(answer)), Options: in.Options,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("contract: %s %s answered %d not as the OpenAPI document has it: %v\n%s",
			sent.Method, sent.URL, status, err, truncate(answer))
	}
}

func truncate(b []byte) []byte {
	if len(b) > 600 {
		return append(b[:600:600], "…"...)
	}
	return b
}

// ContractChecked is an HTTP client for a generated API client (its
// HttpRequestDoer) that checks every request and answer against the
// OpenAPI document as Harness.Do does.
func ContractChecked(t testing.TB, client *http.Client) *ContractDoer {
	return &ContractDoer{t: t, client: client}
}

// ContractDoer sends requests and checks them and their answers against
// the OpenAPI document.
type ContractDoer struct {
	t      testing.TB
	client *http.Client
}

// Do sends the request, checks it and its answer, and returns the answer
// with its body still to be read.
func (d *ContractDoer) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, err
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(answer))
	checkContract(d.t, req, body, resp.StatusCode, resp.Header, answer)
	return resp, nil
}
