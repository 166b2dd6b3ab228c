package provision_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	kafka "github.com/segmentio/kafka-go"

	"fengqiao.dev/embedded"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
	"fengqiao.dev/pkg/messaging"
)

// TestEnsureOnTheBroker runs the provisioner against the embedded broker:
// create, idempotent re-run, growth, config drift, the shrink refusal, and
// deletion.
func TestEnsureOnTheBroker(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the embedded broker")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := embedded.StartBroker(ctx, embedded.BrokerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p, err := provision.New(messaging.Cluster{Brokers: b.Addrs}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	topic := provision.Topic{Name: "fengqiao.county.622901.referral.police", Partitions: 2,
		Configs: map[string]string{"cleanup.policy": "delete", "retention.ms": "-1"}}

	created, err := p.Ensure(ctx, []provision.Topic{topic})
	if err != nil || len(created) != 1 {
		t.Fatalf("first Ensure: created %v, %v", created, err)
	}
	if created, err = p.Ensure(ctx, []provision.Topic{topic}); err != nil || len(created) != 0 {
		t.Fatalf("second Ensure must change nothing: created %v, %v", created, err)
	}

	topic.Partitions = 4
	topic.Configs["retention.ms"] = "86400000"
	if _, err := p.Ensure(ctx, []provision.Topic{topic}); err != nil {
		t.Fatalf("growing: %v", err)
	}
	if n := partitions(t, b.Addrs, topic.Name); n != 4 {
		t.Errorf("partitions %d, want 4", n)
	}
	if v := config(t, b.Addrs, topic.Name, "retention.ms"); v != "86400000" {
		t.Errorf("retention.ms %q, want 86400000", v)
	}

	topic.Partitions = 1
	if _, err := p.Ensure(ctx, []provision.Topic{topic}); !errors.Is(err, provision.ErrShrink) {
		t.Errorf("shrinking: %v, want ErrShrink", err)
	}

	topic.AnyPartitions = true
	if _, err := p.Ensure(ctx, []provision.Topic{topic}); err != nil {
		t.Errorf("a shared topic with more partitions than asked: %v", err)
	}

	if err := p.Delete(ctx, []string{topic.Name, "never-existed"}); err != nil {
		t.Fatal(err)
	}
	if n := partitions(t, b.Addrs, topic.Name); n != 0 {
		t.Errorf("after delete: %d partitions", n)
	}
}

func TestEnsureWithoutBroker(t *testing.T) {
	p, err := provision.New(messaging.Cluster{Brokers: []string{"127.0.0.1:1"}}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Ensure(context.Background(), []provision.Topic{{Name: "x", Partitions: 1}}); err == nil {
		t.Fatal("no error without a broker")
	}
}

func client(addrs []string) *kafka.Client {
	return &kafka.Client{Addr: kafka.TCP(addrs...), Timeout: 5 * time.Second,
		Transport: &kafka.Transport{MetadataTTL: 50 * time.Millisecond}}
}

func partitions(t *testing.T, addrs []string, topic string) int {
	t.Helper()
	md, err := client(addrs).Metadata(context.Background(), &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		t.Fatal(err)
	}
	if md.Topics[0].Error != nil {
		return 0
	}
	return len(md.Topics[0].Partitions)
}

func config(t *testing.T, addrs []string, topic, name string) string {
	t.Helper()
	res, err := client(addrs).DescribeConfigs(context.Background(), &kafka.DescribeConfigsRequest{
		Resources: []kafka.DescribeConfigRequestResource{{ResourceType: kafka.ResourceTypeTopic, ResourceName: topic}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Resources[0].ConfigEntries {
		if e.ConfigName == name {
			return e.ConfigValue
		}
	}
	return ""
}

// TestBatcherOnTheBroker: counties ensured at once share requests, yet each
// gets its own created names and its own error.
func TestBatcherOnTheBroker(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the embedded broker")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := embedded.StartBroker(ctx, embedded.BrokerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p, err := provision.New(messaging.Cluster{Brokers: b.Addrs}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	// A topic with more partitions than one county will ask for.
	wide := provision.Topic{Name: "fengqiao.county.110000.referral.police", Partitions: 3}
	if _, err := p.Ensure(ctx, []provision.Topic{wide}); err != nil {
		t.Fatal(err)
	}
	batcher := provision.NewBatcher(p)
	shared := provision.Topic{Name: "fengqiao.policy.v1", Partitions: 1, AnyPartitions: true}
	const counties = 30
	type result struct {
		created []string
		err     error
	}
	results := make([]result, counties)
	var wg sync.WaitGroup
	for i := range counties {
		wg.Go(func() {
			own := provision.Topic{Name: fmt.Sprintf("fengqiao.county.%d.referral.police", 110001+i), Partitions: 3}
			if i == 7 {
				own = wide
				own.Partitions = 1
			}
			created, err := batcher.Ensure(ctx, []provision.Topic{shared, own})
			results[i] = result{created, err}
		})
	}
	wg.Wait()
	sharedCreated := 0
	for i, r := range results {
		if i == 7 {
			if !errors.Is(r.err, provision.ErrShrink) {
				t.Errorf("county %d: %v, want ErrShrink", i, r.err)
			}
			continue
		}
		own := fmt.Sprintf("fengqiao.county.%d.referral.police", 110001+i)
		if r.err != nil || !slices.Contains(r.created, own) {
			t.Errorf("county %d: created %v, %v", i, r.created, r.err)
		}
		for _, name := range r.created {
			if name != own && name != shared.Name {
				t.Errorf("county %d was told of %s", i, name)
			}
			if name == shared.Name {
				sharedCreated++
			}
		}
		again, err := p.Ensure(ctx, []provision.Topic{{Name: own, Partitions: 3}})
		if err != nil || len(again) != 0 {
			t.Errorf("topic %s not as wanted: created %v, %v", own, again, err)
		}
	}
	if sharedCreated == 0 {
		t.Error("no county was told the shared topic was created")
	}
}
