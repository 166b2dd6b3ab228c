package provision_test

import (
	"context"
	"errors"
	"testing"
	"time"

	kafka "github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/kafkaacl"
	"fengqiao.dev/embedded"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
	"fengqiao.dev/pkg/messaging"
)

// TestEnsurePrincipalsOnABrokerWithACLs: on a broker that authenticates
// and authorises, the provisioner (as a superuser) creates Qingdao
// Shinan's (370202) agency principals with their ACLs; its jurisdiction
// agency then logs in, reads its copy, and is refused Linxia's (622901).
// A second run changes nothing that breaks it (a new password takes over).
func TestEnsurePrincipalsOnABrokerWithACLs(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the embedded broker")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin := embedded.Credentials{Username: "operator", Password: "s3cret"}
	b, err := embedded.StartBroker(ctx, embedded.BrokerOptions{Auth: &embedded.BrokerAuth{Admin: admin}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	cluster := messaging.Cluster{Brokers: b.Addrs, Security: admin.Security()}
	p, err := provision.New(cluster, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	own, other := events.CountyCopyTopic("370202", events.CopyJurisdiction), events.CountyCopyTopic("622901", events.CopyJurisdiction)
	if _, err := p.Ensure(ctx, []provision.Topic{{Name: own, Partitions: 1}, {Name: other, Partitions: 1}}); err != nil {
		t.Fatal(err)
	}
	producer, err := messaging.NewProducer(cluster)
	if err != nil {
		t.Fatal(err)
	}
	defer producer.Close()
	if err := producer.Publish(ctx, kafka.Message{Topic: own, Value: []byte("370202")}, kafka.Message{Topic: other, Value: []byte("622901")}); err != nil {
		t.Fatal(err)
	}

	name := kafkaacl.AgencyPrincipal("370202", events.CopyJurisdiction)
	for _, password := range []string{"first", "second"} {
		var principals []provision.Principal
		for _, a := range kafkaacl.CountyAgencies("370202") {
			principals = append(principals, provision.Principal{Principal: a, Password: password})
		}
		if err := p.EnsurePrincipals(ctx, principals); err != nil {
			t.Fatalf("EnsurePrincipals (password %q): %v", password, err)
		}
		agency := embedded.Credentials{Username: name, Password: password}.Security()
		d, err := messaging.Cluster{Brokers: b.Addrs, Security: agency}.Dialer()
		if err != nil {
			t.Fatal(err)
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: b.Addrs, Dialer: d, Topic: own, Partition: 0, MaxWait: 100 * time.Millisecond})
		m, err := r.ReadMessage(ctx)
		_ = r.Close()
		if err != nil || string(m.Value) != "370202" {
			t.Errorf("%s reading its own copy topic: %q, %v", name, m.Value, err)
		}
		if _, err := d.LookupPartitions(ctx, "tcp", b.Addrs[0], other); !errors.Is(err, kafka.TopicAuthorizationFailed) {
			t.Errorf("%s looking up 622901's copy topic: %v, want TopicAuthorizationFailed", name, err)
		}
	}
}
