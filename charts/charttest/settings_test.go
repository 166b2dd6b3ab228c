package charttest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// TestOperatorFlagsExist: every flag the chart passes the operator is one
// its cmd/manager defines, and it runs with leader election in the release
// namespace (the Lease rule comes from the markers, see drift_test.go).
func TestOperatorFlagsExist(t *testing.T) {
	h := needHelm(t)
	main := readSource(t, h.root, "operators/mediationcenter/cmd/manager/main.go")
	d := find(t, objects(t, h.template(t, platformDefault)), "Deployment", operatorRole)
	args := d.Object["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)["args"].([]any)
	var joined []string
	for _, a := range args {
		flag, _, _ := strings.Cut(strings.TrimPrefix(a.(string), "--"), "=")
		if !strings.Contains(main, `"`+flag+`"`) {
			t.Errorf("the chart passes --%s, which cmd/manager does not define", flag)
		}
		joined = append(joined, a.(string))
	}
	for _, want := range []string{"--leader-elect=true", "--leader-election-namespace=" + platformDefault.namespace} {
		if !strings.Contains(strings.Join(joined, " "), want) {
			t.Errorf("operator args %v lack %s", joined, want)
		}
	}
}

// TestServiceSettingsAreRead: every variable in a service's ConfigMap is
// one pkg/config or pkg/bootstrap reads, or a standard one (OTEL_* for the
// OpenTelemetry SDK, SSL_CERT_FILE for Go's crypto/x509).
func TestServiceSettingsAreRead(t *testing.T) {
	h := needHelm(t)
	readers := readSource(t, h.root, "pkg/config/config.go") + readSource(t, h.root, "pkg/bootstrap/main.go")
	for _, r := range []render{platformDefault, platformFull} {
		for _, o := range objects(t, h.template(t, r)) {
			if o.GetKind() != "ConfigMap" || o.GetLabels()["grafana_dashboard"] != "" {
				continue // a dashboard is Grafana's, not a service's
			}
			for name := range o.Object["data"].(map[string]any) {
				standard := strings.HasPrefix(name, "OTEL_") || name == "SSL_CERT_FILE"
				if !standard && !strings.Contains(readers, `"`+name+`"`) {
					t.Errorf("%s: ConfigMap %s sets %s, which no service reads", r.golden, o.GetName(), name)
				}
			}
		}
	}
}

func readSource(t *testing.T, root, path string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// TestCalendarAlertRule: asked for, on a cluster that serves PrometheusRule,
// the chart ships the alert on the holiday calendar's end, on the gauge
// referral exposes; without the kind it renders nothing, so an install on a
// cluster without the Prometheus Operator still succeeds.
func TestCalendarAlertRule(t *testing.T) {
	h := needHelm(t)
	if strings.Contains(h.template(t, platformDefault, "--set", "prometheusRules.enabled=true"), "kind: PrometheusRule") {
		t.Error("a PrometheusRule was rendered for a cluster without the kind")
	}
	manifest := h.template(t, platformDefault, "--set", "prometheusRules.enabled=true",
		"--api-versions", "monitoring.coreos.com/v1/PrometheusRule")
	rule := find(t, objects(t, manifest), "PrometheusRule", "fengqiao-alerts")
	groups, _, _ := unstructured.NestedSlice(rule.Object, "spec", "groups")
	text := fmt.Sprint(groups)
	for _, want := range []string{"FengqiaoHolidayCalendarEnding", "fengqiao_calendar_coverage_remaining_days", "$labels.fengqiao_calendar_last_covered_day"} {
		if !strings.Contains(text, want) {
			t.Errorf("the alert rule lacks %q: %s", want, text)
		}
	}
	// The OTel gauge fengqiao.calendar.coverage.remaining, unit days, is
	// exported to Prometheus as fengqiao_calendar_coverage_remaining_days.
	if !strings.Contains(readSource(t, h.root, "services/referral/coverage.go"), `"fengqiao.calendar.coverage.remaining"`) {
		t.Error("referral no longer names the gauge the alert reads")
	}
}
