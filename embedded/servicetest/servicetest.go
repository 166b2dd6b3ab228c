// Package servicetest drives a Fengqiao service in a component test: the
// service runs in-process against the real embedded broker and store over
// TCP, and the test talks to it as clients do — HTTP with a caller identity,
// and CloudEvents on Kafka.
//
//	h := servicetest.Start(t, intake.New)
//	status, body := h.Do(t, "POST", "/v1/disputes", reg, servicetest.Officer("622901"))
//	h.Publish(t, payload)
//	msgs := h.Read(t, events.TopicDisputes, 1)
package servicetest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded"
	"fengqiao.dev/embedded/embeddedtest"
	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/pkg/testtime"
)

// NewFunc is a service's constructor (e.g. intake.New).
type NewFunc func(ctx context.Context, cfg config.Common, log *slog.Logger) (*bootstrap.Service, error)

// Harness is a running service and its infrastructure.
type Harness struct {
	Stack    *embedded.Stack
	URL      string
	Config   config.Common
	Producer *messaging.Producer
	// Token, when set, returns a bearer token for a caller, which requests
	// carry instead of the gateway's identity headers: for a platform whose
	// services verify tokens (devstack, e2e).
	Token func(identity.Caller) (string, error)

	storeMu sync.Mutex
	store   *mongo.Client // Collection's, connected at its first call
}

// Start runs the service on a fresh embedded stack until the test ends.
func Start(t testing.TB, newService NewFunc) *Harness {
	t.Helper()
	stack := embeddedtest.Start(t)
	return StartOn(t, stack, newService)
}

// StartWith runs the service on a fresh embedded stack whose policy topic
// already holds the counties' policies, as the operator publishes them.
func StartWith(t testing.TB, newService NewFunc, policies ...policy.CountyPolicy) *Harness {
	t.Helper()
	stack := embeddedtest.Start(t)
	for _, p := range policies {
		PublishPolicy(t, stack.Brokers, p)
	}
	return StartOn(t, stack, newService)
}

