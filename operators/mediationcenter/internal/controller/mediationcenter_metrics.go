package controller

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/client-go/util/flowcontrol"
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

// kubeThrottleSeconds is how long requests to the apiserver waited for the
// client-side rate limit (KubeQPS, KubeBurst): the figure that tells
// whether the limit, and not the apiserver, paces a rollout.
var kubeThrottleSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
	Name:    "mediationcenter_kube_client_throttle_seconds",
	Help:    "Time a request to the apiserver waited for the operator's client-side rate limit.",
	Buckets: []float64{0.001, 0.005, 0.02, 0.1, 0.5, 2, 10},
})

func init() { metrics.Registry.MustRegister(kubeThrottleSeconds) }

// MeasuredRateLimiter is client-go's token bucket of qps and burst, with its
// waits in kubeThrottleSeconds.
func MeasuredRateLimiter(qps float32, burst int) flowcontrol.RateLimiter {
	return measuredLimiter{flowcontrol.NewTokenBucketRateLimiter(qps, burst)}
}

type measuredLimiter struct{ flowcontrol.RateLimiter }

func (m measuredLimiter) Wait(ctx context.Context) error {
	started := time.Now()
	err := m.RateLimiter.Wait(ctx)
	kubeThrottleSeconds.Observe(time.Since(started).Seconds())
	return err
}

func (m measuredLimiter) Accept() {
	started := time.Now()
	m.RateLimiter.Accept()
	kubeThrottleSeconds.Observe(time.Since(started).Seconds())
}
