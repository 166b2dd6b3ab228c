package controller

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/policywatch"
)

// Sweeper retires, once as the leader starts, every county whose policy is
// live on the policy topic but which no MediationCenter names: its resource
// was deleted while no operator ran, so no reconcile saw it go. A county
// without the finalizer needs nothing else from its deletion; its topics,
// retained by default, stay (one whose spec asked for them to go carries
// the finalizer, and waits for the operator).
type Sweeper struct {
	Cluster messaging.Cluster
	Cache   cache.Cache
	// Retire tombstones an orphan unless its county has a resource by then
	// (MediationCenterReconciler.RetireOrphan); false when it had.
	Retire func(ctx context.Context, code string) (bool, error)
	// Retry is the pause after a failed tombstone; zero is 2 s.
	Retry time.Duration
}

// NeedLeaderElection is true: only the leader writes the topic.
func (s *Sweeper) NeedLeaderElection() bool { return true }

// Start reads the policy topic to its end, then the cluster's
// MediationCenters, in that order: a county published before the read came
// from a resource the cache holds unless it was deleted since, so a county
// created meanwhile is never taken for an orphan. It returns once the
// orphans are retired or ctx ends.
func (s *Sweeper) Start(ctx context.Context) error {
	logger := log.FromContext(ctx).WithName("sweep")
	mech, err := s.Cluster.SASL()
	if err != nil {
		return fmt.Errorf("while setting up the sweep's Kafka security: %w", err)
	}
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	w := policywatch.New(policywatch.Config{Brokers: s.Cluster.Brokers, SASL: mech, TLS: s.Cluster.TLS(),
		Logger: slog.New(slog.DiscardHandler)})
	go func() { _ = w.Run(watchCtx) }()
	if err := w.WaitReady(ctx); err != nil {
		return nil //nolint:nilerr // ctx ended: the operator stops
	}
	live := w.Counties()
	stopWatch()
	if !s.Cache.WaitForCacheSync(ctx) {
		return nil
	}
	var list v1alpha1.MediationCenterList
	if err := s.Cache.List(ctx, &list); err != nil {
		return fmt.Errorf("while listing the MediationCenters for the sweep: %w", err)
	}
	orphans := Orphans(live, list.Items)
	retired := 0
	for _, code := range orphans {
		for {
			done, err := s.Retire(ctx, code)
			if err == nil {
				if done {
					retired++
					logger.Info("retired county whose resource is gone", "county", code)
				}
				break
			}
			logger.Error(err, "cannot retire a county whose resource is gone; retrying", "county", code)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(s.retry()):
			}
		}
	}
	logger.Info("swept the policy topic", "counties", len(live), "retired", retired)
	return nil
}

func (s *Sweeper) retry() time.Duration {
	if s.Retry == 0 {
		return 2 * time.Second
	}
	return s.Retry
}

// Orphans are the counties of live that no resource of items names.
func Orphans(live []string, items []v1alpha1.MediationCenter) []string {
	named := make(map[string]bool, len(items))
	for _, mc := range items {
		named[mc.Spec.County.Code] = true
	}
	var out []string
	for _, code := range live {
		if !named[code] {
			out = append(out, code)
		}
	}
	return out
}
