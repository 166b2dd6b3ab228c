# mk/operator.mk — the MediationCenter operator's part of the build.
# Included by the root Makefile; every path is relative to the repository root.
#
#   make envtest-assets   build kube-apiserver and etcd from source into bin/ (cached)
#   make generate         regenerate deepcopy, CRD and RBAC from the kubebuilder markers
#   make check-generated  fail when a generated file is stale (CI)
#   make test-operator    unit + envtest integration tests of api/, the operator and pkg/policywatch
#
# No prebuilt binary can be downloaded here, so envtest's control plane is built
# through the Go module proxy from k8s.io/kubernetes and go.etcd.io/etcd/server/v3
# (tools/ module, GOWORK=off because its Kubernetes graph must not leak into the
# workspace). Make's own timestamps are the cache: bin/ is rebuilt only when
# tools/go.mod or tools/go.sum change, and the Go build cache makes even that cheap.

OPERATOR_BIN       ?= $(CURDIR)/bin
OPERATOR_TOOLS     := tools
OPERATOR_TOOLS_DEPS := $(OPERATOR_TOOLS)/go.mod $(OPERATOR_TOOLS)/go.sum
OPERATOR_K8S_VERSION := v1.37.2
OPERATOR_GO_TOOLS  := cd $(OPERATOR_TOOLS) && GOWORK=off GOFLAGS=-buildvcs=false go
# Version stamps so the apiserver reports the release it was built from.
OPERATOR_APISERVER_LDFLAGS := -s -w \
	-X k8s.io/component-base/version.gitVersion=$(OPERATOR_K8S_VERSION) \
	-X k8s.io/component-base/version.gitMajor=1 \
	-X k8s.io/component-base/version.gitMinor=37 \
	-X k8s.io/component-base/version.gitTreeState=clean

KUBE_APISERVER := $(OPERATOR_BIN)/kube-apiserver
ETCD           := $(OPERATOR_BIN)/etcd
CONTROLLER_GEN := $(OPERATOR_BIN)/controller-gen

OPERATOR_MODULE := operators/mediationcenter
OPERATOR_CRD_DIR := $(OPERATOR_MODULE)/config/crd
OPERATOR_RBAC_DIR := $(OPERATOR_MODULE)/config/rbac
# Generated files: compared by check-generated.
OPERATOR_GENERATED_FILES := api/v1alpha1/zz_generated.deepcopy.go \
	$(OPERATOR_CRD_DIR)/mediation.fengqiao.dev_mediationcenters.yaml \
	$(OPERATOR_RBAC_DIR)/role.yaml \
	$(OPERATOR_MODULE)/localpolicy/crd.yaml
OPERATOR_CHECK_DIR := $(OPERATOR_BIN)/.check-generated

.PHONY: envtest-assets generate check-generated test-operator

envtest-assets: $(KUBE_APISERVER) $(ETCD)

$(KUBE_APISERVER): $(OPERATOR_TOOLS_DEPS) $(OPERATOR_TOOLS)/cmd/kube-apiserver/main.go
	@mkdir -p $(OPERATOR_BIN)
	$(OPERATOR_GO_TOOLS) build -trimpath -ldflags '$(OPERATOR_APISERVER_LDFLAGS)' -o $@ ./cmd/kube-apiserver

$(ETCD): $(OPERATOR_TOOLS_DEPS) $(OPERATOR_TOOLS)/cmd/etcd/main.go
	@mkdir -p $(OPERATOR_BIN)
	$(OPERATOR_GO_TOOLS) build -trimpath -ldflags '-s -w' -o $@ ./cmd/etcd

$(CONTROLLER_GEN): $(OPERATOR_TOOLS_DEPS)
	@mkdir -p $(OPERATOR_BIN)
	$(OPERATOR_GO_TOOLS) build -trimpath -o $@ sigs.k8s.io/controller-tools/cmd/controller-gen

# The CRD is also embedded into localpolicy (go:embed cannot reach outside the
# module), so generate copies it there; check-generated covers the copy too.
generate: $(CONTROLLER_GEN)
	$(CONTROLLER_GEN) object paths=./api/v1alpha1/...
	$(CONTROLLER_GEN) crd:allowDangerousTypes=false paths=./api/v1alpha1/... output:crd:artifacts:config=$(OPERATOR_CRD_DIR)
	cd $(OPERATOR_MODULE) && $(CONTROLLER_GEN) rbac:roleName=mediationcenter-operator paths=./... output:rbac:artifacts:config=config/rbac
	cp $(OPERATOR_CRD_DIR)/mediation.fengqiao.dev_mediationcenters.yaml $(OPERATOR_MODULE)/localpolicy/crd.yaml

# Compares against what is on disk (not git), so it works before the first
# commit and on a dirty tree: the files are saved, regenerated, and diffed.
check-generated: $(CONTROLLER_GEN)
	@rm -rf $(OPERATOR_CHECK_DIR) && mkdir -p $(OPERATOR_CHECK_DIR)
	@for f in $(OPERATOR_GENERATED_FILES); do mkdir -p $(OPERATOR_CHECK_DIR)/$$(dirname $$f); cp $$f $(OPERATOR_CHECK_DIR)/$$f 2>/dev/null || true; done
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) generate >/dev/null
	@stale=0; for f in $(OPERATOR_GENERATED_FILES); do \
		if ! cmp -s $$f $(OPERATOR_CHECK_DIR)/$$f; then echo "stale generated file: $$f" >&2; stale=1; fi; \
	done; rm -rf $(OPERATOR_CHECK_DIR); \
	if [ $$stale = 1 ]; then echo "run 'make generate' and commit the result" >&2; exit 1; fi; \
	echo "generated files are up to date"

# FENGQIAO_REQUIRE_ENVTEST turns a missing control plane into a failure, so
# the envtest suite can never be skipped silently here.
test-operator: envtest-assets
	go test -count=1 ./api/policy/... ./api/v1alpha1/...
	KUBEBUILDER_ASSETS=$(OPERATOR_BIN) FENGQIAO_REQUIRE_ENVTEST=1 \
		go test -count=1 -timeout 10m ./$(OPERATOR_MODULE)/... ./pkg/policywatch/...

# make scale rolls out SCALE_N MediationCenters (default 100,500; 3000 takes
# long on two cores) on envtest's apiserver and the embedded broker, with
# the operator binary in its own process, and prints the table of
# docs/performance.md; SCALE_WORKERS overrides the operator's workers. Not
# part of make test: it measures, and takes minutes.
SCALE_N ?= 100,500
.PHONY: scale
scale: envtest-assets
	cd $(OPERATOR_MODULE)/scale && KUBEBUILDER_ASSETS=$(OPERATOR_BIN) SCALE_N=$(SCALE_N) SCALE_WORKERS=$(SCALE_WORKERS) \
		go test -tags scale -count=1 -timeout 180m -v .
