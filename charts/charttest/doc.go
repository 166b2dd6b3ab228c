// Package charttest tests the Helm charts under charts/ with the real helm
// CLI (bin/helm, `make helm`) and, for installs, a real kube-apiserver and
// etcd from envtest (bin/, `make envtest-assets`): lint, golden renders
// (`go test ./... -update` rewrites them after an intended change), the
// values schemas, drift against what the operator generates, and install,
// upgrade and uninstall against the apiserver.
//
// Outside make, a missing bin/helm or control plane skips the tests that
// need it; with FENGQIAO_REQUIRE_ENVTEST set (make test) it fails them.
package charttest
