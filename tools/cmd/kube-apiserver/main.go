// Command kube-apiserver is the upstream Kubernetes API server, built from
// k8s.io/kubernetes source through the Go module proxy so that the operator's
// envtest suite runs against a real apiserver on machines that cannot
// download prebuilt binaries. It mirrors
// k8s.io/kubernetes/cmd/kube-apiserver/apiserver.go line for line.
package main

import (
	"os"
	_ "time/tzdata" // upstream: time zone support for CronJob

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // upstream: JSON log format
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // upstream: client-go metrics
	_ "k8s.io/component-base/metrics/prometheus/version"  // upstream: version metric
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
