package controller

import (
	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

// topicsEnsureSeconds times one county's topic check-or-create against the
// brokers: the scale test reads it to show whether a county's cost grows
// with the number of counties already in the cluster.
var topicsEnsureSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
	Name:    "mediationcenter_topics_ensure_seconds",
	Help:    "Time to check or create one county's topics.",
	Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
})

func init() {
	metrics.Registry.MustRegister(topicsEnsureSeconds)
}
