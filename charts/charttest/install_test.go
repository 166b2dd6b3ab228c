package charttest

import (
	"context"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var (
	crdGVK       = schema.GroupVersionKind{Group: "apiextensions.k8s.io", Version: "v1", Kind: "CustomResourceDefinition"}
	centerGVK    = schema.GroupVersionKind{Group: "mediation.fengqiao.dev", Version: "v1alpha1", Kind: "MediationCenter"}
	namespaceGVK = schema.GroupVersionKind{Version: "v1", Kind: "Namespace"}
	secretGVK    = schema.GroupVersionKind{Version: "v1", Kind: "Secret"}
)

// The operator's finalizer (operators/mediationcenter FinalizerName). No
// operator runs here, so the test puts it on as the operator would.
const retireFinalizer = "mediation.fengqiao.dev/retire-county"

const (
	platformNS  = "fengqiao-system"
	linxiaNS    = "county-622901"
	linxiaFile  = "622901-linxia.yaml"
	moreStaff   = "charts/charttest/testdata/values/622901-more-staff.yaml"
	linxiaQuota = "charts/charttest/testdata/values/tenant-quota.yaml"
)

// TestInstallUpgradeUninstall installs both charts with the real helm into
// a real apiserver, in the order docs/operations.md gives, and checks what
// the apiserver holds after each step. The steps depend on one another, so
// they run in one test.
func TestInstallUpgradeUninstall(t *testing.T) {
	c := startCluster(t, needHelm(t))
	h := c.helm

	// 1. The platform, with every optional part on, so each kind it can
	// render is checked by the apiserver.
	notes := h.mustRun(t, append([]string{"install"}, platformFull.args("--create-namespace")...)...)
	assertNotes(t, notes, "create secret generic fengqiao-mongodb", "create secret generic fengqiao-kafka")
	// The operator reads KAFKA_SASL_* / KAFKA_TLS now: no plaintext caveat.
	if strings.Contains(notes, "WARNING: the MediationCenter operator") {
		t.Errorf("NOTES.txt still warns that the operator ignores SASL/TLS:\n%s", notes)
	}
	c.assertStored(t, "fengqiao", platformNS)
	c.assertCRDEstablished(t)

	// 2. A county: its MediationCenter is admitted and defaulted by the CRD.
	linxia := tenantRender("622901", linxiaFile, linxiaQuota)
	notes = h.mustRun(t, append([]string{"install"}, linxia.args("--create-namespace")...)...)
	assertNotes(t, notes, "County 临夏市 (622901)", "get mc linxia")
	c.assertStored(t, linxia.release, linxiaNS)
	mc := c.get(t, centerGVK, linxiaNS, "linxia")
	if hours, _, _ := unstructured.NestedInt64(mc.Object, "spec", "escalation", "high", "acceptanceHours"); hours != 2 {
		t.Errorf("spec.escalation.high.acceptanceHours = %d, want the CRD's default 2", hours)
	}

	// 3. What passes the values schema but breaks a CEL rule is refused by
	// the apiserver, and the release records the failure; a changed county
	// code is refused by the chart.
	c.assertRefusedByCEL(t)

	// 4. A county in another county's namespace, and a second tenant of a
	// county, are refused at install with what to do instead.
	c.assertOneTenantPerCounty(t)

	// 5. Changed staffing reaches the resource.
	h.mustRun(t, append([]string{"upgrade"}, tenantRender("622901", linxiaFile, linxiaQuota, moreStaff).args()...)...)
	mc = c.get(t, centerGVK, linxiaNS, "linxia")
	mediators, _, _ := unstructured.NestedSlice(mc.Object, "spec", "mediators")
	if len(mediators) != 8 || mc.GetGeneration() != 2 {
		t.Errorf("after the upgrade: %d mediators at generation %d, want 8 at generation 2", len(mediators), mc.GetGeneration())
	}

	// 6. Removing the county, then the platform.
	c.assertTenantUninstall(t, linxia.release)
	c.assertPlatformUninstallKeepsCRD(t)
}

// assertNotes checks that helm printed the chart's NOTES.txt with want in it.
func assertNotes(t *testing.T, out string, want ...string) {
	t.Helper()
	if _, notes, ok := strings.Cut(out, "NOTES:"); ok && testing.Verbose() {
		t.Log("NOTES:" + notes)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("NOTES.txt does not say %q:\n%s", w, out)
		}
	}
}

func (c *cluster) assertCRDEstablished(t *testing.T) {
	t.Helper()
	eventually(t, "the MediationCenter CRD is established", func() bool {
		crd := c.get(t, crdGVK, "", crdName)
		if crd == nil {
			return false
		}
		conds, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
		for _, cond := range conds {
			m := cond.(map[string]any)
			if m["type"] == "Established" && m["status"] == "True" {
				return true
			}
		}
		return false
	})
}

// assertRefusedByCEL upgrades the county with values the values schema lets
// through but the CRD's CEL rules refuse, and changes a county code in
// place, which the chart refuses before the apiserver's immutability rule:
// the new code does not match the namespace.
func (c *cluster) assertRefusedByCEL(t *testing.T) {
	t.Helper()
	bad := tenantRender("622901", linxiaFile, linxiaQuota, valuesFile(t, `routing: [{category: other, agency: no-such-agency}]`))
	c.helm.mustFail(t, []string{"every routing rule must point at the id of an agency"},
		append([]string{"upgrade"}, bad.args()...)...)
	if mc := c.get(t, centerGVK, linxiaNS, "linxia"); mc == nil || mc.GetGeneration() != 1 {
		t.Error("a MediationCenter spec refused by CEL reached the apiserver")
	}
	c.helm.mustRun(t, "rollback", bad.release, "--namespace", bad.namespace)

	// A render refused by the chart records no revision: nothing to roll back.
	moved := tenantRender("622901", linxiaFile, linxiaQuota)
	c.helm.mustFail(t, []string{"county 622902 must be installed in namespace county-622902"},
		append([]string{"upgrade"}, moved.args("--set-string", "county.code=622902")...)...)
}

