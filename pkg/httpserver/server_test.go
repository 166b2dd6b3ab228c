package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"go.mongodb.org/mongo-driver/v2/mongo"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/problem"
)

// thing is a request body with the shapes that matter: nested objects and
// arrays of objects.
type thing struct {
	Name    string `json:"name"`
	Count   int    `json:"count"`
	Parties []struct {
		Role string `json:"role"`
	} `json:"parties"`
	Place struct {
		County string `json:"county_code"`
	} `json:"place"`
	When     *time.Time `json:"when,omitempty"`
	Sessions []struct {
		StartsAt time.Time `json:"starts_at"`
	} `json:"sessions,omitempty"`
}

type server struct {
	url      string
	addr     string
	kafkaOK  atomic.Bool
	recorder *tracetest.SpanRecorder
}

// start runs a server on a real loopback listener with the routes the
// tests need; t.Cleanup shuts it down.
func start(t *testing.T) *server {
	t.Helper()
	return startWith(t, config.HTTPLimits{})
}

// startWith is start with the given limits (zero fields take the defaults).
// largeAnswer is GET /v1/large's size: more than the kernel buffers of a
// loopback connection hold, so a reader that does not read stalls the write.
const largeAnswer = 64 << 20

func startWith(t *testing.T, limits config.HTTPLimits) *server {
	t.Helper()
	srv := &server{recorder: tracetest.NewSpanRecorder()}
	srv.kafkaOK.Store(true)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(srv.recorder))
	s, err := httpserver.New(httpserver.Options{
		Service: "test", Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler), Tracer: tp, Limits: limits,
		Auth: identity.TrustedHeaders{},
		Ready: []httpserver.Check{
			{Name: "kafka", Run: func(context.Context) error {
				if !srv.kafkaOK.Load() {
					return errors.New("kafka unreachable: connection refused")
				}
				return nil
			}},
			{Name: "mongodb", Run: func(context.Context) error { return nil }},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	s.API.POST("/things", func(c echo.Context) error {
		var body thing
		if err := httpserver.DecodeJSON(c, &body); err != nil {
			return err
		}
		caller, _ := identity.FromContext(c.Request().Context())
		return c.JSON(http.StatusCreated, map[string]any{"name": body.Name, "county": caller.County})
	})
	s.API.POST("/texts", func(c echo.Context) error {
		var body thing
		if err := httpserver.DecodeJSONWith(c, &body, httpserver.TextLimits{"/name": 5, "/parties/*/role": 3}); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	})
	s.API.POST("/refuse", func(echo.Context) error {
		return problem.Invalid("the slip is incomplete",
			problem.Field("parties/0/role", "required"), problem.Field("#/place/county_code", "not a county of this province"))
	})
	s.API.GET("/large", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/octet-stream", make([]byte, largeAnswer))
	})
	s.API.GET("/fail", func(echo.Context) error { return errors.New("mongo: connection reset; citizen 13800000000") })
	s.API.GET("/panic", func(echo.Context) error { panic("nil map") })
	s.API.POST("/huge-event", func(echo.Context) error {
		return fmt.Errorf("while registering: %w", messaging.ErrMessageTooLarge)
	})
	s.API.POST("/contended", func(echo.Context) error {
		return fmt.Errorf("while accepting the copy: %w", docstore.ErrConflict)
	})
	s.API.POST("/disk-full", func(echo.Context) error {
		return fmt.Errorf("while saving dispute d1: %w", mongo.CommandError{Code: 1, Name: "InternalError",
			Message: "[msg_insert.go:168 handler.(*Handler).MsgInsert] [db.go:167 fsql.(*DB).InTransaction] disk I/O error (778)"})
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		_ = tp.Shutdown(context.Background())
	})
	srv.url = s.URL()
	srv.addr = s.Addr()
	return srv
}

var officer = map[string]string{
	identity.HeaderCounty: "622901", identity.HeaderAgency: "pcs-chengbei",
	identity.HeaderRole: string(identity.RoleOfficer), identity.HeaderOfficer: "A1024",
}

type response struct {
	status  int
	header  http.Header
	body    []byte
	problem problem.Details
}

func (s *server) do(t *testing.T, method, path string, body io.Reader, headers map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	r := response{status: resp.StatusCode, header: resp.Header}
	if r.body, err = io.ReadAll(resp.Body); err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Content-Type") == problem.MediaType {
		if err := json.Unmarshal(r.body, &r.problem); err != nil {
			t.Fatalf("problem body %s: %v", r.body, err)
		}
	}
	if resp.Header.Get(echo.HeaderXRequestID) == "" {
		t.Errorf("%s %s: no %s header", method, path, echo.HeaderXRequestID)
	}
	return r
}

