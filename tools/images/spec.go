package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// imageSpec is one image: its repository name, the package of its binary,
// the binary's name (its path in the image, /<Binary>) and its ports. They
// match the Dockerfiles, which charts/charttest keeps in step with the chart.
type imageSpec struct {
	Name        string
	Package     string
	Binary      string
	Ports       []string
	Description string
	// ChartKey is where the chart takes this image's digest:
	// services.<name>.digest, console.digest or operator.digest.
	ChartKey string
	// Inventory is a module the image's SBOM must list: the library the
	// binary is built around. For the services it is the store's driver,
	// which every service reaches its store with; their Kafka client is
	// named only inside pkg/messaging.
	Inventory string
}

var allImages = []imageSpec{
	serviceImage("intake", "records disputes from every channel, grades risk, seals personal data"),
	serviceImage("referral", "issues the triplicate referral slip and publishes each copy to the county's topics"),
	serviceImage("mediation-room", "matches mediators, runs sessions, records agreements"),
	serviceImage("revisit", "schedules and records revisits of settled disputes"),
	serviceImage("supervision", "timeline of every handoff, county figures and warnings"),
	{
		// The console calls the services over HTTP and touches neither the
		// broker nor the store.
		Name: "console", Package: "./services/console/cmd/console", Binary: "console",
		Ports: []string{"8080"}, ChartKey: "console", Inventory: "github.com/labstack/echo/v4",
		Description: "Fengqiao console: the web console (工作台) of officers, centres, mediators and the committee",
	},
	{
		Name: "mediationcenter-operator", Package: "./operators/mediationcenter/cmd/manager", Binary: "manager",
		Ports: []string{"8080", "8081"}, ChartKey: "operator", Inventory: "sigs.k8s.io/controller-runtime",
		Description: "the MediationCenter operator: one county per resource",
	},
}

func serviceImage(name, description string) imageSpec {
	return imageSpec{
		Name: name, Package: "./services/" + name + "/cmd/" + name, Binary: name,
		Ports: []string{"8080"}, ChartKey: "services." + name, Inventory: "go.mongodb.org/mongo-driver/v2",
		Description: "Fengqiao " + name + ": " + description,
	}
}

// source is what every image of one build shares: the tree it is built
// from and the instant every file and the image config are stamped with.
type source struct {
	Root     string
	Version  string // the chart's appVersion
	Revision string // the commit, or "unknown" outside git
	Created  time.Time
}

var appVersionLine = regexp.MustCompile(`(?m)^appVersion:\s*"?([^"\s]+)"?`)

func readSource(root string) (source, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return source{}, fmt.Errorf("cannot resolve %s: %w", root, err)
	}
	chart, err := os.ReadFile(filepath.Join(abs, "charts", "fengqiao", "Chart.yaml"))
	if err != nil {
		return source{}, fmt.Errorf("while reading the chart's appVersion: %w", err)
	}
	m := appVersionLine.FindSubmatch(chart)
	if m == nil {
		return source{}, fmt.Errorf("charts/fengqiao/Chart.yaml has no appVersion")
	}
	src := source{Root: abs, Version: string(m[1]), Revision: gitOutput(abs, "rev-parse", "HEAD")}
	if src.Revision == "" {
		src.Revision = "unknown"
	}
	src.Created, err = sourceDate(abs)
	return src, err
}

// sourceDate follows the reproducible-builds convention: SOURCE_DATE_EPOCH
// when set, else the commit's time, else the Unix epoch. Never the clock,
// which would make every build a different image.
func sourceDate(root string) (time.Time, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		s = gitOutput(root, "log", "-1", "--format=%ct")
	}
	if s == "" {
		return time.Unix(0, 0).UTC(), nil
	}
	secs, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("cannot read SOURCE_DATE_EPOCH %q: %w", s, err)
	}
	return time.Unix(secs, 0).UTC(), nil
}

func gitOutput(dir string, args ...string) string {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func parsePlatforms(list string) ([]v1.Platform, error) {
	var out []v1.Platform
	for _, p := range strings.Split(list, ",") {
		os, arch, ok := strings.Cut(strings.TrimSpace(p), "/")
		if !ok || os != "linux" || (arch != "amd64" && arch != "arm64") {
			return nil, fmt.Errorf("platform %q: want linux/amd64 or linux/arm64", p)
		}
		out = append(out, v1.Platform{OS: os, Architecture: arch})
	}
	return out, nil
}

// labels are the OCI annotations every image carries in its config.
func labels(src source, spec imageSpec) map[string]string {
	return map[string]string{
		"org.opencontainers.image.title":       spec.Name,
		"org.opencontainers.image.description": spec.Description,
		"org.opencontainers.image.version":     src.Version,
		"org.opencontainers.image.revision":    src.Revision,
		"org.opencontainers.image.created":     src.Created.Format(time.RFC3339),
		"org.opencontainers.image.vendor":      "Fengqiao",
		"org.opencontainers.image.base.name":   "scratch",
	}
}
