package charttest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// monitoringKinds are the Prometheus Operator's kinds the chart renders
// only where the cluster serves them.
var monitoringKinds = []string{
	"monitoring.coreos.com/v1/PrometheusRule", "monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PodMonitor",
}

// allObservability renders the platform with its rules, monitors and
// dashboards on, on a cluster that serves the monitoring kinds.
func allObservability(t *testing.T, h helm) []*unstructured.Unstructured {
	t.Helper()
	args := []string{"--set", "prometheusRules.enabled=true,monitors.enabled=true,dashboards.enabled=true"}
	for _, k := range monitoringKinds {
		args = append(args, "--api-versions", k)
	}
	return objects(t, h.template(t, platformDefault, args...))
}

// scrapeLabels are the labels Prometheus adds to every series it scrapes
// through the chart's monitors.
var scrapeLabels = []string{"job", "instance", "namespace", "pod", "service", "container", "endpoint"}

// generatedMetrics are series Prometheus makes itself, not a target.
var generatedMetrics = map[string][]string{"up": nil}

// TestDashboardsAndRulesUseExposedMetrics parses every PromQL expression of
// every alert rule and dashboard the chart ships, and fails on one that
// does not parse or names a metric, or a label of it, that
// docs/tracing.md's metrics table does not list: the table is what the
// services are checked to expose (devstack.TestMetricsAreDocumented), so a
// rule on a renamed metric fails here rather than staying silent in a
// cluster.
func TestDashboardsAndRulesUseExposedMetrics(t *testing.T) {
	h := needHelm(t)
	docs := readSource(t, h.root, "docs/tracing.md")
	exposed := documentedSeries(t, docs)
	objs := allObservability(t, h)
	exprs := map[string]string{} // where → expression
	for _, o := range objs {
		switch o.GetKind() {
		case "PrometheusRule":
			for where, expr := range ruleExpressions(t, o) {
				exprs[where] = expr
			}
		case "ConfigMap":
			if o.GetLabels()["grafana_dashboard"] == "" {
				continue
			}
			data, _, _ := unstructured.NestedStringMap(o.Object, "data")
			for file, raw := range data {
				for where, expr := range dashboardExpressions(t, file, raw) {
					exprs[where] = expr
				}
			}
		}
	}
	if len(exprs) < 20 {
		t.Fatalf("only %d expressions found in the rules and dashboards", len(exprs))
	}
	for where, expr := range exprs {
		e, err := parser.NewParser(parser.Options{}).ParseExpr(withoutGrafanaVariables(expr))
		if err != nil {
			t.Errorf("%s: %v\n%s", where, err, expr)
			continue
		}
		for _, vs := range selectors(e) {
			name, labelNames := selected(vs)
			known, ok := exposed[name]
			if !ok {
				t.Errorf("%s names %s, which no service or the operator exposes (docs/tracing.md)", where, name)
				continue
			}
			for _, l := range labelNames {
				if known != nil && !known[l] && !slices.Contains(scrapeLabels, l) {
					t.Errorf("%s selects %s by %s, a label it does not have", where, name, l)
				}
			}
		}
	}
}

