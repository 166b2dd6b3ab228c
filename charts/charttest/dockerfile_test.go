package charttest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// images maps each default image repository to the Dockerfile building it
// and the binary it runs.
var images = map[string]struct{ dockerfile, binary, pkg string }{
	"mediationcenter-operator": {"operators/mediationcenter/Dockerfile", "manager", "operators/mediationcenter/cmd/manager"},
	"intake":                   {"services/intake/Dockerfile", "intake", "services/intake/cmd/intake"},
	"referral":                 {"services/referral/Dockerfile", "referral", "services/referral/cmd/referral"},
	"mediation-room":           {"services/mediation-room/Dockerfile", "mediation-room", "services/mediation-room/cmd/mediation-room"},
	"revisit":                  {"services/revisit/Dockerfile", "revisit", "services/revisit/cmd/revisit"},
	"supervision":              {"services/supervision/Dockerfile", "supervision", "services/supervision/cmd/supervision"},
	"console":                  {"services/console/Dockerfile", "console", "services/console/cmd/console"},
}

// TestDockerfilesMatchChart: every Deployment of the default render runs an
// image a Dockerfile of the repository builds, under the tag its build
// comment gives, as the user and on the ports that Dockerfile declares.
// make images (tools/images) builds the same images without Docker and
// checks entrypoint, user and ports in the images themselves; this keeps
// the Dockerfiles, the other description of them, in step with the chart.
func TestDockerfilesMatchChart(t *testing.T) {
	h := needHelm(t)
	seen := 0
	for _, d := range objects(t, h.template(t, platformDefault)) {
		if d.GetKind() != "Deployment" {
			continue
		}
		seen++
		t.Run(d.GetName(), func(t *testing.T) { checkDeploymentImage(t, h.root, d) })
	}
	if seen != len(images) {
		t.Errorf("%d Deployments rendered, want %d (one per image)", seen, len(images))
	}
}

func checkDeploymentImage(t *testing.T, root string, d *unstructured.Unstructured) {
	pod, _, _ := unstructured.NestedMap(d.Object, "spec", "template", "spec")
	c := pod["containers"].([]any)[0].(map[string]any)
	image := c["image"].(string) // ghcr.io/fengqiao/<repository>:<tag>
	repo := strings.TrimPrefix(image[:strings.LastIndex(image, ":")], "ghcr.io/fengqiao/")
	img, ok := images[repo]
	if !ok {
		t.Fatalf("image %s is built by no Dockerfile", image)
	}
	raw, err := os.ReadFile(filepath.Join(root, img.dockerfile))
	if err != nil {
		t.Fatal(err)
	}
	df := string(raw)
	want := []string{
		fmt.Sprintf("-t %s .", image),
		fmt.Sprintf("-o /out/%s ./%s\n", img.binary, img.pkg),
		fmt.Sprintf("ENTRYPOINT [\"/%s\"]", img.binary),
		fmt.Sprintf("USER %v:%v", pod["securityContext"].(map[string]any)["runAsUser"], pod["securityContext"].(map[string]any)["runAsGroup"]),
		"EXPOSE " + containerPorts(c),
		"CGO_ENABLED=0",
	}
	for _, w := range want {
		if !strings.Contains(df, w) {
			t.Errorf("%s lacks %q", img.dockerfile, w)
		}
	}
	if _, ok := c["command"]; ok {
		t.Errorf("the chart overrides the entrypoint of %s", image)
	}
}

func containerPorts(c map[string]any) string {
	var ports []string
	for _, p := range c["ports"].([]any) {
		ports = append(ports, fmt.Sprint(p.(map[string]any)["containerPort"]))
	}
	return strings.Join(ports, " ")
}
