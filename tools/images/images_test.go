package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// The tests read what make images wrote (FENGQIAO_IMAGES, default
// bin/images of the repository); make images runs them right after
// building, so a missing image is a failure, never a skip.

func imagesDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("FENGQIAO_IMAGES")
	if dir == "" {
		dir = filepath.Join(repoRoot(t), "bin", "images")
	}
	if _, err := os.Stat(filepath.Join(dir, digestsFile)); err != nil {
		t.Fatalf("no images in %s: run `make images` (%v)", dir, err)
	}
	return dir
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestImagesAsBuilt opens each image's OCI layout and docker tarball and
// checks what a runtime and the chart rely on.
func TestImagesAsBuilt(t *testing.T) {
	dir := imagesDir(t)
	values, err := os.ReadFile(filepath.Join(dir, digestsFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, spec := range allImages {
		t.Run(spec.Name, func(t *testing.T) {
			idx, err := readIndex(filepath.Join(dir, spec.Name, "oci"))
			if err != nil {
				t.Fatal(err)
			}
			digest, err := idx.Digest()
			if err != nil {
				t.Fatal(err)
			}
			recorded, _ := os.ReadFile(filepath.Join(dir, spec.Name, "digest"))
			if strings.TrimSpace(string(recorded)) != digest.String() {
				t.Errorf("digest file says %q, the index is %s", recorded, digest)
			}
			if !bytes.Contains(values, []byte("digest: "+digest.String())) {
				t.Errorf("%s does not pin %s", digestsFile, digest)
			}
			m, err := idx.IndexManifest()
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Manifests) == 0 || m.Manifests[0].Platform == nil || m.Manifests[0].Platform.Architecture != "amd64" {
				t.Fatalf("the index's first manifest is not linux/amd64: %+v", m.Manifests)
			}
			for _, desc := range m.Manifests {
				img, err := idx.Image(desc.Digest)
				if err != nil {
					t.Fatal(err)
				}
				checkImage(t, dir, spec, *desc.Platform, img)
			}
			checkDockerTarball(t, dir, spec, idx, m.Manifests[0].Digest)
		})
	}
}

func checkImage(t *testing.T, dir string, spec imageSpec, plat v1.Platform, img v1.Image) {
	t.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cf.OS != plat.OS || cf.Architecture != plat.Architecture {
		t.Errorf("config says %s/%s, the index %s", cf.OS, cf.Architecture, plat.String())
	}
	if !slices.Equal(cf.Config.Entrypoint, []string{"/" + spec.Binary}) || len(cf.Config.Cmd) != 0 {
		t.Errorf("entrypoint %q cmd %q, want [/%s] and no cmd", cf.Config.Entrypoint, cf.Config.Cmd, spec.Binary)
	}
	if cf.Config.User != "65532:65532" {
		t.Errorf("user %q, want 65532:65532 (the chart's runAsUser)", cf.Config.User)
	}
	for _, p := range spec.Ports {
		if _, ok := cf.Config.ExposedPorts[p+"/tcp"]; !ok {
			t.Errorf("port %s/tcp not exposed: %v", p, cf.Config.ExposedPorts)
		}
	}
	for _, key := range []string{"title", "description", "version", "revision", "created"} {
		if cf.Config.Labels["org.opencontainers.image."+key] == "" {
			t.Errorf("label org.opencontainers.image.%s missing", key)
		}
	}
	if got := cf.Config.Labels["org.opencontainers.image.title"]; got != spec.Name {
		t.Errorf("title label %q, want %q", got, spec.Name)
	}
	files := imageFiles(t, img)
	checkUsers(t, files)
	checkCABundle(t, files[caBundle])
	bin, ok := files[spec.Binary]
	if !ok || bin.mode&0o111 == 0 {
		t.Fatalf("/%s missing or not executable", spec.Binary)
	}
	checkSBOM(t, filepath.Join(dir, spec.Name, "sbom-"+plat.OS+"-"+plat.Architecture+".spdx.json"), spec, bin.body)
}

type file struct {
	mode int64
	uid  int
	body []byte
}

// imageFiles flattens the image's layers into path → file.
func imageFiles(t *testing.T, img v1.Image) map[string]file {
	t.Helper()
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	if len(layers) != 2 {
		t.Errorf("%d layers, want 2 (base, binary)", len(layers))
	}
	out := map[string]file{}
	for _, l := range layers {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(rc)
		for {
			h, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(tr)
			out[strings.TrimSuffix(h.Name, "/")] = file{mode: h.Mode, uid: h.Uid, body: body}
		}
		rc.Close()
	}
	return out
}

func checkUsers(t *testing.T, files map[string]file) {
	t.Helper()
	if !bytes.Contains(files["etc/passwd"].body, []byte("nonroot:x:65532:65532:")) {
		t.Errorf("/etc/passwd has no nonroot user 65532:\n%s", files["etc/passwd"].body)
	}
	if home := files["home/nonroot"]; home.uid != nonrootUID {
		t.Errorf("/home/nonroot belongs to %d, want %d", home.uid, nonrootUID)
	}
}

// checkCABundle: the bundle parses and holds a public root every TLS
// client here trusts (ISRG Root X1, Let's Encrypt's).
func checkCABundle(t *testing.T, f file) {
	t.Helper()
	n, isrg := 0, false
	for rest := f.body; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatalf("the CA bundle holds a certificate that does not parse: %v", err)
		}
		n++
		isrg = isrg || c.Subject.CommonName == "ISRG Root X1"
	}
	if n < 100 || !isrg {
		t.Errorf("the CA bundle holds %d roots (ISRG Root X1: %v); want the Mozilla store", n, isrg)
	}
}

