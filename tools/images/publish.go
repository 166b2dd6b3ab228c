package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// publish pushes every image's index from its OCI layout, unchanged, so the
// registry serves the very digests make images wrote, and rewrites
// digests.yaml with the province's registry. Credentials come from the
// docker config (~/.docker/config.json, DOCKER_CONFIG) as crane and podman
// login write it.
func publish(ctx context.Context, log *slog.Logger, out, registry, tag string) error {
	var built []builtImage
	version := tag
	for _, spec := range allImages {
		idx, err := readIndex(filepath.Join(out, spec.Name, "oci"))
		if err != nil {
			return fmt.Errorf("cannot read image %s (run make images first): %w", spec.Name, err)
		}
		if version == "" {
			version, err = builtVersion(idx)
			if err != nil {
				return err
			}
		}
		ref, err := name.NewTag(strings.TrimSuffix(registry, "/") + "/" + spec.Name + ":" + version)
		if err != nil {
			return fmt.Errorf("cannot name the image in %s: %w", registry, err)
		}
		if err := remote.WriteIndex(ref, idx, remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain)); err != nil {
			return fmt.Errorf("cannot push %s: %w", ref, err)
		}
		digest, err := idx.Digest()
		if err != nil {
			return err
		}
		log.Info("image pushed", "ref", ref.String(), "digest", digest.String())
		built = append(built, builtImage{Spec: spec, Digest: digest})
	}
	return writeDigestValues(out, strings.TrimSuffix(registry, "/"), version, built)
}

// readIndex opens the index an OCI layout written by build holds: its
// index.json is the image's index itself (one manifest per platform), so
// its digest is the one the chart pins.
func readIndex(dir string) (v1.ImageIndex, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	p, err := layout.FromPath(dir)
	if err != nil {
		return nil, err
	}
	return p.ImageIndex()
}

// builtVersion is the version label the images were built with.
func builtVersion(idx v1.ImageIndex) (string, error) {
	m, err := idx.IndexManifest()
	if err != nil {
		return "", err
	}
	img, err := idx.Image(m.Manifests[0].Digest)
	if err != nil {
		return "", err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return "", err
	}
	return cf.Config.Labels["org.opencontainers.image.version"], nil
}
