package devstack_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/kafkaacl"
	"fengqiao.dev/devstack"
	"fengqiao.dev/pkg/policywatch"
)

// The embedded platform publishes the sample counties' policies through the
// operator's own validation and publication code, and a service-side watcher
// sees them without any cluster.
func TestStartPublishesTheCountyPolicies(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := devstack.Start(ctx, devstack.Options{PolicyDir: "../operators/mediationcenter/config/samples", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(runCtx) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("platform stopped with: %v", err)
		}
	}()

	// As the referral service: every principal of the platform follows the policy topic.
	mech, err := p.Kafka(kafkaacl.ServicePrincipal("referral")).SASL()
	if err != nil {
		t.Fatal(err)
	}
	w := policywatch.New(policywatch.Config{Brokers: p.Infra.Brokers, SASL: mech})
	go w.Run(runCtx)
	if err := w.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	got := w.Counties()
	slices.Sort(got)
	if want := []string{"370202", "620902", "622901"}; !slices.Equal(got, want) {
		t.Fatalf("published counties %v, want %v", got, want)
	}
	if linxia, _ := w.Policy("622901"); linxia == nil || len(linxia.Mediators) == 0 {
		t.Fatalf("Linxia's policy has no mediators: %+v", linxia)
	}
}

func TestStartRejectsAnInvalidCounty(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/bad.yaml", `apiVersion: mediation.fengqiao.dev/v1alpha1
kind: MediationCenter
metadata: {name: bad}
spec:
  county: {code: "62290", name: "Nowhere"}
`)
	_, err := devstack.Start(context.Background(), devstack.Options{PolicyDir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err == nil {
		t.Fatal("a county with a 5-digit code was published")
	}
	t.Log(err)
}