// StartOn runs the service on an existing stack (several services on one).
func StartOn(t testing.TB, stack *embedded.Stack, newService NewFunc) *Harness {
	t.Helper()
	// A component test is about the service's behaviour for a given caller,
	// so it names the caller in the gateway's headers and opts in to
	// believing them, explicitly; token verification is tested in
	// pkg/identity/bearer, and with a real provider in devstack and e2e.
	cfg := config.Common{
		KafkaBrokers: stack.Brokers, MongoURI: stack.MongoURI, MongoDatabase: "fengqiao",
		HTTPAddr: "127.0.0.1:0", TopicPartitions: 3, TopicReplication: 1, RelayInterval: 200 * time.Millisecond,
		Auth: config.Auth{TrustedHeaders: true},
	}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := newService(ctx, cfg, slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		cancel()
		t.Fatalf("cannot start the service: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	producer, err := messaging.NewProducer(messaging.ClusterFromConfig(cfg))
	if err != nil {
		t.Fatal(err)
	}
	h := &Harness{Stack: stack, URL: svc.HTTP.URL(), Config: cfg, Producer: producer}
	t.Cleanup(func() {
		_ = producer.Close()
		if h.store != nil {
			_ = h.store.Disconnect(context.Background())
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("service stopped with: %v", err)
		}
	})
	h.Await(t, "the service is ready", func() bool {
		resp, err := http.Get(h.URL + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return h
}

// Collection is the service's collection name (with its service's prefix,
// "intake.disputes") as the store holds it, for a test that reads or
// changes what the service stored behind its API; the client closes when
// the test ends.
func (h *Harness) Collection(t testing.TB, name string) *mongo.Collection {
	t.Helper()
	h.storeMu.Lock()
	defer h.storeMu.Unlock()
	if h.store == nil {
		client, err := mongo.Connect(options.Client().ApplyURI(h.Stack.MongoURI))
		if err != nil {
			t.Fatal(err)
		}
		h.store = client
	}
	return h.store.Database(h.Config.MongoDatabase).Collection(name)
}

// Caller builds an identity for requests.
func Caller(county, agency string, role identity.Role, officer string) identity.Caller {
	return identity.Caller{County: county, Agency: agency, Role: role, Officer: officer}
}

// Officer is a police officer of the county's Chengbei station.
func Officer(county string) identity.Caller {
	return Caller(county, "pcs-chengbei", identity.RoleOfficer, "A1024")
}

// Do sends a request with the caller's identity headers and returns the
// status and the decoded JSON body (nil when empty). body may be a []byte
// (sent as is) or a value (sent as JSON).
func (h *Harness) Do(t testing.TB, method, path string, body any, caller identity.Caller, headers ...string) (int, map[string]any) {
	t.Helper()
	status, raw, _ := h.DoRaw(t, method, path, body, caller, headers...)
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: response is not a JSON object: %s", method, path, raw)
		}
	}
	return status, out
}

// DoRaw is Do returning the raw body and the response headers.
func (h *Harness) DoRaw(t testing.TB, method, path string, body any, caller identity.Caller, headers ...string) (int, []byte, http.Header) {
	t.Helper()
	var sent []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		sent = b
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		sent = data
	}
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(sent)
	}
	req, err := http.NewRequest(method, h.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	switch {
	case caller.County == "":
	case h.Token != nil:
		token, err := h.Token(caller)
		if err != nil {
			t.Fatalf("cannot get a token for %+v: %v", caller, err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
	default:
		req.Header.Set(identity.HeaderCounty, caller.County)
		req.Header.Set(identity.HeaderAgency, caller.Agency)
		req.Header.Set(identity.HeaderRole, string(caller.Role))
		req.Header.Set(identity.HeaderOfficer, caller.Officer)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	checkContract(t, req, sent, resp.StatusCode, resp.Header, data)
	return resp.StatusCode, data, resp.Header
}

// Publish sends payloads as CloudEvents on their internal topics, as the
// service that owns them would. It returns the event IDs.
func (h *Harness) Publish(t testing.TB, payloads ...events.Payload) []string {
	t.Helper()
	var ids []string
	var msgs []messaging.Message
	for _, p := range payloads {
		m := Message(t, "test", p, time.Now())
		ids = append(ids, cloudevents.Get(m.Headers)(cloudevents.HeaderID))
		msgs = append(msgs, m)
	}
	h.PublishRaw(t, msgs...)
	return ids
}

// Message renders p as the outbox relay of service source does, with the
// event's time at: the real CloudEvents headers, keyed by the dispute, on
// the type's internal topic.
func Message(t testing.TB, source string, p events.Payload, at time.Time) messaging.Message {
	t.Helper()
	e, err := outbox.New(context.Background(), source, p, at)
	if err != nil {
		t.Fatalf("outbox.New(%s): %v", p.EventType(), err)
	}
	return e.Message()
}

// PublishRaw sends messages as they are (e.g. a poison message).
func (h *Harness) PublishRaw(t testing.TB, msgs ...messaging.Message) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := h.Producer.Publish(ctx, msgs...); err != nil {
		t.Fatalf("cannot publish: %v", err)
	}
}

// Read returns the first n messages of every partition of topic, read
// without a consumer group, as an outside agency's system might; it fails
// the test if fewer arrive within 30 seconds.
func (h *Harness) Read(t testing.TB, topic string, n int) []messaging.Message {
	t.Helper()
	return ReadTopic(t, h.Stack.Brokers, topic, n)
}

// Count returns how many messages topic holds now (0 if it does not exist).
func (h *Harness) Count(t testing.TB, topic string) int {
	t.Helper()
	return CountTopic(t, h.Stack.Brokers, topic)
}

// Eventually polls cond until it holds or the timeout passes.
func (h *Harness) Eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	Eventually(t, timeout, what, cond)
}

// Patience is how long Await waits for the platform to catch up: a
// service to read a published policy, consume an event, run a sweep.
const Patience = 30 * time.Second

// Await polls cond until it holds, failing the test after Patience.
func (h *Harness) Await(t testing.TB, what string, cond func() bool) {
	t.Helper()
	Eventually(t, Patience, what, cond)
}

// Eventually polls cond until it holds, failing the test after timeout
// (testtime.Eventually, the one poll of every test). Tests never sleep to
// assert.
var Eventually = testtime.Eventually

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// PublishPolicy publishes a county's policy on the policy topic, as the
// MediationCenter operator does, for services to pick up live.
func PublishPolicy(t testing.TB, brokers []string, p policy.CountyPolicy) {
	t.Helper()
	producer, err := messaging.NewProducer(messaging.ClusterFromConfig(config.Common{KafkaBrokers: brokers}))
	if err != nil {
		t.Fatal(err)
	}
	defer producer.Close()
	value, err := policy.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := producer.Publish(ctx, messaging.Message{Topic: events.TopicPolicy, Key: []byte(p.County.Code), Value: value}); err != nil {
		t.Fatal(err)
	}
}

// RefusesNaming posts body to path as caller and fails t unless the answer
// is a 400 problem with one field error, naming pointer (docs/problems.md);
// it returns that error's detail.
func (h *Harness) RefusesNaming(t testing.TB, path, body string, caller identity.Caller, pointer string) (detail string) {
	t.Helper()
	status, raw, _ := h.DoRaw(t, http.MethodPost, path, []byte(body), caller)
	var p struct {
		Errors []struct{ Pointer, Detail string } `json:"errors"`
	}
	if status != http.StatusBadRequest || json.Unmarshal(raw, &p) != nil || len(p.Errors) != 1 || p.Errors[0].Pointer != pointer {
		t.Fatalf("got %d %.300s, want a 400 naming %s", status, raw, pointer)
	}
	return p.Errors[0].Detail
}
