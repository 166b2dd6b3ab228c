// Command images builds the platform's seven container images without a
// container daemon, and publishes them to a registry.
//
//	images build   -root . -out bin/images [-platforms linux/amd64,linux/arm64]
//	images publish -out bin/images -registry registry.example.gov.cn/fengqiao
//
// Each image is an empty base plus two layers: a shared base layer
// (/etc/passwd with the nonroot user 65532, the CA bundle) and the static
// binary. Everything that goes into an image is fixed by the source tree
// (the Go toolchain, go.sum, the commit), so building the same commit twice
// yields the same digest. docs/operations.md explains how a province
// publishes the images and pins their digests in the chart.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: images build|publish [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "build":
		err = runBuild(log, os.Args[2:])
	case "publish":
		err = runPublish(context.Background(), log, os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: want build or publish", os.Args[1])
	}
	if err != nil {
		log.Error("images failed", "err", err)
		os.Exit(1)
	}
}

func runBuild(log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	root := fs.String("root", "../..", "repository root (holds go.work)")
	out := fs.String("out", "bin/images", "output directory")
	platforms := fs.String("platforms", "linux/amd64", "comma-separated os/arch list")
	registry := fs.String("registry", "ghcr.io/fengqiao", "registry and path the docker tarballs are tagged with")
	only := fs.String("only", "", "comma-separated image names to build (default: all seven)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	src, err := readSource(*root)
	if err != nil {
		return err
	}
	plats, err := parsePlatforms(*platforms)
	if err != nil {
		return err
	}
	var built []builtImage
	for _, spec := range selectImages(*only) {
		b, err := buildImage(log, src, spec, plats, *out, *registry)
		if err != nil {
			return fmt.Errorf("cannot build image %s: %w", spec.Name, err)
		}
		built = append(built, b)
	}
	return writeDigestValues(*out, *registry, src.Version, built)
}

func runPublish(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	out := fs.String("out", "bin/images", "directory make images wrote")
	registry := fs.String("registry", "", "registry and path to push to, e.g. registry.example.gov.cn/fengqiao")
	tag := fs.String("tag", "", "tag to push besides the digest (default: the chart's appVersion the images were built for)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if strings.TrimSpace(*registry) == "" {
		return fmt.Errorf("-registry is required")
	}
	return publish(ctx, log, *out, *registry, *tag)
}

func selectImages(only string) []imageSpec {
	if only == "" {
		return allImages
	}
	var out []imageSpec
	for _, s := range allImages {
		for _, n := range strings.Split(only, ",") {
			if strings.TrimSpace(n) == s.Name {
				out = append(out, s)
			}
		}
	}
	return out
}
