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
	// the apiserver, and the release records the failure.
	c.assertRefusedByCEL(t)

	// 4. Changed staffing reaches the resource.
	h.mustRun(t, append([]string{"upgrade"}, tenantRender("622901", linxiaFile, linxiaQuota, moreStaff).args()...)...)
	mc = c.get(t, centerGVK, linxiaNS, "linxia")
	mediators, _, _ := unstructured.NestedSlice(mc.Object, "spec", "mediators")
	if len(mediators) != 8 || mc.GetGeneration() != 2 {
		t.Errorf("after the upgrade: %d mediators at generation %d, want 8 at generation 2", len(mediators), mc.GetGeneration())
	}

	// 5. Removing the county, then the platform.
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

// assertRefusedByCEL installs counties the values schema lets through but
// the CRD's CEL rules refuse, and changes a county code in place.
func (c *cluster) assertRefusedByCEL(t *testing.T) {
	t.Helper()
	bad := tenantRender("622901", linxiaFile, valuesFile(t, `routing: [{category: other, agency: no-such-agency}]`))
	bad.release, bad.namespace = "county-bad", "county-bad"
	c.helm.mustFail(t, []string{"every routing rule must point at the id of an agency"},
		append([]string{"install"}, bad.args("--create-namespace")...)...)
	if c.get(t, centerGVK, "county-bad", "linxia") != nil {
		t.Error("a MediationCenter refused by CEL is on the apiserver")
	}
	c.helm.mustRun(t, "uninstall", bad.release, "--namespace", bad.namespace)

	moved := tenantRender("622901", linxiaFile, linxiaQuota)
	c.helm.mustFail(t, []string{"county code is immutable"},
		append([]string{"upgrade"}, moved.args("--set-string", "county.code=622902")...)...)
	c.helm.mustRun(t, "rollback", moved.release, "--namespace", moved.namespace)
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
