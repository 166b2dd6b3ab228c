# mk/images.mk — the platform's container images, built without a daemon.
# Included by the root Makefile; every path is relative to the repository root.
#
#   make images           build the seven images into bin/images/ and verify them
#   make images PLATFORMS=linux/amd64,linux/arm64   also for arm64 (one index per image)
#   make test-images      only verify what bin/images holds
#   make publish-images REGISTRY=registry.example.gov.cn/fengqiao   push them, pin the digests
#
# tools/images (its own module, outside go.work like tools/: its
# go-containerregistry graph must not reach the services) compiles each
# binary in the workspace as the Dockerfiles do and appends it, with
# /etc/passwd and a CA bundle, onto an empty base: no Docker daemon, no base
# image to pull, and the same commit always gives the same digests.
# bin/images/<name>/ holds the OCI layout, a docker-loadable tarball, the
# SPDX SBOM and the digest; bin/images/digests.yaml pins them all for helm.
# The verification starts every service binary from its image against the
# embedded broker and store (about a minute), so it is not part of make test.

IMAGES_DIR   := $(CURDIR)/bin/images
PLATFORMS    ?= linux/amd64
IMAGES_TOOL  := cd tools/images && GOWORK=off go
IMAGE_REGISTRY ?= ghcr.io/fengqiao

.PHONY: images test-images publish-images

images:
	@mkdir -p $(IMAGES_DIR)
	$(IMAGES_TOOL) run . build -root $(CURDIR) -out $(IMAGES_DIR) -platforms $(PLATFORMS) -registry $(IMAGE_REGISTRY)
	$(MAKE) --no-print-directory test-images

test-images:
	$(IMAGES_TOOL) test -count=1 -timeout 15m .

publish-images:
	@test -n "$(REGISTRY)" || { echo "usage: make publish-images REGISTRY=registry.example.gov.cn/fengqiao" >&2; exit 2; }
	$(IMAGES_TOOL) run . publish -out $(IMAGES_DIR) -registry $(REGISTRY)
