package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// builtImage is what one image's build leaves for the chart: the digest of
// its index (one manifest per platform), which is what a registry serves
// and what the chart pins.
type builtImage struct {
	Spec   imageSpec
	Digest v1.Hash
}

// Files under <out>/<name>/:
//
//	oci/                       OCI image layout: an index, one image per platform
//	<name>.tar                 docker-loadable tarball (first platform), tagged <registry>/<name>:<version>
//	sbom-<os>-<arch>.spdx.json SPDX 2.3: the Go modules linked into that platform's binary
//	digest                     the index digest, as the chart pins it
func buildImage(log *slog.Logger, src source, spec imageSpec, plats []v1.Platform, out, registry string) (builtImage, error) {
	dir := filepath.Join(out, spec.Name)
	if err := os.RemoveAll(dir); err != nil {
		return builtImage{}, fmt.Errorf("cannot clear %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return builtImage{}, fmt.Errorf("cannot create %s: %w", dir, err)
	}
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	var first v1.Image
	for _, plat := range plats {
		binary, err := compile(src.Root, spec, plat)
		if err != nil {
			return builtImage{}, err
		}
		img, err := assemble(src, spec, plat, binary)
		if err != nil {
			return builtImage{}, err
		}
		sbom, err := spdxDocument(src, spec, plat, binary)
		if err != nil {
			return builtImage{}, err
		}
		if err := os.WriteFile(filepath.Join(dir, "sbom-"+plat.OS+"-"+plat.Architecture+".spdx.json"), sbom, 0o644); err != nil {
			return builtImage{}, fmt.Errorf("cannot write the SBOM: %w", err)
		}
		p := plat
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &p}})
		if first == nil {
			first = img
		}
	}
	digest, err := idx.Digest()
	if err != nil {
		return builtImage{}, fmt.Errorf("cannot compute the index digest: %w", err)
	}
	if _, err := layout.Write(filepath.Join(dir, "oci"), idx); err != nil {
		return builtImage{}, fmt.Errorf("cannot write the OCI layout: %w", err)
	}
	tag, err := name.NewTag(registry + "/" + spec.Name + ":" + src.Version)
	if err != nil {
		return builtImage{}, fmt.Errorf("cannot tag the image: %w", err)
	}
	if err := tarball.WriteToFile(filepath.Join(dir, spec.Name+".tar"), tag, first); err != nil {
		return builtImage{}, fmt.Errorf("cannot write the docker tarball: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "digest"), []byte(digest.String()+"\n"), 0o644); err != nil {
		return builtImage{}, fmt.Errorf("cannot write the digest: %w", err)
	}
	log.Info("image built", "image", spec.Name, "digest", digest.String(), "platforms", len(plats))
	return builtImage{Spec: spec, Digest: digest}, nil
}

// compile builds a static binary the way the Dockerfiles do, in the
// workspace at root: no cgo (the empty base has no libc), -trimpath (no
// build-machine paths), no VCS stamp (the commit is in the image's labels).
// With these the Go toolchain's output is a function of the sources alone.
func compile(root string, spec imageSpec, plat v1.Platform) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "fengqiao-image-")
	if err != nil {
		return nil, fmt.Errorf("cannot create a build directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, spec.Binary)
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", bin, spec.Package)
	cmd.Dir = root
	cmd.Env = append(withoutEnv(os.Environ(), "GOWORK", "GOFLAGS", "CGO_ENABLED", "GOOS", "GOARCH"),
		"CGO_ENABLED=0", "GOOS="+plat.OS, "GOARCH="+plat.Architecture)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("cannot build %s for %s: %w\n%s", spec.Package, plat.String(), err, stderr.String())
	}
	return os.ReadFile(bin)
}

// withoutEnv drops the named variables: the tool itself runs outside the
// workspace (GOWORK=off), the binaries it builds inside it.
func withoutEnv(env []string, names ...string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		k, _, _ := strings.Cut(kv, "=")
		return slices.Contains(names, k)
	})
}

// assemble puts the base layer and the binary onto an empty image and
// writes a config with no trace of the machine or the hour it was built.
func assemble(src source, spec imageSpec, plat v1.Platform, binary []byte) (v1.Image, error) {
	base, err := baseLayer(src.Created)
	if err != nil {
		return nil, err
	}
	bin, err := binaryLayer(src.Created, spec.Binary, binary)
	if err != nil {
		return nil, err
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.Append(img,
		mutate.Addendum{Layer: base, MediaType: types.OCILayer, History: v1.History{Created: v1.Time{Time: src.Created}, CreatedBy: "fengqiao images: users and CA certificates", Comment: "base"}},
		mutate.Addendum{Layer: bin, MediaType: types.OCILayer, History: v1.History{Created: v1.Time{Time: src.Created}, CreatedBy: "fengqiao images: " + spec.Package, Comment: "binary"}},
	)
	if err != nil {
		return nil, fmt.Errorf("cannot append the layers: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("cannot read the config: %w", err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = plat.OS, plat.Architecture
	cf.Created = v1.Time{Time: src.Created}
	ports := map[string]struct{}{}
	for _, p := range spec.Ports {
		ports[p+"/tcp"] = struct{}{}
	}
	cf.Config = v1.Config{
		Entrypoint:   []string{"/" + spec.Binary},
		User:         fmt.Sprintf("%d:%d", nonrootUID, nonrootUID),
		WorkingDir:   "/",
		Env:          []string{"PATH=/"},
		ExposedPorts: ports,
		Labels:       labels(src, spec),
	}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, fmt.Errorf("cannot write the config: %w", err)
	}
	return img, nil
}
