package e2e

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"fengqiao.dev/api/fengqiaoapi"
	"fengqiao.dev/devstack"
)

// The personal data of registration(): none of it may reach a span or a
// metric, masked or not. "马" is the first character of both
// parties' names, so it catches the masked names ("马**") too.
var personalData = []string{"马", "13912345678", "139****5678", "11010519491231002X", "1101051949", "********002X"}

// One dispute through the whole loop with every service exporting to a real
// OpenTelemetry Collector: the trace tree crosses HTTP and Kafka
// from intake to supervision, every handoff is a span with its attributes,
// a step taken later (a copy signed, the revisit recorded) starts a new
// trace linked to the earlier one, and nothing personal is exported.
// Not parallel: the exporter is configured through the process environment,
// which the five services of devstack share.
func TestTheLoopIsTraceable(t *testing.T) {
	col := startCollector(t)
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", col.Endpoint)
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "200")
	t.Setenv("OTEL_METRIC_EXPORT_INTERVAL", "1000")
	for _, v := range []string{"OTEL_SERVICE_NAME", "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_SDK_DISABLED"} {
		t.Setenv(v, "")
	}
	p := start(t, "")
	id := p.register(t, "家庭纠纷")
	p.settle(t, id, 1, fengqiaoapi.RevisitResult{Outcome: "stable"})
	p.eventually(t, "supervision", "/v1/disputes/"+id+"/timeline", committee, "the loop is closed", func(b map[string]any) bool {
		return b["stage"] == "closed"
	})
	checkScrape(t, p.URLs["referral"])
	p.stop() // flushes every service's exporters
	col.stop()

	traces, err := os.ReadFile(col.Traces)
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := os.ReadFile(col.Metrics)
	for _, pd := range personalData {
		if bytes.Contains(traces, []byte(pd)) || bytes.Contains(metrics, []byte(pd)) {
			t.Errorf("the exported telemetry contains personal data %q", pd)
		}
	}
	for _, m := range []string{`"fengqiao.handoffs"`, `"http.server.request.duration"`, `"db.client.operation.duration"`, `"service.version"`} {
		if !bytes.Contains(metrics, []byte(m)) {
			t.Errorf("the collector received no %s in the metrics", m)
		}
	}
	checkTraces(t, readSpans(t, traces), id)
}

// checkScrape reads a service's /metrics as Prometheus would.
func checkScrape(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"fengqiao_handoffs_total{", "fengqiao_handoff_acceptance_duration_seconds_bucket{", "fengqiao_messaging_consumer_lag{"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("referral's /metrics lacks %s", want)
		}
	}
}

