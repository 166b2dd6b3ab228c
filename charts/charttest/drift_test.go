package charttest

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"sigs.k8s.io/yaml"
)

// What controller-gen generates from the operator's markers (make generate),
// and the platform chart's copies of it (make charts-sync).
const (
	crdPath        = "operators/mediationcenter/config/crd/mediation.fengqiao.dev_mediationcenters.yaml"
	rolePath       = "operators/mediationcenter/config/rbac/role.yaml"
	chartCRDPath   = "charts/fengqiao/files/mediation.fengqiao.dev_mediationcenters.yaml"
	chartRolePath  = "charts/fengqiao/files/operator-role.yaml"
	operatorRole   = "fengqiao-mediationcenter-operator"
	crdName        = "mediationcenters.mediation.fengqiao.dev"
	samplesDir     = "operators/mediationcenter/config/samples"
	keepAnnotation = "helm.sh/resource-policy"
)

// TestChartCopiesMatchGenerated: the chart's files/ are byte-for-byte the
// generated CRD and ClusterRole.
func TestChartCopiesMatchGenerated(t *testing.T) {
	root := repoRoot(t)
	for generated, copied := range map[string]string{crdPath: chartCRDPath, rolePath: chartRolePath} {
		g, err := os.ReadFile(filepath.Join(root, generated))
		if err != nil {
			t.Fatal(err)
		}
		c, err := os.ReadFile(filepath.Join(root, copied))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(g, c) {
			t.Errorf("%s differs from %s: run `make charts-sync`", copied, generated)
		}
	}
}

// TestRenderedRBACAndCRDMatchGenerated: what the chart installs is what
// controller-gen generated: the operator's ClusterRole has exactly the
// markers' rules, and the CRD differs only by the chart's labels and the
// keep annotation.
func TestRenderedRBACAndCRDMatchGenerated(t *testing.T) {
	h := needHelm(t)
	objs := objects(t, h.template(t, platformDefault))
	generatedRole := readYAML(t, filepath.Join(h.root, rolePath))
	role := find(t, objs, "ClusterRole", operatorRole)
	if !reflect.DeepEqual(role.Object["rules"], generatedRole["rules"]) {
		t.Errorf("ClusterRole %s rules differ from %s:\n%v\n%v", operatorRole, rolePath, role.Object["rules"], generatedRole["rules"])
	}
	binding := find(t, objs, "ClusterRoleBinding", operatorRole)
	if sa := binding.Object["subjects"].([]any)[0].(map[string]any)["name"]; sa != operatorRole {
		t.Errorf("ClusterRoleBinding binds %v, want the operator's ServiceAccount %s", sa, operatorRole)
	}
	crd := find(t, objs, "CustomResourceDefinition", crdName)
	if crd.GetAnnotations()[keepAnnotation] != "keep" {
		t.Errorf("the CRD lacks %s: keep", keepAnnotation)
	}
	generatedCRD := readYAML(t, filepath.Join(h.root, crdPath))
	if !reflect.DeepEqual(crd.Object["spec"], generatedCRD["spec"]) {
		t.Errorf("the rendered CRD's spec differs from %s", crdPath)
	}
}

// TestExamplesRenderTheOperatorSamples: each example values file renders
// the MediationCenter of the operator's sample for that county, exactly.
func TestExamplesRenderTheOperatorSamples(t *testing.T) {
	h := needHelm(t)
	for _, c := range exampleCounties {
		t.Run(c.code, func(t *testing.T) {
			sample := readYAML(t, filepath.Join(h.root, samplesDir, c.file))
			meta := sample["metadata"].(map[string]any)
			objs := objects(t, h.template(t, tenantRender(c.code, c.file)))
			mc := find(t, objs, "MediationCenter", meta["name"].(string))
			if mc.GetNamespace() != meta["namespace"] {
				t.Errorf("namespace %q, the sample's is %q", mc.GetNamespace(), meta["namespace"])
			}
			if !reflect.DeepEqual(mc.Object["spec"], sample["spec"]) {
				t.Errorf("the rendered spec differs from the sample %s", c.file)
			}
		})
	}
}

func readYAML(t *testing.T, path string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatalf("while parsing %s: %v", path, err)
	}
	return m
}
