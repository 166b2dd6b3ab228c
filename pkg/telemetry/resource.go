package telemetry

import (
	"os"
	"runtime/debug"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
)

// Environment variables the platform chart sets from the pod's downward API,
// read into the Kubernetes resource attributes of every span and metric (and
// of target_info on /metrics), so a trace or a series says which pod, node
// and release produced it.
const (
	EnvServiceVersion = "SERVICE_VERSION"
	EnvPodName        = "K8S_POD_NAME"
	EnvPodUID         = "K8S_POD_UID"
	EnvNamespaceName  = "K8S_NAMESPACE_NAME"
	EnvNodeName       = "K8S_NODE_NAME"
	EnvDeploymentName = "K8S_DEPLOYMENT_NAME"
)

// resourceFromPlatform is the service's version and, when the chart set
// them, its Kubernetes attributes. OTEL_RESOURCE_ATTRIBUTES, read after,
// still overrides any of them.
func resourceFromPlatform() []attribute.KeyValue {
	attrs := []attribute.KeyValue{semconv.ServiceVersion(serviceVersion())}
	for env, key := range map[string]attribute.Key{
		EnvPodName: semconv.K8SPodNameKey, EnvPodUID: semconv.K8SPodUIDKey, EnvNamespaceName: semconv.K8SNamespaceNameKey,
		EnvNodeName: semconv.K8SNodeNameKey, EnvDeploymentName: semconv.K8SDeploymentNameKey,
	} {
		if v := os.Getenv(env); v != "" {
			attrs = append(attrs, key.String(v))
		}
	}
	return attrs
}

// serviceVersion is SERVICE_VERSION (the image's tag, set by the chart), else
// the binary's module version, else "dev" for a build from a work tree.
func serviceVersion() string {
	if v := os.Getenv(EnvServiceVersion); v != "" {
		return v
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}
