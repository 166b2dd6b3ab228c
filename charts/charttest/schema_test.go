package charttest

import (
	"os"
	"path/filepath"
	"testing"
)

// badValues is a values file the chart's schema must refuse, and what the
// error must name so the installer knows what to fix.
type badValues struct {
	name   string
	values string
	want   []string
}

// TestTenantSchemaRefusesBadValues: the county-tenant schema refuses a bad
// county and missing staffing before anything reaches the apiserver.
func TestTenantSchemaRefusesBadValues(t *testing.T) {
	h := needHelm(t)
	for _, tc := range []badValues{
		{"county code of five digits", `county: {code: "62290", name: 临夏市}`, []string{"/county/code", "[1-8][0-9]{5}"}},
		{"county code of letters", `county: {code: "LX0001", name: 临夏市}`, []string{"/county/code"}},
		{"county code starting with 9", `county: {code: "922901", name: 临夏市}`, []string{"/county/code", "[1-8][0-9]{5}"}},
		{"county code unquoted", `county: {code: 622901, name: 临夏市}`, []string{"/county/code", "string"}},
		{"county with an empty name", `county: {code: "622901", name: ""}`, []string{"/county/name"}},
		{"no staffing", `mediators: null`, []string{"mediators"}},
		{"empty staffing", `mediators: []`, []string{"/mediators"}},
		{"mediator without skills", `mediators: [{id: m1, agency: city-centre, role: people_mediator, tier: 1}]`, []string{"/mediators/0", "skills"}},
		{"mediator at tier 4", `mediators: [{id: m1, agency: city-centre, role: people_mediator, tier: 4, skills: [labour]}]`, []string{"/mediators/0/tier"}},
		{"unknown category", `routing: [{category: feng_shui, agency: city-centre}]`, []string{"/routing/0/category"}},
		{"misspelt key", `mediator: []`, []string{"mediator"}},
		{"revisit deadline of a year", `revisit: {deadlineDays: 365}`, []string{"/revisit/deadlineDays"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tenantRender("622901", "622901-linxia.yaml", valuesFile(t, tc.values))
			h.mustFail(t, tc.want, append([]string{"template"}, r.args()...)...)
		})
	}
	t.Run("no county at all", func(t *testing.T) {
		h.mustFail(t, []string{"county", "mediators"}, "template", "x", "charts/county-tenant")
	})
}

// TestPlatformSchemaRefusesBadValues: the platform schema refuses wrong
// dependency settings at install, naming the value.
func TestPlatformSchemaRefusesBadValues(t *testing.T) {
	h := needHelm(t)
	for _, tc := range []badValues{
		{"no brokers", `kafka: {brokers: []}`, []string{"/kafka/brokers"}},
		{"broker without port", `kafka: {brokers: [kafka.svc]}`, []string{"/kafka/brokers/0"}},
		{"unknown SASL mechanism", `kafka: {sasl: {enabled: true, mechanism: GSSAPI}}`, []string{"/kafka/sasl/mechanism"}},
		{"SASL without its Secret", `kafka: {sasl: {enabled: true, existingSecret: ""}}`, []string{"/kafka/sasl/existingSecret"}},
		{"MongoDB without its Secret", `mongodb: {existingSecret: ""}`, []string{"/mongodb/existingSecret"}},
		{"OTLP endpoint without scheme", `otel: {endpoint: "collector:4317"}`, []string{"/otel/endpoint"}},
		{"unknown log level", `logLevel: verbose`, []string{"/logLevel"}},
		{"unknown service", `services: {gateway: {enabled: true}}`, []string{"/services", "gateway"}},
		{"bad image tag", `image: {tag: "v1 beta"}`, []string{"/image/tag"}},
		{"bad resync", `operator: {resync: "5 minutes"}`, []string{"/operator/resync"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := platformDefault
			r.values = []string{valuesFile(t, tc.values)}
			h.mustFail(t, tc.want, append([]string{"template"}, r.args()...)...)
		})
	}
}

// valuesFile writes values to a temporary file and returns its path.
func valuesFile(t *testing.T, values string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "values.yaml")
	if err := os.WriteFile(path, []byte(values+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
