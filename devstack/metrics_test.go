package devstack_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/devstack"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/messaging/topictest"
)

// labelsOnlySometimes are documented labels a short run may not produce.
var labelsOnlySometimes = map[string]string{
	"error_type":          "only on a MongoDB command that failed",
	"k8s_pod_name":        "set by the chart from the downward API",
	"k8s_pod_uid":         "set by the chart from the downward API",
	"k8s_namespace_name":  "set by the chart from the downward API",
	"k8s_node_name":       "set by the chart from the downward API",
	"k8s_deployment_name": "set by the chart",
}

// labelsOnEverySeries are the OTel Prometheus exporter's own, documented
// once under the table rather than on every row.
var labelsOnEverySeries = []string{"otel_scope_name", "otel_scope_version", "otel_scope_schema_url"}

// TestMetricsAreDocumented is the contract of docs/tracing.md's metrics
// table: the platform runs on the embedded stack, a dispute is registered
// and its jurisdiction copy signed, a poison message is dead-lettered, and
// every service is scraped. Every metric and label exposed must be in the
// table, and everything in the table must be exposed.
func TestMetricsAreDocumented(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole platform")
	}
	documented := documentedMetrics(t, "../docs/tracing.md")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	p, err := devstack.Start(ctx, devstack.Options{PolicyDir: "../operators/mediationcenter/config/samples", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(runCtx) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("platform stopped with: %v", err)
		}
	}()

	officer, centre := bearer(ctx, t, p, "officer-622901"), bearer(ctx, t, p, "centre-622901")
	id := registerDispute(t, p.URLs["intake"], officer)
	signJurisdictionCopy(ctx, t, p.URLs["referral"], id, centre)
	publishPoison(ctx, t, messaging.Cluster{Brokers: p.Infra.Brokers, Security: p.KafkaUser("admin").Security()})

	// The gauges and the dead letters appear as the consumers catch up.
	var exposed map[string]map[string]bool
	for deadline := time.Now().Add(time.Minute); ; {
		exposed = scrapeAll(t, p.URLs)
		missing := missingMetrics(documented, exposed)
		if len(missing) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("documented but never exposed: %v", missing)
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	for name, labels := range exposed {
		want, ok := documented[name]
		if !ok {
			t.Errorf("%s is exposed but not in docs/tracing.md's metrics table", name)
			continue
		}
		for l := range labels {
			if !want[l] && !slices.Contains(labelsOnEverySeries, l) {
				t.Errorf("%s has the label %s, not documented", name, l)
			}
		}
		for l := range want {
			if _, sometimes := labelsOnlySometimes[l]; !labels[l] && !sometimes {
				t.Errorf("%s is documented with the label %s, never exposed", name, l)
			}
		}
	}
}

// documentedMetrics reads the metrics table of the doc: the backquoted
// names of its first column, and of its labels column ("same" repeats the
// row above's).
func documentedMetrics(t *testing.T, path string) map[string]map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	quoted := regexp.MustCompile("`([a-z_][a-z0-9_]*)`")
	out := map[string]map[string]bool{}
	var previous map[string]bool
	inTable := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "| metric (Prometheus name)") {
			inTable = true
			continue
		}
		if !inTable || strings.HasPrefix(line, "| ---") {
			continue
		}
		if !strings.HasPrefix(line, "|") {
			if len(out) > 0 {
				break
			}
			continue
		}
		cells := strings.Split(line, "|")
		labels := map[string]bool{}
		if strings.HasPrefix(strings.TrimSpace(cells[3]), "same") {
			for l := range previous {
				labels[l] = true
			}
		}
		for _, m := range quoted.FindAllStringSubmatch(cells[3], -1) {
			labels[m[1]] = true
		}
		for _, m := range quoted.FindAllStringSubmatch(cells[1], -1) {
			out[m[1]] = labels
		}
		previous = labels
	}
	if len(out) == 0 {
		t.Fatalf("no metrics table in %s", path)
	}
	return out
}