func checkSBOM(t *testing.T, path string, spec imageSpec, binary []byte) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc spdxDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s is not SPDX JSON: %v", path, err)
	}
	sum := sha256.Sum256(binary)
	if doc.SPDXVersion != "SPDX-2.3" || len(doc.Packages) < 3 || doc.Packages[0].Checksums[0].Value != hex.EncodeToString(sum[:]) {
		t.Fatalf("%s does not describe /%s (version %s, %d packages)", path, spec.Binary, doc.SPDXVersion, len(doc.Packages))
	}
	want := spec.Inventory
	if !slices.ContainsFunc(doc.Packages, func(p spdxPackage) bool { return p.Name == want && p.VersionInfo != "" }) {
		t.Errorf("%s does not list %s", path, want)
	}
}

// checkDockerTarball: the tarball is the index's first image (same config)
// under <registry>/<name>:<version>, loadable by docker and podman.
func checkDockerTarball(t *testing.T, dir string, spec imageSpec, idx v1.ImageIndex, first v1.Hash) {
	t.Helper()
	img, err := idx.Image(first)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, spec.Name, spec.Name+".tar")
	loaded, err := tarball.ImageFromPath(path, nil)
	if err != nil {
		t.Fatalf("cannot open %s: %v", path, err)
	}
	want, _ := img.ConfigName()
	got, err := loaded.ConfigName()
	if err != nil || got != want {
		t.Errorf("%s holds config %s, the layout's image %s (%v)", path, got, want, err)
	}
}

// TestSameSourceSameDigest builds one image twice from the same tree and
// expects byte-identical indexes.
func TestSameSourceSameDigest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an image twice")
	}
	src, err := readSource(repoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	// supervision: a service with the largest graph but the operator
	spec := allImages[slices.IndexFunc(allImages, func(s imageSpec) bool { return s.Name == "supervision" })]
	log := slog.New(slog.DiscardHandler)
	plats := []v1.Platform{{OS: "linux", Architecture: "amd64"}}
	a, err := buildImage(log, src, spec, plats, t.TempDir(), "ghcr.io/fengqiao")
	if err != nil {
		t.Fatal(err)
	}
	b, err := buildImage(log, src, spec, plats, t.TempDir(), "ghcr.io/fengqiao")
	if err != nil {
		t.Fatal(err)
	}
	if a.Digest != b.Digest {
		t.Fatalf("two builds of %s: %s and %s", spec.Name, a.Digest, b.Digest)
	}
	if built, err := os.ReadFile(filepath.Join(imagesDir(t), spec.Name, "digest")); err == nil && strings.TrimSpace(string(built)) != a.Digest.String() {
		t.Logf("bin/images holds %s, this tree builds %s: the tree changed since make images", built, a.Digest)
	}
}

