package supervision_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/embeddedtest"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/services/supervision"
)

// harness is a running supervision service on the embedded broker and store,
// and a producer writing events the way the other services' relays do.
type harness struct {
	url string
	// client checks every request and answer against the OpenAPI
	// document, as servicetest's harness does.
	client   *servicetest.ContractDoer
	brokers  []string
	producer *messaging.Producer
	cfg      config.Common
}

// start brings up the embedded stack and the service; t.Cleanup stops the
// service before the stack (cleanups run last-in first-out).
func start(t *testing.T) *harness { return startWith(t, supervision.Options{}) }

// startWith is start with the service's options (a clock, figure timings).
func startWith(t *testing.T, opts supervision.Options) *harness {
	t.Helper()
	stack := embeddedtest.Start(t)
	cfg := config.Common{
		KafkaBrokers: stack.Brokers, MongoURI: stack.MongoURI, MongoDatabase: "t",
		HTTPAddr: "127.0.0.1:0", TopicPartitions: 3, TopicReplication: 1,
		Auth: config.Auth{TrustedHeaders: true}, // the caller is named in headers, as in every component test
	}
	log := slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := supervision.NewWith(opts)(ctx, cfg, log)
	if err != nil {
		cancel()
		t.Fatalf("supervision.New: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("supervision.Run: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("supervision did not stop within 30s")
		}
	})
	producer, err := messaging.NewProducer(messaging.ClusterFromConfig(cfg))
	if err != nil {
		t.Fatalf("NewProducer: %v", err)
	}
	t.Cleanup(func() { _ = producer.Close() })
	return &harness{url: svc.HTTP.URL(), client: servicetest.ContractChecked(t, http.DefaultClient), brokers: stack.Brokers, producer: producer, cfg: cfg}
}

// message renders p as the outbox relay does: the real CloudEvents headers,
// keyed by the dispute, on the type's internal topic.
func message(t testing.TB, source string, p events.Payload, at time.Time) messaging.Message {
	t.Helper()
	e, err := outbox.New(context.Background(), source, p, at)
	if err != nil {
		t.Fatalf("outbox.New(%s): %v", p.EventType(), err)
	}
	return e.Message()
}

func (h *harness) publish(t *testing.T, msgs ...messaging.Message) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := h.producer.Publish(ctx, msgs...); err != nil {
		t.Fatalf("publish: %v", err)
	}
}

// caller is who asks: a committee member of a county.
func caller(county string) http.Header {
	h := http.Header{}
	h.Set(identity.HeaderCounty, county)
	h.Set(identity.HeaderAgency, "plc-"+county)
	h.Set(identity.HeaderRole, string(identity.RoleCommittee))
	h.Set(identity.HeaderOfficer, "staff-1")
	return h
}

// get calls the API and decodes a JSON (or problem+json) body into out.
func (h *harness) get(path string, who http.Header, out any) (status int, contentType string, err error) {
	req, err := http.NewRequest(http.MethodGet, h.url+path, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header = who.Clone()
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return resp.StatusCode, "", fmt.Errorf("GET %s: %d, undecodable body: %w", path, resp.StatusCode, err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), nil
}

// eventually polls check until it returns nil, and fails the test with its
// last error at the deadline. Projection is asynchronous: the deadline is
// the assertion, never a sleep.
func eventually(t *testing.T, what string, timeout time.Duration, check func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s: %v", what, timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// tWriter sends log lines to t.Log and drops them once the test is over.
type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	defer func() { _ = recover() }()
	w.t.Log(string(p))
	return len(p), nil
}

// send calls the API with a raw body and returns the status and raw body.
func (h *harness) send(t *testing.T, method, path, body string, who http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, h.url+path, bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = who.Clone()
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := h.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func header(c identity.Caller) http.Header {
	h := http.Header{}
	h.Set(identity.HeaderCounty, c.County)
	h.Set(identity.HeaderAgency, c.Agency)
	h.Set(identity.HeaderRole, string(c.Role))
	h.Set(identity.HeaderOfficer, c.Officer)
	return h
}