func missingMetrics(documented, exposed map[string]map[string]bool) []string {
	var missing []string
	for name := range documented {
		if _, ok := exposed[name]; !ok {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	return missing
}

// scrapeAll asks every service's /readyz (so its readiness gauge has a
// value), then reads its /metrics into metric family → label names.
func scrapeAll(t *testing.T, urls map[string]string) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	for _, base := range urls {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
		}
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		parseExposition(string(body), out)
	}
	return out
}

var (
	typeLine  = regexp.MustCompile(`^# TYPE (\S+) (\S+)$`)
	labelName = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"`)
)

// parseExposition reads the Prometheus text format into families: a
// histogram's _bucket, _sum and _count series count as its family.
func parseExposition(body string, into map[string]map[string]bool) {
	histograms := map[string]bool{}
	for _, line := range strings.Split(body, "\n") {
		if m := typeLine.FindStringSubmatch(line); m != nil {
			if m[2] == "histogram" {
				histograms[m[1]] = true
			}
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, rest, _ := strings.Cut(line, "{")
		if !strings.Contains(line, "{") {
			name, _, _ = strings.Cut(line, " ")
			rest = ""
		}
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if base, ok := strings.CutSuffix(name, suffix); ok && histograms[base] {
				name = base
			}
		}
		if into[name] == nil {
			into[name] = map[string]bool{}
		}
		labels, _, _ := strings.Cut(rest, "} ")
		for _, m := range labelName.FindAllStringSubmatch(labels, -1) {
			into[name][m[1]] = true
		}
	}
}

// bearer is the Authorization header of a sample user, with a token from
// the platform's own provider.
func bearer(ctx context.Context, t *testing.T, p *devstack.Platform, user string) map[string]string {
	t.Helper()
	token, err := p.UserToken(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"Authorization": "Bearer " + token}
}

func registerDispute(t *testing.T, intake string, officer map[string]string) string {
	t.Helper()
	body := `{"channel": "alert_110", "external_ref": "110-metrics-1", "county_code": "622901",
	  "place": {"township_code": "622901001", "village_code": "622901001001"}, "category": "neighbour",
	  "parties": [{"role": "applicant", "name": "张三", "phone": "13812345678"}, {"role": "respondent", "name": "李四"}],
	  "summary": "院墙争执", "narrative": "两户因院墙位置发生争执，民警到场劝解。"}`
	var out struct {
		ID string `json:"id"`
	}
	status := callAs(t, http.MethodPost, intake+"/v1/disputes", officer, body, &out)
	if status != http.StatusCreated && status != http.StatusOK || out.ID == "" {
		t.Fatalf("registering a dispute: %d %+v", status, out)
	}
	return out.ID
}

// signJurisdictionCopy waits for the slip, then signs its jurisdiction copy,
// which records the time to acceptance.
func signJurisdictionCopy(ctx context.Context, t *testing.T, referral, id string, centre map[string]string) {
	t.Helper()
	url := referral + "/v1/slips/" + id + ".r1"
	for callAs(t, http.MethodGet, url, centre, "", nil) != http.StatusOK {
		if ctx.Err() != nil {
			t.Fatal("the slip never appeared")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if status := callAs(t, http.MethodPost, url+"/copies/jurisdiction/accept", centre, "", nil); status != http.StatusOK {
		t.Fatalf("signing the jurisdiction copy: %d", status)
	}
}

// publishPoison writes bytes no consumer can decode to the disputes topic,
// so both groups reading it dead-letter one message.
func publishPoison(ctx context.Context, t *testing.T, as messaging.Cluster) {
	t.Helper()
	poison := messaging.Message{Topic: events.TopicDisputes, Key: []byte("poison-metrics"), Value: []byte{0xff, 0x00, '{'}}
	if err := topictest.PublishRaw(ctx, as, poison); err != nil {
		t.Fatal(err)
	}
}

// callAs sends a request with the caller's headers and decodes a JSON answer
// into out, when given; it returns the status.
func callAs(t *testing.T, method, url string, headers map[string]string, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "metrics-"+method+url)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}