func with(extra map[string]string) map[string]string {
	out := map[string]string{"Content-Type": "application/json"}
	for k, v := range officer {
		out[k] = v
	}
	for k, v := range extra {
		if v == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

func TestProblems(t *testing.T) {
	t.Parallel()
	s := start(t)
	type field struct{ pointer, detail string }
	for _, tc := range []struct {
		name       string
		method     string
		path       string
		body       string
		headers    map[string]string
		status     int
		typeSuffix string
		detail     string  // substring of the problem's detail
		fields     []field // detail: substring
	}{
		{name: "malformed JSON", path: "/v1/things", body: `{"name" "a"}`, status: 400, typeSuffix: "invalid-request", detail: "malformed JSON at byte"},
		{name: "truncated JSON", path: "/v1/things", body: `{"name": "a",`, status: 400, typeSuffix: "invalid-request", detail: "empty or truncated"},
		{name: "empty body", path: "/v1/things", body: ``, status: 400, typeSuffix: "invalid-request", detail: "empty or truncated"},
		{name: "two values", path: "/v1/things", body: `{} {}`, status: 400, typeSuffix: "invalid-request", detail: "exactly one JSON value"},
		{name: "wrong type", path: "/v1/things", body: `{"count": "3"}`, status: 400, typeSuffix: "invalid-request",
			fields: []field{{"#/count", "must be an integer, not a JSON string"}}},
		{name: "wrong type in an array element", path: "/v1/things", body: `{"parties": [{"role": "a"}, {"role": 7}]}`, status: 400,
			typeSuffix: "invalid-request", fields: []field{{"#/parties/1/role", "must be a string, not a JSON number"}}},
		{name: "object for a string", path: "/v1/things", body: `{"place": {"county_code": {"code": 1}}}`, status: 400,
			typeSuffix: "invalid-request", fields: []field{{"#/place/county_code", "must be a string, not a JSON object"}}},
		{name: "array for the body", path: "/v1/things", body: `[1]`, status: 400, typeSuffix: "invalid-request", fields: []field{{"#", "must be an object, not a JSON array"}}},
		{name: "fraction for an integer", path: "/v1/things", body: `{"count": 1.5}`, status: 400, typeSuffix: "invalid-request",
			fields: []field{{"#/count", "must be an integer, not a JSON number 1.5"}}},
		{name: "unknown field", path: "/v1/things", body: `{"name": "a", "nmae": "b"}`, status: 400, typeSuffix: "invalid-request",
			fields: []field{{"#/nmae", "unknown field"}}},
		{name: "unknown nested field", path: "/v1/things", body: `{"parties": [{"role": "a"}, {"role": "b", "rôle": "c"}]}`, status: 400,
			typeSuffix: "invalid-request", fields: []field{{"#/parties/1/rôle", "unknown field"}}},
		{name: "not JSON", path: "/v1/things", body: `name=a`, headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			status: 400, typeSuffix: "invalid-request", fields: []field{{"header:Content-Type", "got application/x-www-form-urlencoded"}}},
		{name: "no identity", path: "/v1/things", body: `{}`, headers: map[string]string{identity.HeaderCounty: "", identity.HeaderAgency: "", identity.HeaderRole: ""},
			status: 401, typeSuffix: "unauthenticated"},
		{name: "bad county code", path: "/v1/things", body: `{}`, headers: map[string]string{identity.HeaderCounty: "6229"}, status: 401, typeSuffix: "unauthenticated"},
		{name: "unknown role", path: "/v1/things", body: `{}`, headers: map[string]string{identity.HeaderRole: "admin"}, status: 401, typeSuffix: "unauthenticated"},
		{name: "handler refuses with fields", path: "/v1/refuse", body: `{}`, status: 400, typeSuffix: "invalid-request", detail: "the slip is incomplete",
			fields: []field{{"#/parties/0/role", "required"}, {"#/place/county_code", "not a county"}}},
		{name: "handler error hidden", method: "GET", path: "/v1/fail", status: 500, typeSuffix: "internal", detail: "it has been logged"},
		{name: "handler panic", method: "GET", path: "/v1/panic", status: 500, typeSuffix: "internal"},
		{name: "event over the size limit", path: "/v1/huge-event", body: `{}`, status: 413, typeSuffix: "too-large", detail: "1000000 bytes"},
		{name: "lost a write race", path: "/v1/contended", body: `{}`, status: 409, typeSuffix: "conflict", detail: "reload it"},
		{name: "storage full", path: "/v1/disk-full", body: `{}`, status: 503, typeSuffix: "storage-full", detail: "storage is full"},
		{name: "no such route", method: "GET", path: "/v1/nothing/here", status: 404, typeSuffix: "about:blank"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.method == "" {
				tc.method = "POST"
			}
			r := s.do(t, tc.method, tc.path, strings.NewReader(tc.body), with(tc.headers))
			p := r.problem
			if r.status != tc.status || r.header.Get("Content-Type") != problem.MediaType {
				t.Fatalf("got %d %s %s, want %d %s", r.status, r.header.Get("Content-Type"), r.body, tc.status, problem.MediaType)
			}
			if p.Status != tc.status || !strings.HasSuffix(p.Type, tc.typeSuffix) || p.Title == "" || p.Instance != tc.path {
				t.Errorf("problem %+v: want status %d, type …%s, a title, instance %s", p, tc.status, tc.typeSuffix, tc.path)
			}
			if !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("detail %q, want it to contain %q", p.Detail, tc.detail)
			}
			if r.status == http.StatusServiceUnavailable && r.header.Get("Retry-After") == "" {
				t.Errorf("a 503 without Retry-After")
			}
			if strings.Contains(string(r.body), "13800000000") || strings.Contains(string(r.body), "nil map") {
				t.Errorf("the problem leaks the cause: %s", r.body)
			}
			if len(p.Errors) != len(tc.fields) {
				t.Fatalf("errors %+v, want %d", p.Errors, len(tc.fields))
			}
			for i, f := range tc.fields {
				if p.Errors[i].Pointer != f.pointer || !strings.Contains(p.Errors[i].Detail, f.detail) {
					t.Errorf("errors[%d] = %+v, want pointer %q and a detail containing %q", i, p.Errors[i], f.pointer, f.detail)
				}
			}
		})
	}
}