// assertOneTenantPerCounty: the chart refuses a county in a namespace not
// its own, and a second tenant of a county that has one, whether in the
// county's namespace or in another (a MediationCenter made without the
// chart); once the other is gone, the county installs.
func (c *cluster) assertOneTenantPerCounty(t *testing.T) {
	t.Helper()
	elsewhere := tenantRender("622901", linxiaFile)
	elsewhere.release, elsewhere.namespace = "county-620902", "county-620902"
	c.helm.mustFail(t, []string{"county 622901 must be installed in namespace county-622901", `not "county-620902"`},
		append([]string{"install"}, elsewhere.args("--create-namespace")...)...)
	if c.get(t, centerGVK, "county-620902", "linxia") != nil {
		t.Error("a county installed in another county's namespace is on the apiserver")
	}

	again := tenantRender("622901", linxiaFile)
	again.release = "county-622901-again"
	c.helm.mustFail(t, []string{"county 622901 already has a tenant: MediationCenter county-622901/linxia"},
		append([]string{"install"}, again.args("--set", "name=linxia-again")...)...)

	const legacyNS = "legacy-suzhou"
	suzhou := tenantRender("620902", "620902-jiuquan-suzhou.yaml")
	c.createCenterIn(t, legacyNS, find(t, objects(t, c.helm.template(t, suzhou)), "MediationCenter", "suzhou"))
	c.helm.mustFail(t, []string{"county 620902 already has a tenant: MediationCenter legacy-suzhou/suzhou"},
		append([]string{"install"}, suzhou.args("--create-namespace")...)...)
	if err := c.resource(t, centerGVK, legacyNS).Delete(context.Background(), "suzhou", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the MediationCenter made without the chart is gone", func() bool {
		return c.get(t, centerGVK, legacyNS, "suzhou") == nil
	})
	c.helm.mustRun(t, append([]string{"install"}, suzhou.args("--create-namespace")...)...)
	c.helm.mustRun(t, "uninstall", suzhou.release, "--namespace", suzhou.namespace)
}

// createCenterIn stores mc in namespace, which it creates, as someone
// would without the chart.
func (c *cluster) createCenterIn(t *testing.T, namespace string, mc *unstructured.Unstructured) {
	t.Helper()
	ctx := context.Background()
	ns := &unstructured.Unstructured{}
	ns.SetGroupVersionKind(namespaceGVK)
	ns.SetName(namespace)
	if _, err := c.resource(t, namespaceGVK, "").Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	mc.SetNamespace(namespace)
	if _, err := c.resource(t, centerGVK, namespace).Create(ctx, mc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// assertTenantUninstall: helm uninstall deletes the MediationCenter, the
// RoleBindings, the ResourceQuota and the release; the namespace (made by
// --create-namespace, not by the chart) stays. With an operator, the
// MediationCenter then waits on its finalizer until the county is retired
// (tombstone written, topics kept); here the test plays the operator: it
// puts the finalizer on, checks that uninstall leaves the resource
// terminating, and removes the finalizer as the operator would.
func (c *cluster) assertTenantUninstall(t *testing.T, release string) {
	t.Helper()
	ctx := context.Background()
	centers := c.resource(t, centerGVK, linxiaNS)
	patch := []byte(`{"metadata":{"finalizers":["` + retireFinalizer + `"]}}`)
	if _, err := centers.Patch(ctx, "linxia", types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	objs := objects(t, c.helm.mustRun(t, "get", "manifest", release, "--namespace", linxiaNS))
	c.helm.mustRun(t, "uninstall", release, "--namespace", linxiaNS)

	mc := c.get(t, centerGVK, linxiaNS, "linxia")
	if mc == nil || mc.GetDeletionTimestamp() == nil {
		t.Fatal("after helm uninstall the MediationCenter should be terminating, waiting for the operator to retire the county")
	}
	if _, err := centers.Patch(ctx, "linxia", types.MergePatchType, []byte(`{"metadata":{"finalizers":null}}`), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "every object of the tenant is gone", func() bool {
		for _, o := range objs {
			if c.get(t, o.GroupVersionKind(), linxiaNS, o.GetName()) != nil {
				return false
			}
		}
		return true
	})
	releases, err := c.resource(t, secretGVK, linxiaNS).List(ctx, metav1.ListOptions{LabelSelector: "owner=helm,name=" + release})
	if err != nil || len(releases.Items) != 0 {
		t.Errorf("helm release records left behind: %v %v", releases, err)
	}
	if c.get(t, namespaceGVK, "", linxiaNS) == nil {
		t.Error("the county namespace should stay: the chart did not create it")
	}
}

// assertPlatformUninstallKeepsCRD: uninstalling the platform keeps the CRD
// (and so every county's MediationCenter), and installing it again adopts
// the kept CRD.
func (c *cluster) assertPlatformUninstallKeepsCRD(t *testing.T) {
	t.Helper()
	c.helm.mustRun(t, "uninstall", "fengqiao", "--namespace", platformNS)
	if c.get(t, crdGVK, "", crdName) == nil {
		t.Fatal("helm uninstall of the platform deleted the MediationCenter CRD")
	}
	eventually(t, "the operator's Deployment is gone", func() bool {
		return c.get(t, schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}, platformNS, operatorRole) == nil
	})
	c.helm.mustRun(t, append([]string{"install"}, platformDefault.args()...)...)
	c.assertStored(t, "fengqiao", platformNS)
}
