package main

import (
	"context"
	"io"
	"log"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// TestPublishKeepsTheDigests pushes what make images built to a registry
// (go-containerregistry's in-memory one, over HTTP) and expects the
// registry to serve each image under the digest the build recorded, and the
// rewritten digests.yaml to name that registry.
func TestPublishKeepsTheDigests(t *testing.T) {
	built := imagesDir(t)
	out := t.TempDir() // publish rewrites digests.yaml: not bin/images'
	for _, spec := range allImages {
		if err := os.Symlink(filepath.Join(built, spec.Name), filepath.Join(out, spec.Name)); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	repo := u.Host + "/province/fengqiao"
	if err := publish(context.Background(), slog.New(slog.DiscardHandler), out, repo, ""); err != nil {
		t.Fatal(err)
	}
	values, err := os.ReadFile(filepath.Join(out, digestsFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(values), "registry: "+repo+"\n") {
		t.Errorf("digests.yaml does not name the registry pushed to:\n%s", values)
	}
	for _, spec := range allImages {
		want, _ := os.ReadFile(filepath.Join(built, spec.Name, "digest"))
		ref, err := name.ParseReference(repo + "/" + spec.Name + ":0.1.0")
		if err != nil {
			t.Fatal(err)
		}
		desc, err := remote.Head(ref)
		if err != nil {
			t.Fatalf("the registry does not serve %s: %v", ref, err)
		}
		if desc.Digest.String() != strings.TrimSpace(string(want)) {
			t.Errorf("%s is %s in the registry, %s as built", ref, desc.Digest, want)
		}
	}
}
