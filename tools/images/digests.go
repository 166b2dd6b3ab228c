package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// digestsFile is the values file make images writes beside the images: it
// pins every image of the platform chart by digest, so what runs is
// exactly what was built and scanned, whatever a tag later points at.
const digestsFile = "digests.yaml"

func writeDigestValues(out, registry, version string, built []builtImage) error {
	var b strings.Builder
	b.WriteString("# Written by make images (tools/images): helm install ... -f bin/images/" + digestsFile + "\n")
	b.WriteString("# Each image is pinned by the digest of its index (one manifest per platform).\n")
	fmt.Fprintf(&b, "image:\n  registry: %s\n  tag: %q\n", registry, version)
	var services []builtImage
	for _, img := range built {
		switch img.Spec.ChartKey {
		case "operator", "console":
			fmt.Fprintf(&b, "%s:\n  digest: %s\n", img.Spec.ChartKey, img.Digest)
		default:
			services = append(services, img)
		}
	}
	if len(services) > 0 {
		b.WriteString("services:\n")
		for _, img := range services {
			fmt.Fprintf(&b, "  %s:\n    digest: %s\n", img.Spec.Name, img.Digest)
		}
	}
	if err := os.WriteFile(filepath.Join(out, digestsFile), []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %w", digestsFile, err)
	}
	return nil
}
