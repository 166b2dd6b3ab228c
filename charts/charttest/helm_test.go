package charttest

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files and the generated tenant values schema")

// requireEnv makes a missing tool a failure instead of a skip; make test sets it.
const requireEnv = "FENGQIAO_REQUIRE_ENVTEST"

// helmHome isolates helm's cache, config and data (and the discovery cache
// under HOME) from the machine's, so tests never read a stale cache.
var helmHome string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "charttest-helm-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "charttest:", err)
		os.Exit(1)
	}
	helmHome = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// repoRoot is the directory holding go.work.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir
		}
	}
	t.Fatal("no go.work above the working directory")
	return ""
}

// missing skips, or fails under make test, when a tool is not built.
func missing(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv(requireEnv) != "" {
		t.Fatalf("%s (%s is set, so this cannot be skipped)", msg, requireEnv)
	}
	t.Skip(msg)
}

// helm runs bin/helm from the repository root.
type helm struct {
	bin, root, kubeconfig string
}

func needHelm(t *testing.T) helm {
	t.Helper()
	root := repoRoot(t)
	bin := filepath.Join(root, "bin", "helm")
	if _, err := os.Stat(bin); err != nil {
		missing(t, "bin/helm not found: run `make helm`")
	}
	return helm{bin: bin, root: root}
}

// run returns helm's stdout, or an error carrying its stderr.
func (h helm) run(args ...string) (string, error) {
	cmd := exec.Command(h.bin, args...)
	cmd.Dir = h.root
	cmd.Env = append(os.Environ(),
		"HOME="+helmHome,
		"HELM_CACHE_HOME="+filepath.Join(helmHome, "cache"),
		"HELM_CONFIG_HOME="+filepath.Join(helmHome, "config"),
		"HELM_DATA_HOME="+filepath.Join(helmHome, "data"),
		"KUBECONFIG="+h.kubeconfig)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("helm %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}

// mustRun fails the test when helm fails.
func (h helm) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, err := h.run(args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mustFail fails the test unless helm fails with every one of want in its error.
func (h helm) mustFail(t *testing.T, want []string, args ...string) {
	t.Helper()
	_, err := h.run(args...)
	if err == nil {
		t.Fatalf("helm %s succeeded; want an error naming %q", strings.Join(args, " "), want)
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		t.Fatal(err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("helm error does not name %q:\n%v", w, err)
		}
	}
}