// TestBinariesStart runs each image's own binary (as extracted from the
// image) against a real broker and store, the platform's embedded ones in
// a devstack process, and waits for /healthz and /readyz. The operator
// needs a Kubernetes API server, which its envtest suite provides; here it
// only has to start and print its flags.
func TestBinariesStart(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skipf("the images' binaries are linux/amd64, this is %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	dir := imagesDir(t)
	kafka, mongo := startBrokerAndStore(t)
	for _, spec := range allImages {
		t.Run(spec.Name, func(t *testing.T) {
			idx, err := readIndex(filepath.Join(dir, spec.Name, "oci"))
			if err != nil {
				t.Fatal(err)
			}
			m, _ := idx.IndexManifest()
			img, err := idx.Image(m.Manifests[0].Digest)
			if err != nil {
				t.Fatal(err)
			}
			bin := filepath.Join(t.TempDir(), spec.Binary)
			if err := os.WriteFile(bin, imageFiles(t, img)[spec.Binary].body, 0o755); err != nil {
				t.Fatal(err)
			}
			if spec.ChartKey == "operator" {
				out, err := exec.Command(bin, "-h").CombinedOutput()
				if err != nil || !bytes.Contains(out, []byte("-health-probe-bind-address")) {
					t.Fatalf("%s -h: %v\n%s", spec.Binary, err, out)
				}
				return
			}
			runService(t, bin, spec, kafka, mongo)
		})
	}
}

func runService(t *testing.T, bin string, spec imageSpec, kafka, mongo string) {
	addr := freeAddr(t)
	var logs bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Env = []string{
		"KAFKA_BROKERS=" + kafka, "MONGODB_URI=mongodb://" + mongo + "/?w=majority",
		"MONGODB_DATABASE=images-" + spec.Name, "HTTP_ADDR=" + addr,
		// Public test keys: intake refuses to start without them.
		"INTAKE_DATA_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "INTAKE_MATCH_KEY=images-test-match-key",
		// Every service refuses to start without an issuer to verify tokens
		// against; the test only probes /readyz, so it is never reached.
		"AUTH_ISSUER=http://127.0.0.1:9/unreached",
		// The console's session key (a public test key), where browsers
		// reach it, and the services it calls (never reached either).
		"CONSOLE_SESSION_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "CONSOLE_PUBLIC_URL=http://" + addr,
		"INTAKE_URL=http://127.0.0.1:9", "REFERRAL_URL=http://127.0.0.1:9", "MEDIATION_ROOM_URL=http://127.0.0.1:9",
		"REVISIT_URL=http://127.0.0.1:9", "SUPERVISION_URL=http://127.0.0.1:9",
	}
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	for _, path := range []string{"/healthz", "/readyz"} {
		if err := waitOK(cmd, "http://"+addr+path); err != nil {
			t.Fatalf("%s %s: %v\n%s", spec.Binary, path, err, logs.String())
		}
	}
}

// waitOK polls url until it answers 200, the process exits, or a minute
// passes (the first start creates the service's topics and indexes).
func waitOK(cmd *exec.Cmd, url string) error {
	deadline := time.Now().Add(time.Minute)
	var last error
	for time.Now().Before(deadline) {
		if cmd.ProcessState != nil {
			return fmt.Errorf("the binary exited: %v", cmd.ProcessState)
		}
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		last = err
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("not ready within a minute: %w", last)
}

// startBrokerAndStore runs the devstack binary with no counties and returns
// the broker's and the store's host:port once both listen.
func startBrokerAndStore(t *testing.T) (kafka, mongo string) {
	t.Helper()
	root := repoRoot(t)
	bin := filepath.Join(t.TempDir(), "fengqiao-dev")
	build := exec.Command("go", "build", "-o", bin, "./devstack/cmd/fengqiao-dev")
	build.Dir = root
	build.Env = withoutEnv(os.Environ(), "GOWORK")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("cannot build the devstack: %v\n%s", err, out)
	}
	kafka, mongo = freeAddr(t), freeAddr(t)
	_, kport, _ := net.SplitHostPort(kafka)
	_, mport, _ := net.SplitHostPort(mongo)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "-data", t.TempDir(), "-kafka-port", kport, "-mongo-port", mport,
		"-http-port", strings.TrimPrefix(freeAddr(t), "127.0.0.1:"), "-counties", "")
	cmd.Dir = root
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	stderr, _ := cmd.StderrPipe()
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { // drain, so the devstack never blocks on a full pipe
		s := bufio.NewScanner(stderr)
		for s.Scan() {
		}
	}()
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	for _, addr := range []string{kafka, mongo} {
		deadline := time.Now().Add(2 * time.Minute)
		for {
			c, err := net.Dial("tcp", addr)
			if err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the devstack does not listen on %s: %v", addr, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	return kafka, mongo
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
