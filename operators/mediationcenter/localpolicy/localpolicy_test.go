package localpolicy_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded"
	"fengqiao.dev/operators/mediationcenter/internal/countypolicy"
	"fengqiao.dev/operators/mediationcenter/localpolicy"
	"fengqiao.dev/pkg/policywatch"
)

const minimal = `
apiVersion: mediation.fengqiao.dev/v1alpha1
kind: MediationCenter
metadata: {name: minimal}
spec:
  county: {code: "622901", name: 临夏市}
  jurisdiction: [{id: bafang, name: 八坊街道}]
  agencies: [{id: centre, name: 临夏市综治中心, kind: governance_centre}]
  mediators: [{id: m1, agency: centre, role: people_mediator, tier: 1, skills: [other], onCall: true}]
  routing: [{category: other, agency: centre}]
`

// TestDefaultsMatchCRD: the CRD's defaults (applied by the apiserver, and
// here by localpolicy) and countypolicy's Go fallbacks give the same policy.
func TestDefaultsMatchCRD(t *testing.T) {
	centers, err := localpolicy.Load(context.Background(), []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	viaCRD := localpolicy.Derive(&centers[0])
	bare := centers[0].DeepCopy()
	bare.Spec.Escalation.High, bare.Spec.Escalation.Medium, bare.Spec.Escalation.Low = nil, nil, nil
	bare.Spec.Escalation.MaxReturns, bare.Spec.Escalation.WarnAtPercent = nil, nil
	bare.Spec.Escalation.FailuresToEscalate, bare.Spec.Escalation.RepeatWindowDays = 0, 0
	bare.Spec.Escalation.RiskScoreHigh, bare.Spec.Escalation.RiskScoreMedium = 0, 0
	bare.Spec.Revisit.DeadlineDays, bare.Spec.Revisit.Channels, bare.Spec.Revisit.ReboundProne = 0, nil, nil
	bare.Spec.Revisit.TargetRatePercent = 0
	bare.Spec.WarningIndex.YellowFrom, bare.Spec.WarningIndex.RedFrom = 0, 0
	bare.Spec.WarningIndex.ResolutionRateTargetPercent, bare.Spec.WarningIndex.OverdueRedCount = 0, 0
	bare.Spec.Mediators[0].Capacity = nil
	viaGo := countypolicy.Derive(bare, "")
	if viaCRD.Hash != viaGo.Hash {
		a, _ := policy.Encode(viaCRD)
		b, _ := policy.Encode(viaGo)
		t.Errorf("CRD defaults and Go defaults differ:\nCRD: %s\nGo:  %s", a, b)
	}
	if *centers[0].Spec.Mediators[0].Capacity != countypolicy.DefaultCapacity {
		t.Errorf("capacity default %d", *centers[0].Spec.Mediators[0].Capacity)
	}
}

// TestCategoriesMatchCRD: the CRD's category enum is the policy's list.
func TestCategoriesMatchCRD(t *testing.T) {
	raw, err := os.ReadFile("crd.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.Unmarshal(raw, &crd); err != nil {
		t.Fatal(err)
	}
	routing := crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"].Properties["routing"]
	var enum []string
	for _, e := range routing.Items.Schema.Properties["category"].Enum {
		enum = append(enum, strings.Trim(string(e.Raw), `"`))
	}
	var want []string
	for _, c := range policy.Categories() {
		want = append(want, string(c))
	}
	if !slices.Equal(enum, want) {
		t.Errorf("CRD categories %v\npolicy categories %v", enum, want)
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"unknown field", strings.Replace(minimal, "routing:", "routingz: []\n  routing:", 1), "unknown fields: spec.routingz"},
		{"not a MediationCenter", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", "not a MediationCenter"},
		{"no name", strings.Replace(minimal, "metadata: {name: minimal}", "metadata: {}", 1), "metadata.name: Required value"},
		{"bad code", strings.Replace(minimal, `"622901"`, `"62290X"`, 1), "county code must be the 6-digit GB/T 2260"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := localpolicy.Load(context.Background(), []byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestLoadDirRejectsTwoSourcesForACounty(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.yaml", "b.yml"} {
		doc := strings.Replace(minimal, "name: minimal", "name: "+strings.TrimSuffix(name, filepath.Ext(name)), 1)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_, err := localpolicy.LoadDir(dir)
	if err == nil || !strings.Contains(err.Error(), "county 622901 is governed by two MediationCenters") {
		t.Errorf("err = %v", err)
	}
}

// TestPublishSamples is what `make run` does: the sample counties reach a
// service's policywatch through the operator's own publisher; publishing
// again is idempotent.
func TestPublishSamples(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the embedded broker")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := embedded.StartBroker(ctx, embedded.BrokerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	centers, err := localpolicy.LoadDir("../config/samples")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := localpolicy.Publish(ctx, b.Addrs, centers...); err != nil {
			t.Fatal(err)
		}
	}
	w := policywatch.New(policywatch.Config{Brokers: b.Addrs, MaxWait: 50 * time.Millisecond})
	go func() { _ = w.Run(ctx) }()
	if err := w.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.Counties(); !slices.Equal(got, []string{"370202", "620902", "622901"}) {
		t.Fatalf("counties %v", got)
	}
	p, _ := w.Policy("370202")
	if a, ok := p.Route(policy.Neighbour, "jiangsulu"); !ok || a.Name != "江苏路街道综治中心" {
		t.Errorf("Shinan neighbour dispute in 江苏路街道 routed to %+v", a)
	}
	if !strings.HasSuffix(p.Source, "370202-qingdao-shinan.yaml") || p.Revisit.Deadline.Duration != 14*24*time.Hour {
		t.Errorf("source %s, revisit deadline %v", p.Source, p.Revisit.Deadline)
	}
	if err := localpolicy.Retire(ctx, b.Addrs, "370202"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, ok := w.Policy("370202"); ok; _, ok = w.Policy("370202") {
		if time.Now().After(deadline) {
			t.Fatal("370202 not retired")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServiceDefaultsAreTheCRDs: what a service decides on for a county it
// holds no policy of (api/policy's defaults) is what the CRD's defaulting
// publishes for a county that sets nothing.
func TestServiceDefaultsAreTheCRDs(t *testing.T) {
	centers, err := localpolicy.Load(context.Background(), []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	viaCRD := localpolicy.Derive(&centers[0])
	for _, c := range []struct {
		what      string
		crd, code any
	}{
		{"escalation", viaCRD.Escalation, policy.DefaultEscalation()},
		{"revisit", viaCRD.Revisit, policy.DefaultRevisit()},
		{"warningIndex", viaCRD.WarningIndex, policy.DefaultWarningIndex()},
	} {
		if !reflect.DeepEqual(c.crd, c.code) {
			t.Errorf("the CRD's %s defaults and api/policy's differ:\nCRD:    %+v\npolicy: %+v", c.what, c.crd, c.code)
		}
	}
}
