package policywatch_test

import (
	"context"
	"sync"
	"testing"
	"time"

	kafka "github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/policywatch"
)

// startBroker starts the embedded broker with the policy topic, compacted
// and with two partitions so the watcher's multi-partition path is exercised.
func startBroker(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	b, err := embedded.StartBroker(ctx, embedded.BrokerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	c := &kafka.Client{Addr: kafka.TCP(b.Addrs...), Timeout: 5 * time.Second}
	res, err := c.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
		Topic: events.TopicPolicy, NumPartitions: 2, ReplicationFactor: 1,
		ConfigEntries: []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: "compact"}},
	}}})
	if err != nil || res.Errors[events.TopicPolicy] != nil {
		t.Fatalf("creating the policy topic: %v %v", err, res)
	}
	return b.Addrs
}

func writer(brokers []string) *kafka.Writer {
	return &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: events.TopicPolicy, Balancer: &kafka.Hash{},
		BatchTimeout: 5 * time.Millisecond, RequiredAcks: kafka.RequireAll}
}

func countyPolicy(code string, revision int64, agency string) policy.CountyPolicy {
	return policy.CountyPolicy{
		SchemaVersion: policy.SchemaVersion, County: policy.County{Code: code, Name: code},
		Revision: revision, Source: "test/" + code,
		Agencies:   []policy.Agency{{ID: agency, Name: agency, Kind: policy.JudicialOffice}},
		Routing:    []policy.RoutingRule{{Category: policy.Other, Agency: agency}},
		Escalation: policy.Escalation{High: policy.RiskEscalation{ResolutionDeadline: policy.Days(3)}},
	}
}

func publish(t *testing.T, w *kafka.Writer, p *policy.CountyPolicy, code string) {
	t.Helper()
	var value []byte
	if p != nil {
		var err error
		if value, err = policy.Encode(*p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.WriteMessages(context.Background(), kafka.Message{Key: []byte(code), Value: value}); err != nil {
		t.Fatal(err)
	}
}

// eventually polls cond for up to 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWatcherCatchesUpAndFollows is the live path: records present at start
// are there once Ready; later changes and tombstones arrive with a Change
// notification, without restarting anything.
func TestWatcherCatchesUpAndFollows(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the embedded broker")
	}
	brokers := startBroker(t)
	w := writer(brokers)
	defer w.Close()
	first := countyPolicy("622901", 1, "bafang-judicial")
	publish(t, w, &first, "622901")
	other := countyPolicy("370202", 1, "jsl-judicial")
	publish(t, w, &other, "370202")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watch := policywatch.New(policywatch.Config{Brokers: brokers, MaxWait: 50 * time.Millisecond})
	var mu sync.Mutex
	var changes []policywatch.Change
	watch.OnChange(func(c policywatch.Change) { mu.Lock(); changes = append(changes, c); mu.Unlock() })
	go func() { _ = watch.Run(ctx) }()
	readyCtx, readyCancel := context.WithTimeout(ctx, 10*time.Second)
	defer readyCancel()
	if err := watch.WaitReady(readyCtx); err != nil {
		t.Fatal(err)
	}
	if got := watch.Counties(); len(got) != 2 {
		t.Fatalf("after catch-up: counties %v, want 2", got)
	}
	p, _ := watch.Policy("622901")
	if a, ok := p.Route(policy.Neighbour, ""); !ok || a.ID != "bafang-judicial" {
		t.Fatalf("route before change = %v %v", a, ok)
	}

	second := countyPolicy("622901", 2, "city-centre")
	publish(t, w, &second, "622901")
	eventually(t, "the routing change", func() bool {
		p, ok := watch.Policy("622901")
		a, _ := p.Route(policy.Neighbour, "")
		return ok && a.ID == "city-centre"
	})

	publish(t, w, nil, "370202")
	eventually(t, "the retirement", func() bool { _, ok := watch.Policy("370202"); return !ok })

	mu.Lock()
	defer mu.Unlock()
	last := changes[len(changes)-1]
	if last.County != "370202" || last.Policy != nil || last.Previous == nil {
		t.Errorf("last change = %+v, want the retirement of 370202", last)
	}
}

// TestWatcherIgnoresOlderRevision keeps a rewound record from resurrecting
// an old policy of the same source.
func TestWatcherIgnoresOlderRevision(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the embedded broker")
	}
	brokers := startBroker(t)
	w := writer(brokers)
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watch := policywatch.New(policywatch.Config{Brokers: brokers, MaxWait: 50 * time.Millisecond})
	go func() { _ = watch.Run(ctx) }()
	newer := countyPolicy("620902", 5, "new")
	publish(t, w, &newer, "620902")
	eventually(t, "revision 5", func() bool { p, ok := watch.Policy("620902"); return ok && p.Revision == 5 })
	older := countyPolicy("620902", 4, "old")
	publish(t, w, &older, "620902")
	marker := countyPolicy("370202", 1, "marker")
	publish(t, w, &marker, "370202")
	eventually(t, "the marker", func() bool { _, ok := watch.Policy("370202"); return ok })
	time.Sleep(200 * time.Millisecond) // the other partition may lag the marker's
	if p, _ := watch.Policy("620902"); p.Revision != 5 {
		t.Errorf("revision = %d, want 5: an older record replaced a newer one", p.Revision)
	}
}

// TestWatcherWaitsForTopic: a service may start before the operator has
// created the topic.
func TestWatcherWaitsForTopic(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the embedded broker")
	}
	b, err := embedded.StartBroker(context.Background(), embedded.BrokerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	watch := policywatch.New(policywatch.Config{Brokers: b.Addrs, Retry: 50 * time.Millisecond})
	done := make(chan struct{})
	go func() { _ = watch.Run(ctx); close(done) }()
	select {
	case <-watch.Ready():
		t.Fatal("ready without a topic")
	case <-time.After(300 * time.Millisecond):
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

// TestLoadReadsThePoliciesOnce: a one-off job reads the policies there are
// and returns; a topic not created yet holds none.
func TestLoadReadsThePoliciesOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the embedded broker")
	}
	brokers := startBroker(t)
	w := writer(brokers)
	defer w.Close()
	first, second := countyPolicy("622901", 1, "bafang-judicial"), countyPolicy("622901", 2, "city-centre")
	other := countyPolicy("370202", 1, "jsl-judicial")
	publish(t, w, &first, "622901")
	publish(t, w, &other, "370202")
	publish(t, w, &second, "622901")
	publish(t, w, nil, "370202")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	watch := policywatch.New(policywatch.Config{Brokers: brokers})
	if err := watch.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if p, ok := watch.Policy("622901"); !ok || p.Revision != 2 || len(watch.Counties()) != 1 {
		t.Fatalf("after Load: %v, 622901 at %+v; want 622901 at revision 2 alone", watch.Counties(), p)
	}
	select {
	case <-watch.Ready():
	default:
		t.Error("not ready after Load")
	}

	b, err := embedded.StartBroker(ctx, embedded.BrokerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	none := policywatch.New(policywatch.Config{Brokers: b.Addrs})
	if err := none.Load(ctx); err != nil || len(none.Counties()) != 0 {
		t.Fatalf("Load without the topic = %v, counties %v; want none", err, none.Counties())
	}
}