// TestEveryAlertHasARunbook: each alert's runbook_url points at a section
// of docs/tracing.md named for it.
func TestEveryAlertHasARunbook(t *testing.T) {
	h := needHelm(t)
	docs := readSource(t, h.root, "docs/tracing.md")
	want := []string{"FengqiaoConsumerLagGrowing", "FengqiaoDeadLettersGrowing", "FengqiaoCopyPastDeadlineUnsigned",
		"FengqiaoServiceNotReady", "FengqiaoHolidayCalendarEnding", "FengqiaoPolicyNotPublished"}
	var got []string
	for _, o := range allObservability(t, h) {
		if o.GetKind() != "PrometheusRule" {
			continue
		}
		groups, _, _ := unstructured.NestedSlice(o.Object, "spec", "groups")
		for _, g := range groups {
			rules, _, _ := unstructured.NestedSlice(g.(map[string]any), "rules")
			for _, r := range rules {
				rule := r.(map[string]any)
				alert, _ := rule["alert"].(string)
				got = append(got, alert)
				url, _, _ := unstructured.NestedString(rule, "annotations", "runbook_url")
				if anchor := "#" + strings.ToLower(alert); !strings.HasSuffix(url, anchor) {
					t.Errorf("%s: runbook_url %q does not end in %s", alert, url, anchor)
				}
				if !strings.Contains(docs, "\n### "+alert+"\n") {
					t.Errorf("docs/tracing.md has no runbook section ### %s", alert)
				}
			}
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("alerts %v, want %v", got, want)
	}
}

// TestMonitoringIsOffByDefaultAndNeedsItsKinds: nothing of it renders by
// default, and asked for on a cluster without the Prometheus Operator only
// the dashboards (plain ConfigMaps) do.
func TestMonitoringIsOffByDefaultAndNeedsItsKinds(t *testing.T) {
	h := needHelm(t)
	for _, o := range objects(t, h.template(t, platformDefault)) {
		if slices.Contains([]string{"PrometheusRule", "ServiceMonitor", "PodMonitor"}, o.GetKind()) || strings.Contains(o.GetName(), "dashboard") {
			t.Errorf("%s %s rendered by default", o.GetKind(), o.GetName())
		}
	}
	objs := objects(t, h.template(t, platformDefault, "--set", "prometheusRules.enabled=true,monitors.enabled=true,dashboards.enabled=true"))
	dashboards := 0
	for _, o := range objs {
		if strings.HasPrefix(o.GetAPIVersion(), "monitoring.coreos.com/") {
			t.Errorf("%s rendered on a cluster without its kind", o.GetKind())
		}
		if o.GetKind() == "ConfigMap" && o.GetLabels()["grafana_dashboard"] == "1" {
			dashboards++
		}
	}
	if dashboards != 3 {
		t.Errorf("%d dashboard ConfigMaps, want 3 (platform, handoffs, county)", dashboards)
	}
}

// documentedSeries reads docs/tracing.md's metrics table into series names
// (a histogram's _bucket, _sum and _count) → their label names; the
// operator's metrics named under it take any label (nil).
func documentedSeries(t *testing.T, docs string) map[string]map[string]bool {
	t.Helper()
	quoted := regexp.MustCompile("`([a-z_][a-z0-9_]*)`")
	out := map[string]map[string]bool{}
	var previous map[string]bool
	inTable := false
	for _, line := range strings.Split(docs, "\n") {
		if strings.HasPrefix(line, "| metric (Prometheus name)") {
			inTable = true
			continue
		}
		if !inTable || strings.HasPrefix(line, "| ---") {
			continue
		}
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(line, "|")
		lbls := map[string]bool{}
		if strings.HasPrefix(strings.TrimSpace(cells[3]), "same") {
			for l := range previous {
				lbls[l] = true
			}
		}
		for _, m := range quoted.FindAllStringSubmatch(cells[3], -1) {
			lbls[m[1]] = true
		}
		histogram := strings.TrimSpace(cells[2]) == "histogram"
		for _, m := range quoted.FindAllStringSubmatch(cells[1], -1) {
			out[m[1]] = lbls
			if histogram {
				for _, s := range []string{"_bucket", "_sum", "_count"} {
					out[m[1]+s] = lbls
				}
			}
		}
		previous = lbls
	}
	if len(out) == 0 {
		t.Fatal("no metrics table in docs/tracing.md")
	}
	for _, op := range []string{"controller_runtime_reconcile_errors_total", "controller_runtime_reconcile_total"} {
		if !strings.Contains(docs, "`"+op+"`") {
			t.Errorf("docs/tracing.md does not name the operator's %s", op)
		}
		out[op] = nil
	}
	for name, l := range generatedMetrics {
		out[name] = map[string]bool{}
		for _, n := range l {
			out[name][n] = true
		}
	}
	return out
}

func ruleExpressions(t *testing.T, rule *unstructured.Unstructured) map[string]string {
	t.Helper()
	out := map[string]string{}
	groups, _, _ := unstructured.NestedSlice(rule.Object, "spec", "groups")
	for _, g := range groups {
		rules, _, _ := unstructured.NestedSlice(g.(map[string]any), "rules")
		for _, r := range rules {
			m := r.(map[string]any)
			out[fmt.Sprintf("alert %v", m["alert"])] = fmt.Sprint(m["expr"])
		}
	}
	return out
}

// dashboard is what the test reads of a Grafana dashboard.
type dashboard struct {
	Title  string `json:"title"`
	Panels []struct {
		Title   string `json:"title"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
	Templating struct {
		List []struct {
			Name  string `json:"name"`
			Query any    `json:"query"`
		} `json:"list"`
	} `json:"templating"`
}

// labelValues is Grafana's variable query label_values(<selector>, <label>).
var labelValues = regexp.MustCompile(`^label_values\((.+),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$`)

func dashboardExpressions(t *testing.T, file, raw string) map[string]string {
	t.Helper()
	var d dashboard
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Errorf("dashboard %s is not JSON: %v", file, err)
		return nil
	}
	out := map[string]string{}
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("dashboard %s: panel %q has no query", file, p.Title)
		}
		for i, target := range p.Targets {
			out[fmt.Sprintf("dashboard %s panel %q query %d", file, p.Title, i)] = target.Expr
		}
	}
	for _, v := range d.Templating.List {
		q, ok := v.Query.(map[string]any)
		if !ok {
			continue
		}
		if m := labelValues.FindStringSubmatch(fmt.Sprint(q["query"])); m != nil {
			// The selector must name the label, or the variable lists nothing.
			out[fmt.Sprintf("dashboard %s variable %s", file, v.Name)] = fmt.Sprintf("count by (%s) (%s)", m[2], m[1])
		}
	}
	return out
}

// grafanaVariables are $name, ${name} and [$__rate_interval]-style
// references; each becomes something PromQL parses in its place.
var (
	grafanaRange    = regexp.MustCompile(`\[\$\{?__(rate_interval|interval|range)\}?\]`)
	grafanaVariable = regexp.MustCompile(`\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?`)
)

func withoutGrafanaVariables(expr string) string {
	return grafanaVariable.ReplaceAllString(grafanaRange.ReplaceAllString(expr, "[5m]"), "x")
}

func selectors(e parser.Expr) []*parser.VectorSelector {
	var out []*parser.VectorSelector
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			out = append(out, vs)
		}
		return nil
	})
	return out
}

// selected is the metric a selector names and the labels it matches on.
func selected(vs *parser.VectorSelector) (string, []string) {
	name := vs.Name
	var names []string
	for _, m := range vs.LabelMatchers {
		if m.Name == labels.MetricName {
			name = m.Value
			continue
		}
		names = append(names, m.Name)
	}
	return name, names
}
