package controller_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
	"fengqiao.dev/operators/mediationcenter/internal/publish"
	"fengqiao.dev/operators/mediationcenter/manager"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/policywatch"
)

// TestSweepRetiresCountiesDeletedWhileNoOperatorRan: a county live on the
// policy topic that no MediationCenter names (its resource, without the
// finalizer, was deleted while no operator ran) is retired as the operator
// starts; a county with its resource keeps its policy.
func TestSweepRetiresCountiesDeletedWhileNoOperatorRan(t *testing.T) {
	needEnvtest(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b, err := embedded.StartBroker(ctx, embedded.BrokerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const orphan, kept = "623001", "623021"
	prov, err := provision.New(messaging.Cluster{Brokers: b.Addrs}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := prov.Ensure(ctx, publish.SharedTopics()); err != nil {
		t.Fatal(err)
	}
	pub, err := publish.New(messaging.Cluster{Brokers: b.Addrs}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	for _, code := range []string{orphan, kept} {
		p := policy.CountyPolicy{SchemaVersion: policy.SchemaVersion, County: policy.County{Code: code, Name: "测试县"},
			Revision: 1, Hash: "h" + code, PublishedAt: time.Now()}
		if err := pub.Publish(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	watch := policywatch.New(policywatch.Config{Brokers: b.Addrs, MaxWait: 50 * time.Millisecond,
		Retry: 100 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	go func() { _ = watch.Run(ctx) }()
	if err := watch.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := watch.Policy(orphan); !ok {
		t.Fatal("the orphan's policy is not on the topic")
	}
	// The kept county's resource exists; the suite's operator governs it
	// (on the suite's broker), so the operator started below finds it
	// published and publishes nothing: its record above is the one to keep.
	createNamespace(t, "sweep")
	mc := newCenter("sweep", "kept", kept)
	if err := suite.k8s.Create(ctx, mc); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = suite.k8s.Delete(context.Background(), mc) }()

	mgr, err := manager.New(manager.Config{
		RestConfig: suite.cfg, Brokers: b.Addrs, KafkaTimeout: 2 * time.Second,
		Resync: time.Second, RetryMin: 100 * time.Millisecond, RetryMax: time.Second,
		MetricsAddr: "0", ProbeAddr: "0", SkipNameValidation: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	mgrCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- mgr.Start(mgrCtx) }()
	defer func() { stop(); <-done }()

	eventually(t, "the orphan retired", func() (bool, string) {
		_, live := watch.Policy(orphan)
		return !live, "still live"
	})
	if _, ok := watch.Policy(kept); !ok {
		t.Error("the county whose resource exists was retired")
	}
}
