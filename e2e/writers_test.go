package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"fengqiao.dev/embedded/embeddedtest"
	"fengqiao.dev/embedded/servicetest"
)

// On the embedded store (FerretDB) a service's conditional writes are only
// atomic within one process, so a second process of the same service must
// refuse to start rather than lose updates silently; once the first is gone
// (even killed without a goodbye) a new one starts at once. Real service
// binaries, as an operator would start them.
func TestASecondProcessOfAServiceIsRefusedOnTheEmbeddedStore(t *testing.T) {
	if testing.Short() {
		t.Skip("starts service processes")
	}
	stack := embeddedtest.Start(t)
	bin := filepath.Join(t.TempDir(), "revisit")
	build := exec.Command("go", "build", "-o", bin, "fengqiao.dev/services/revisit/cmd/revisit")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the revisit binary: %v\n%s", err, out)
	}
	env := append(os.Environ(), "KAFKA_BROKERS="+strings.Join(stack.Brokers, ","), "MONGODB_URI="+stack.MongoURI,
		"MONGODB_DATABASE=writers", "LOG_LEVEL=warn",
		// Required to start; never reached, as the test calls only /readyz.
		"AUTH_ISSUER=http://127.0.0.1:9/unreached")

	first, firstURL := startService(t, bin, env)
	waitServiceReady(t, firstURL)

	second, _ := startService(t, bin, env)
	exited := make(chan error, 1)
	go func() { exited <- second.cmd.Wait() }()
	select {
	case err := <-exited:
		if code := second.cmd.ProcessState.ExitCode(); code == 0 {
			t.Fatalf("second process exited %v with code 0", err)
		}
		if !strings.Contains(second.stderr.String(), "another process writes") {
			t.Fatalf("second process did not say why it stopped:\n%s", second.stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("second process of the same service kept running beside the first")
	}

	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.cmd.Wait()
	_, thirdURL := startService(t, bin, env)
	waitServiceReady(t, thirdURL)
}

type serviceProcess struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
}

func startService(t *testing.T, bin string, env []string) (*serviceProcess, string) {
	t.Helper()
	addr := freeLoopbackAddr(t)
	cmd := exec.Command(bin)
	cmd.Env = append(env, "HTTP_ADDR="+addr)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serviceProcess{cmd: cmd, stderr: &stderr}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { _ = cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(15 * time.Second):
				_ = cmd.Process.Kill()
			}
		}
	})
	return p, "http://" + addr
}

func waitServiceReady(t *testing.T, url string) {
	t.Helper()
	servicetest.Eventually(t, 60*time.Second, url+" ready", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/readyz", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr())
}
