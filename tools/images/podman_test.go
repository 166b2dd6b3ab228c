package main

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPodmanRunsAnImage loads one docker tarball into podman (Debian's
// rootless-capable runtime) and runs it without configuration: the binary
// must start inside the container and refuse, naming what is missing. It
// skips, saying why, where podman is not installed or cannot start
// containers (a sandbox that denies setrlimit or cgroup controllers).
func TestPodmanRunsAnImage(t *testing.T) {
	podman, err := exec.LookPath("podman")
	if err != nil {
		t.Skip("podman is not installed (apt-get install podman): the image is checked without running it in a container")
	}
	dir := imagesDir(t)
	spec := allImages[0]
	out, err := exec.Command(podman, "load", "-i", filepath.Join(dir, spec.Name, spec.Name+".tar")).CombinedOutput()
	if err != nil {
		t.Fatalf("podman load: %v\n%s", err, out)
	}
	ref := string(bytes.TrimSpace(out[bytes.LastIndex(out, []byte("Loaded image: "))+len("Loaded image: "):]))
	t.Cleanup(func() { _ = exec.Command(podman, "rmi", "-f", ref).Run() })
	out, err = exec.Command(podman, "run", "--rm", "--network", "none", ref).CombinedOutput()
	if strings.Contains(string(out), "OCI runtime error") || strings.Contains(string(out), "OCI permission denied") {
		t.Skipf("podman loads the image but cannot start containers on this machine:\n%s", out)
	}
	var exit *exec.ExitError
	if err == nil || !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "KAFKA_BROKERS is required") {
		t.Fatalf("podman run %s without configuration: %v, want exit 2 naming KAFKA_BROKERS\n%s", ref, err, out)
	}
}
