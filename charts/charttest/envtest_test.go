package charttest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// cluster is a real kube-apiserver and etcd (envtest, no controllers, no
// kubelet: objects are stored and validated, nothing runs), a kubeconfig
// for helm, and a dynamic client for the assertions.
type cluster struct {
	helm   helm
	client dynamic.Interface
	mapper *restmapper.DeferredDiscoveryRESTMapper
}

// startCluster starts the control plane the operator's tests use: the
// binaries `make envtest-assets` builds into bin/ (or KUBEBUILDER_ASSETS).
func startCluster(t *testing.T, h helm) *cluster {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no control plane")
	}
	assets := os.Getenv("KUBEBUILDER_ASSETS")
	if assets == "" {
		assets = filepath.Join(h.root, "bin")
	}
	if _, err := os.Stat(filepath.Join(assets, "kube-apiserver")); err != nil {
		missing(t, "no kube-apiserver in "+assets+": run `make envtest-assets`")
	}
	// envtest prefers the variable, even empty, over BinaryAssetsDirectory.
	t.Setenv("KUBEBUILDER_ASSETS", assets)
	env := &envtest.Environment{BinaryAssetsDirectory: assets}
	cfg, err := env.Start()
	if err != nil {
		t.Fatalf("while starting the control plane: %v", err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	// helm talks to it as a cluster admin, through a kubeconfig file.
	admin, err := env.AddUser(envtest.User{Name: "provincial-it", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	kubeconfig, err := admin.KubeConfig()
	if err != nil {
		t.Fatal(err)
	}
	h.kubeconfig = filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(h.kubeconfig, kubeconfig, 0o600); err != nil {
		t.Fatal(err)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &cluster{
		helm:   h,
		client: dynamic.NewForConfigOrDie(cfg),
		mapper: restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc)),
	}
}

// resource is the dynamic client for obj's kind in obj's namespace.
func (c *cluster) resource(t *testing.T, gvk schema.GroupVersionKind, namespace string) dynamic.ResourceInterface {
	t.Helper()
	m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		c.mapper.Reset() // a CRD installed since the last discovery
		if m, err = c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version); err != nil {
			t.Fatalf("while mapping %s: %v", gvk, err)
		}
	}
	if m.Scope.Name() == "namespace" {
		return c.client.Resource(m.Resource).Namespace(namespace)
	}
	return c.client.Resource(m.Resource)
}

// get returns the object, or nil when the apiserver does not have it.
func (c *cluster) get(t *testing.T, gvk schema.GroupVersionKind, namespace, name string) *unstructured.Unstructured {
	t.Helper()
	obj, err := c.resource(t, gvk, namespace).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		return nil
	}
	return obj
}

// assertStored checks that every object of a release's manifest is on the
// apiserver: helm install succeeding means each was accepted; this makes
// sure nothing was skipped.
func (c *cluster) assertStored(t *testing.T, release, namespace string) []*unstructured.Unstructured {
	t.Helper()
	objs := objects(t, c.helm.mustRun(t, "get", "manifest", release, "--namespace", namespace))
	for _, o := range objs {
		ns := o.GetNamespace()
		if ns == "" {
			ns = namespace
		}
		if c.get(t, o.GroupVersionKind(), ns, o.GetName()) == nil {
			t.Errorf("%s %s/%s of release %s is not on the apiserver", o.GetKind(), ns, o.GetName(), release)
		}
	}
	return objs
}

// eventually polls cond every 100ms for up to 30s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting until %s", what)
}