func TestAcceptsAValidRequest(t *testing.T) {
	t.Parallel()
	s := start(t)
	r := s.do(t, "POST", "/v1/things", strings.NewReader(`{"name": "a", "parties": [{"role": "applicant"}]}`), with(map[string]string{echo.HeaderXRequestID: "req-42"}))
	if r.status != http.StatusCreated || !strings.Contains(string(r.body), `"county":"622901"`) {
		t.Fatalf("got %d %s", r.status, r.body)
	}
	if got := r.header.Get(echo.HeaderXRequestID); got != "req-42" {
		t.Errorf("request ID %q, want the caller's req-42", got)
	}
}

// A body over the server's 1 MB limit is 413, also when it comes without a
// Content-Length (chunked) and the limit trips inside DecodeJSON.
func TestBodyTooLarge(t *testing.T) {
	t.Parallel()
	s := start(t)
	big := `{"name": "` + strings.Repeat("x", 2<<20) + `"}`
	for name, body := range map[string]io.Reader{
		"with length": strings.NewReader(big),
		"chunked":     io.MultiReader(strings.NewReader(big)), // hides the length
	} {
		t.Run(name, func(t *testing.T) {
			r := s.do(t, "POST", "/v1/things", body, with(nil))
			if r.status != http.StatusRequestEntityTooLarge || !strings.HasSuffix(r.problem.Type, "/too-large") {
				t.Fatalf("got %d %s, want a 413 problem", r.status, r.body)
			}
		})
	}
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	s := start(t)
	if r := s.do(t, "GET", "/healthz", nil, nil); r.status != 200 || !bytes.Contains(r.body, []byte(`"ok"`)) {
		t.Errorf("/healthz: %d %s", r.status, r.body)
	}
	if r := s.do(t, "GET", "/readyz", nil, nil); r.status != 200 || !bytes.Contains(r.body, []byte(`"ready"`)) {
		t.Errorf("/readyz with every check passing: %d %s", r.status, r.body)
	}
	s.kafkaOK.Store(false)
	r := s.do(t, "GET", "/readyz", nil, nil)
	var body struct {
		Status  string            `json:"status"`
		Failing map[string]string `json:"failing"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	if r.status != 503 || len(body.Failing) != 1 || !strings.Contains(body.Failing["kafka"], "unreachable") {
		t.Errorf("/readyz with kafka down: %d %s, want 503 naming kafka only", r.status, r.body)
	}
}

// The server continues the caller's trace and names spans by route, never
// by path (paths carry dispute IDs).
func TestServerSpanContinuesTheTrace(t *testing.T) {
	t.Parallel()
	s := start(t)
	const parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	s.do(t, "GET", "/v1/fail", nil, with(map[string]string{"traceparent": parent}))
	var span sdktrace.ReadOnlySpan
	deadline := time.Now().Add(5 * time.Second)
	for span == nil && time.Now().Before(deadline) {
		for _, sp := range s.recorder.Ended() {
			span = sp
		}
		if span == nil {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if span == nil {
		t.Fatal("no server span")
	}
	if span.Name() != "GET /v1/fail" || span.SpanKind() != trace.SpanKindServer {
		t.Errorf("span %q kind %v", span.Name(), span.SpanKind())
	}
	if span.Parent().TraceID().String() != "0af7651916cd43dd8448eb211c80319c" || span.Parent().SpanID().String() != "b7ad6b7169203331" {
		t.Errorf("span parent %v, want the caller's", span.Parent())
	}
	if span.Status().Code.String() != "Error" {
		t.Errorf("a 500 left the span status %v", span.Status())
	}
}
