package controller_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	kafka "github.com/segmentio/kafka-go"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/kafkaacl"
	"fengqiao.dev/embedded"
	"fengqiao.dev/operators/mediationcenter/internal/controller"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
	"fengqiao.dev/operators/mediationcenter/manager"
	"fengqiao.dev/pkg/messaging"
)

// TestCountyAgenciesGetTheirPrincipals: an operator that manages agency
// principals, on a broker with ACLs, creates with a county's topics one
// principal per agency kind, its password in a Secret the MediationCenter
// owns; logged in with it, Qingdao Shinan's (370202) jurisdiction agency
// finds its copy topic and is refused Linxia's (622901).
func TestCountyAgenciesGetTheirPrincipals(t *testing.T) {
	needEnvtest(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin := embedded.Credentials{Username: "mediationcenter-operator", Password: "s3cret"}
	b, err := embedded.StartBroker(ctx, embedded.BrokerOptions{Auth: &embedded.BrokerAuth{Admin: admin}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	// Linxia's copy topic exists on this broker too, as in a shared cluster.
	prov, err := provision.New(messaging.Cluster{Brokers: b.Addrs, Security: admin.Security()}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	other := events.CountyCopyTopic("622901", events.CopyJurisdiction)
	if _, err := prov.Ensure(ctx, []provision.Topic{{Name: other, Partitions: 1}}); err != nil {
		t.Fatal(err)
	}

	mgr, err := manager.New(manager.Config{
		RestConfig: suite.cfg, Brokers: b.Addrs, Kafka: admin.Security(), KafkaTimeout: 2 * time.Second, AgencyPrincipals: true,
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

	createNamespace(t, "agencies")
	mc := newCenter("agencies", "shinan", "370202")
	if err := suite.k8s.Create(ctx, mc); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = suite.k8s.Delete(context.Background(), mc) }()

	var secret corev1.Secret
	name := kafkaacl.AgencyPrincipal("370202", events.CopyJurisdiction)
	eventually(t, "the jurisdiction agency's credentials Secret", func() (bool, string) {
		err := suite.k8s.Get(ctx, types.NamespacedName{Namespace: "agencies", Name: name}, &secret)
		return err == nil, fmt.Sprint(err)
	})
	if owners := secret.OwnerReferences; len(owners) != 1 || owners[0].Name != "shinan" {
		t.Errorf("Secret %s is owned by %v, want the MediationCenter", name, owners)
	}
	agency := embedded.Credentials{Username: string(secret.Data[controller.SecretUsernameKey]), Password: string(secret.Data[controller.SecretPasswordKey])}
	d, err := messaging.Cluster{Brokers: b.Addrs, Security: agency.Security()}.Dialer()
	if err != nil {
		t.Fatal(err)
	}
	own := events.CountyCopyTopic("370202", events.CopyJurisdiction)
	eventually(t, name+" finds its copy topic", func() (bool, string) {
		_, err := d.LookupPartitions(ctx, "tcp", b.Addrs[0], own)
		return err == nil, fmt.Sprint(err)
	})
	if _, err := d.LookupPartitions(ctx, "tcp", b.Addrs[0], other); !errors.Is(err, kafka.TopicAuthorizationFailed) {
		t.Errorf("%s looking up 622901's copy topic: %v, want TopicAuthorizationFailed", name, err)
	}
}