func checkTraces(t *testing.T, spans []span, id string) {
	g := graph{spans: spans, byID: map[string]span{}}
	for _, s := range spans {
		g.byID[s.SpanID] = s
	}
	intake := g.one(t, "intake", "POST /v1/disputes", "")
	t.Logf("the intake trace:\n%s", tree(spans, intake.TraceID))

	// One trace from the intake request through referral, the three copies,
	// the mediation room and supervision, across HTTP and Kafka.
	trace := intake.TraceID
	g.edge(t, trace, "intake", "POST /v1/disputes", "intake", "intake handoff police→police")
	g.edge(t, trace, "intake", "intake handoff police→police", "intake", "send fengqiao.disputes.v1")
	g.edge(t, trace, "intake", "send fengqiao.disputes.v1", "referral", "process fengqiao.disputes.v1")
	g.edge(t, trace, "referral", "process fengqiao.disputes.v1", "referral", "referral handoff police→jurisdiction")
	for _, cp := range []string{"committee", "jurisdiction", "police"} {
		g.edge(t, trace, "referral", "process fengqiao.disputes.v1", "referral", cp+" copy handoff police→"+cp)
	}
	g.edge(t, trace, "referral", "send fengqiao.referrals.v1", "mediation-room", "process fengqiao.referrals.v1")
	g.edge(t, trace, "mediation-room", "process fengqiao.referrals.v1", "mediation-room", "mediation handoff jurisdiction→room")
	g.edge(t, trace, "mediation-room", "send fengqiao.mediations.v1", "supervision", "process fengqiao.mediations.v1")
	g.edge(t, trace, "referral", "send fengqiao.referrals.v1", "revisit", "process fengqiao.referrals.v1")
	// MongoDB's time is in the same trace: the request's writes, and the
	// consumer's, are client spans under them.
	g.storeSpanUnder(t, trace, "intake", "POST /v1/disputes")
	g.storeSpanUnder(t, trace, "referral", "process fengqiao.disputes.v1")
	services := map[string]bool{}
	for _, s := range spans {
		if s.TraceID == trace {
			services[s.Service] = true
		}
	}
	for _, name := range devstack.Services() {
		if !services[name] {
			t.Errorf("the intake trace has no span of %s", name)
		}
	}

	referral := g.one(t, "referral", "referral handoff police→jurisdiction", trace)
	for _, k := range []string{"fengqiao.dispute.id", "fengqiao.county.code", "fengqiao.handoff.from", "fengqiao.handoff.to",
		"fengqiao.risk.level", "fengqiao.category", "fengqiao.deadline"} {
		if referral.Attrs[k] == "" {
			t.Errorf("the referral handoff span lacks %s: %v", k, referral.Attrs)
		}
	}
	if referral.Attrs["fengqiao.dispute.id"] != id || referral.Attrs["fengqiao.county.code"] != county {
		t.Errorf("the referral handoff span is about %v", referral.Attrs)
	}
	if code := g.one(t, "intake", "intake handoff police→police", trace).Attrs["fengqiao.case.code"]; code == "" {
		t.Error("the intake handoff span lacks the case code people quote")
	}
	if c := g.one(t, "referral", "jurisdiction copy handoff police→jurisdiction", trace); c.Attrs["fengqiao.referral.copy"] != "jurisdiction" {
		t.Errorf("the jurisdiction copy span carries copy %q", c.Attrs["fengqiao.referral.copy"])
	}
	consumer := g.one(t, "referral", "process fengqiao.disputes.v1", trace)
	for _, k := range []string{"messaging.system", "messaging.destination.name", "messaging.operation.type",
		"messaging.destination.partition.id", "messaging.kafka.offset", "messaging.consumer.group.name"} {
		if consumer.Attrs[k] == "" {
			t.Errorf("the consumer span lacks %s", k)
		}
	}

	// Later steps start their own traces from their HTTP requests and link
	// back: the signed copy to the slip's issue, the revisit to its scheduling.
	accepted := g.one(t, "referral", "jurisdiction copy acceptance police→jurisdiction", "")
	g.linked(t, accepted, trace, "the signature")
	if accepted.Attrs["fengqiao.referral.time_to_sign_seconds"] == "" {
		t.Error("the signature span lacks its time to sign")
	}
	scheduled := g.one(t, "revisit", "revisit handoff room→jurisdiction", "")
	result := g.one(t, "revisit", "revisit result handoff jurisdiction→committee", "")
	if result.TraceID == scheduled.TraceID {
		t.Error("the revisit's result is in the scheduling's trace, not its own")
	}
	g.linked(t, result, scheduled.TraceID, "the revisit's result")
	if parent := g.byID[result.Parent]; parent.Name != "POST /v1/revisits/:id/result" {
		t.Errorf("the revisit result handoff's parent is %q, want its HTTP request", parent.Name)
	}
	t.Logf("the revisit's trace:\n%s", tree(spans, result.TraceID))
}

// graph answers questions about the exported spans.
type graph struct {
	spans []span
	byID  map[string]span
}

// one returns the span of service named name (in trace, if not empty).
func (g graph) one(t *testing.T, service, name, trace string) span {
	t.Helper()
	for _, s := range g.spans {
		if s.Service == service && s.Name == name && (trace == "" || s.TraceID == trace) {
			return s
		}
	}
	t.Fatalf("no span %q of %s was exported", name, service)
	return span{}
}

// edge asserts a span of childService named child whose parent, in the same
// trace, is a span of parentService named parent.
func (g graph) edge(t *testing.T, trace, parentService, parent, childService, child string) {
	t.Helper()
	for _, s := range g.spans {
		p, ok := g.byID[s.Parent]
		if ok && s.TraceID == trace && s.Service == childService && s.Name == child && p.Service == parentService && p.Name == parent {
			return
		}
	}
	t.Errorf("no edge %s/%q → %s/%q in trace %s", parentService, parent, childService, child, trace)
}

// linked asserts that s links to a span of trace.
func (g graph) linked(t *testing.T, s span, trace, what string) {
	t.Helper()
	for _, l := range s.Links {
		if l.TraceID == trace && l.Attrs["fengqiao.link.reason"] != "" {
			return
		}
	}
	t.Errorf("%s (%q, trace %s) does not link to trace %s: %v", what, s.Name, s.TraceID, trace, s.Links)
}

// storeSpanUnder checks that a MongoDB client span of service is a child of
// its span named parent in trace.
func (g graph) storeSpanUnder(t *testing.T, trace, service, parent string) {
	t.Helper()
	p := g.one(t, service, parent, trace)
	for _, s := range g.spans {
		if s.Parent == p.SpanID && s.Service == service && s.Attrs["db.system.name"] == "mongodb" && s.Attrs["db.collection.name"] != "" {
			return
		}
	}
	t.Errorf("no MongoDB span of %s under %q in the trace", service, parent)
}
