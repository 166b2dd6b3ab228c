# mk/helm.mk — the Helm charts' part of the build.
# Included by the root Makefile; every path is relative to the repository root.
#
#   make helm          build the helm CLI from source into bin/ (cached)
#   make charts-sync   copy the generated CRD and operator ClusterRole into charts/fengqiao/files/
#   make test-charts   lint, golden, schema and install tests of charts/ (needs helm and envtest assets)
#   (the images the chart runs: mk/images.mk)
#
# No prebuilt binary can be downloaded here, so helm is built through the Go
# module proxy (GOWORK=off: helm's Kubernetes graph must not leak into the
# workspace). Make's timestamps are the cache: bin/helm is rebuilt only when
# this file (which pins the version) changes.

HELM_VERSION := v3.19.2
HELM         := $(CURDIR)/bin/helm
# What helm's own Makefile stamps: its version, and the Kubernetes release
# of its client-go (v0.34 for v3.19) as the default for `helm template` and
# `helm lint`; unstamped, they would assume Kubernetes 1.20.
HELM_K8S_MINOR := 34
HELM_LDFLAGS := -s -w -X helm.sh/helm/v3/internal/version.version=$(HELM_VERSION) \
	-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$(HELM_K8S_MINOR) \
	-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$(HELM_K8S_MINOR)

CHARTS_FILES := charts/fengqiao/files

.PHONY: helm charts-sync test-charts

helm: $(HELM)

$(HELM): mk/helm.mk
	@mkdir -p $(dir $@)
	GOWORK=off GOBIN=$(dir $@) GOFLAGS=-buildvcs=false go install -trimpath -ldflags '$(HELM_LDFLAGS)' helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)
	@touch $@

# The chart installs exactly what controller-gen generates; charts/charttest
# fails when these copies are stale.
charts-sync:
	cp $(OPERATOR_CRD_DIR)/mediation.fengqiao.dev_mediationcenters.yaml $(CHARTS_FILES)/
	cp $(OPERATOR_RBAC_DIR)/role.yaml $(CHARTS_FILES)/operator-role.yaml

test-charts: $(HELM) envtest-assets
	cd charts/charttest && KUBEBUILDER_ASSETS=$(OPERATOR_BIN) FENGQIAO_REQUIRE_ENVTEST=1 go test -count=1 -timeout 10m ./...
