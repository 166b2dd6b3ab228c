package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"fengqiao.dev/embedded/servicetest"
)

// collector is a real OpenTelemetry Collector (bin/otelcol, built by `make
// otelcol` from tools/otelcol/builder-config.yaml) receiving OTLP over HTTP
// and writing what it receives as OTLP JSON lines into files.
type collector struct {
	Endpoint string // http://127.0.0.1:port
	Traces   string // OTLP JSON lines
	Metrics  string
	cmd      *exec.Cmd
}

const collectorConfig = `receivers:
  otlp:
    protocols:
      http:
        endpoint: ${env:OTELCOL_ENDPOINT}
exporters:
  file/traces:
    path: ${env:OTELCOL_OUT}/traces.jsonl
    flush_interval: 100ms
  file/metrics:
    path: ${env:OTELCOL_OUT}/metrics.jsonl
    flush_interval: 100ms
service:
  telemetry:
    metrics:
      level: none
  pipelines:
    traces: {receivers: [otlp], exporters: [file/traces]}
    metrics: {receivers: [otlp], exporters: [file/metrics]}
`

// startCollector runs the collector binary. It is built by `make test`
// (which sets FENGQIAO_REQUIRE_OTELCOL, so a missing binary fails there);
// a plain `go test` without it skips, saying how to build it.
func startCollector(t *testing.T) *collector {
	t.Helper()
	bin := os.Getenv("FENGQIAO_OTELCOL")
	if bin == "" {
		bin, _ = filepath.Abs("../bin/otelcol")
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("FENGQIAO_REQUIRE_OTELCOL") != "" {
			t.Fatalf("no OpenTelemetry Collector at %s: %v", bin, err)
		}
		t.Skipf("no OpenTelemetry Collector at %s: run `make otelcol` (make test builds it)", bin)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "collector.yaml")
	if err := os.WriteFile(cfg, []byte(collectorConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	c := &collector{Endpoint: "http://" + addr, Traces: filepath.Join(dir, "traces.jsonl"), Metrics: filepath.Join(dir, "metrics.jsonl")}
	c.cmd = exec.Command(bin, "--config", cfg)
	c.cmd.Env = append(os.Environ(), "OTELCOL_ENDPOINT="+addr, "OTELCOL_OUT="+dir)
	logs, err := os.Create(filepath.Join(dir, "collector.log"))
	if err != nil {
		t.Fatal(err)
	}
	c.cmd.Stdout, c.cmd.Stderr = logs, logs
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.stop()
		logs.Close()
		if t.Failed() { // the collector's own account, only when it matters
			b, _ := os.ReadFile(logs.Name())
			t.Logf("collector log:\n%s", b)
		}
	})
	servicetest.Eventually(t, 30*time.Second, "the collector listens", func() bool {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			conn.Close()
		}
		return err == nil
	})
	return c
}

// stop ends the collector gracefully (SIGTERM flushes the file exporters).
func (c *collector) stop() {
	if c.cmd.ProcessState != nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	_ = c.cmd.Wait()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// span is one exported span, with its service and attributes flattened.
type span struct {
	Service, TraceID, SpanID, Parent, Name string
	Kind                                   int
	Start                                  uint64
	Attrs                                  map[string]string
	Links                                  []link
	Events                                 []string
}

type link struct {
	TraceID, SpanID string
	Attrs           map[string]string
}

type otlpKV struct {
	Key   string         `json:"key"`
	Value map[string]any `json:"value"`
}

type otlpSpan struct {
	TraceID string   `json:"traceId"`
	SpanID  string   `json:"spanId"`
	Parent  string   `json:"parentSpanId"`
	Name    string   `json:"name"`
	Kind    int      `json:"kind"`
	Start   string   `json:"startTimeUnixNano"`
	Attrs   []otlpKV `json:"attributes"`
	Links   []struct {
		TraceID string   `json:"traceId"`
		SpanID  string   `json:"spanId"`
		Attrs   []otlpKV `json:"attributes"`
	} `json:"links"`
	Events []struct {
		Name string `json:"name"`
	} `json:"events"`
}

type otlpLine struct {
	ResourceSpans []struct {
		Resource struct {
			Attrs []otlpKV `json:"attributes"`
		} `json:"resource"`
		ScopeSpans []struct {
			Spans []otlpSpan `json:"spans"`
		} `json:"scopeSpans"`
	} `json:"resourceSpans"`
}

// readSpans parses the collector's trace file (one OTLP JSON object a line).
func readSpans(t *testing.T, data []byte) []span {
	t.Helper()
	var out []span
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var line otlpLine
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("collector output: %v", err)
		}
		for _, rs := range line.ResourceSpans {
			service := flatten(rs.Resource.Attrs)["service.name"]
			for _, ss := range rs.ScopeSpans {
				for _, s := range ss.Spans {
					out = append(out, convert(service, s))
				}
			}
		}
	}
	return out
}

func convert(service string, s otlpSpan) span {
	start, _ := strconv.ParseUint(s.Start, 10, 64)
	sp := span{Service: service, TraceID: s.TraceID, SpanID: s.SpanID, Parent: s.Parent, Name: s.Name, Kind: s.Kind,
		Start: start, Attrs: flatten(s.Attrs)}
	for _, l := range s.Links {
		sp.Links = append(sp.Links, link{TraceID: l.TraceID, SpanID: l.SpanID, Attrs: flatten(l.Attrs)})
	}
	for _, e := range s.Events {
		sp.Events = append(sp.Events, e.Name)
	}
	return sp
}

func flatten(kvs []otlpKV) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		for _, v := range kv.Value {
			m[kv.Key] = fmt.Sprint(v)
		}
	}
	return m
}

// tree renders the spans of one trace as an indented tree, children in
// start order: what docs/tracing.md shows.
func tree(spans []span, traceID string) string {
	children := map[string][]span{}
	ids := map[string]bool{}
	for _, s := range spans {
		if s.TraceID == traceID {
			ids[s.SpanID] = true
		}
	}
	for _, s := range spans {
		if s.TraceID == traceID {
			parent := s.Parent
			if !ids[parent] {
				parent = ""
			}
			children[parent] = append(children[parent], s)
		}
	}
	for _, c := range children {
		sort.SliceStable(c, func(i, j int) bool { return c[i].Start < c[j].Start })
	}
	var b strings.Builder
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, s := range children[parent] {
			fmt.Fprintf(&b, "%s%s  [%s]", strings.Repeat("  ", depth), s.Name, s.Service)
			for _, l := range s.Links {
				fmt.Fprintf(&b, "  → link to trace %s…", l.TraceID[:8])
			}
			b.WriteString("\n")
			walk(s.SpanID, depth+1)
		}
	}
	walk("", 0)
	return b.String()
}
