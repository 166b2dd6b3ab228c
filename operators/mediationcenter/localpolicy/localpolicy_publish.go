package localpolicy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/operators/mediationcenter/internal/countypolicy"
	"fengqiao.dev/operators/mediationcenter/internal/kafkaclient"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
	"fengqiao.dev/operators/mediationcenter/internal/publish"
	"fengqiao.dev/pkg/messaging"
)

// SourceAnnotation records the file a locally loaded resource came from.
const SourceAnnotation = "mediation.fengqiao.dev/source"

// Timeout bounds each Kafka call of Publish.
const Timeout = 10 * time.Second

func setSource(mc *v1alpha1.MediationCenter, path string) {
	if mc.Annotations == nil {
		mc.Annotations = map[string]string{}
	}
	mc.Annotations[SourceAnnotation] = path
}

// Derive returns the effective policy of a loaded resource, as the operator
// would publish it (minus the publication time).
func Derive(mc *v1alpha1.MediationCenter) policy.CountyPolicy {
	src := mc.Annotations[SourceAnnotation]
	if src == "" {
		src = mc.Namespace + "/" + mc.Name
	}
	return countypolicy.Derive(mc, src)
}

// Publish does for each center what the reconciler does, with the same
// code: it creates the shared and the county's topics (idempotently) and
// publishes the effective policy on events.TopicPolicy, keyed by county
// code. Nothing is retired: a county removed from the folder keeps its last
// policy until Retire is called.
//
// It connects in plaintext: it is for the embedded broker (devstack).
func Publish(ctx context.Context, brokers []string, centers ...v1alpha1.MediationCenter) error {
	return PublishTo(ctx, messaging.Cluster{Brokers: brokers}, centers...)
}

// PublishTo is Publish on a cluster that authenticates its clients (the
// embedded broker with ACLs, logged in as the operator's principal).
func PublishTo(ctx context.Context, cluster messaging.Cluster, centers ...v1alpha1.MediationCenter) error {
	// One client for both, closed at the end: the loader runs inside a
	// long-lived process (the embedded stack).
	client, err := kafkaclient.New(cluster, Timeout)
	if err != nil {
		return err
	}
	defer client.Close()
	prov := provision.NewWithClient(client, cluster, Timeout)
	pub := publish.NewWithClient(client, Timeout)
	if _, err := prov.Ensure(ctx, publish.SharedTopics()); err != nil {
		return fmt.Errorf("while creating the policy topics: %w", err)
	}
	var errs []error
	for i := range centers {
		if err := publishOne(ctx, prov, pub, &centers[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func publishOne(ctx context.Context, prov *provision.Provisioner, pub *publish.Publisher, mc *v1alpha1.MediationCenter) error {
	p := Derive(mc)
	p.PublishedAt = time.Now().UTC()
	if _, err := prov.Ensure(ctx, publish.ForSpec(p.Topics, mc.Spec.Topics)); err != nil {
		return fmt.Errorf("while creating the topics of county %s: %w", p.County.Code, err)
	}
	return pub.Publish(ctx, p)
}

// Retire publishes the tombstone of each county code, as deleting its
// MediationCenter does in a cluster.
func Retire(ctx context.Context, brokers []string, codes ...string) error {
	pub, err := publish.New(messaging.Cluster{Brokers: brokers}, Timeout)
	if err != nil {
		return err
	}
	defer func() { _ = pub.Close() }()
	for _, code := range codes {
		if err := pub.Retire(ctx, code, time.Now()); err != nil {
			return err
		}
	}
	return nil
}
