package charttest

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// render is one way the charts are rendered: a chart, a release, a
// namespace and values files (relative to the repository root).
type render struct {
	golden    string // testdata/golden/<golden>.yaml
	chart     string
	release   string
	namespace string
	values    []string
	// apiVersions the cluster is taken to serve (helm template
	// --api-versions; an install asks the cluster itself).
	apiVersions []string
}

// platformDefault is the platform chart with its own defaults; platformFull
// turns on every optional part (SASL, TLS CA, OTLP, HPA, NetworkPolicy).
var (
	platformDefault = render{"fengqiao-default", "charts/fengqiao", "fengqiao", "fengqiao-system", nil, nil}
	// platformFull also renders the monitoring objects, on a cluster that
	// serves the Prometheus Operator's kinds.
	platformFull = render{"fengqiao-full", "charts/fengqiao", "fengqiao", "fengqiao-system",
		[]string{"charts/charttest/testdata/values/fengqiao-full.yaml"}, monitoringKinds}
	// platformProduction is the documented production install
	// (charts/examples/values-production.yaml): Strimzi Kafka over TLS and
	// SCRAM, one principal per component, the MongoDB replica set.
	platformProduction = render{"fengqiao-production", "charts/fengqiao", "fengqiao", "fengqiao-system",
		[]string{"charts/examples/values-production.yaml"}, nil}
)

// exampleCounties are the tenant examples, one per sample county of the operator.
var exampleCounties = []struct{ code, file string }{
	{"622901", "622901-linxia.yaml"},
	{"620902", "620902-jiuquan-suzhou.yaml"},
	{"370202", "370202-qingdao-shinan.yaml"},
}

func tenantRender(code, file string, extra ...string) render {
	ns := "county-" + code
	return render{"county-tenant-" + strings.TrimSuffix(file, ".yaml"), "charts/county-tenant", ns, ns,
		append([]string{"charts/county-tenant/examples/" + file}, extra...), nil}
}

// renders are every render with a golden file.
func renders() []render {
	rs := []render{platformDefault, platformFull, platformProduction}
	for _, c := range exampleCounties {
		rs = append(rs, tenantRender(c.code, c.file))
	}
	quota := tenantRender("622901", "622901-linxia.yaml", "charts/charttest/testdata/values/tenant-quota.yaml")
	quota.golden = "county-tenant-622901-quota"
	return append(rs, quota)
}

// args are helm's arguments after the command (template, install, lint...).
func (r render) args(extra ...string) []string {
	a := []string{r.release, r.chart, "--namespace", r.namespace}
	for _, v := range r.values {
		a = append(a, "--values", v)
	}
	return append(a, extra...)
}

// template renders r with helm template.
func (h helm) template(t *testing.T, r render, extra ...string) string {
	t.Helper()
	for _, v := range r.apiVersions {
		extra = append(extra, "--api-versions", v)
	}
	return h.mustRun(t, append([]string{"template"}, r.args(extra...)...)...)
}

// objects parses a multi-document manifest, skipping empty documents.
func objects(t *testing.T, manifest string) []*unstructured.Unstructured {
	t.Helper()
	dec := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(manifest), 4096)
	var out []*unstructured.Unstructured
	for {
		var m map[string]any
		if err := dec.Decode(&m); err == io.EOF {
			return out
		} else if err != nil {
			t.Fatalf("while parsing the manifest: %v", err)
		}
		if len(m) > 0 {
			out = append(out, &unstructured.Unstructured{Object: m})
		}
	}
}

// find returns the one object of kind and name, failing the test otherwise.
func find(t *testing.T, objs []*unstructured.Unstructured, kind, name string) *unstructured.Unstructured {
	t.Helper()
	for _, o := range objs {
		if o.GetKind() == kind && o.GetName() == name {
			return o
		}
	}
	t.Fatalf("no %s %q rendered", kind, name)
	return nil
}

func TestGolden(t *testing.T) {
	h := needHelm(t)
	for _, r := range renders() {
		t.Run(r.golden, func(t *testing.T) {
			got := []byte(h.template(t, r))
			path := filepath.Join("testdata", "golden", r.golden+".yaml")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run `go test ./... -update` in charts/charttest to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the render:\n%s\nif the change is intended, run `go test ./... -update` in charts/charttest",
					path, firstDifference(string(want), string(got)))
			}
		})
	}
}

// firstDifference shows the first line where want and got part.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  golden: " + wl + "\n  render: " + gl
		}
	}
	return "(same lines, different bytes)"
}
