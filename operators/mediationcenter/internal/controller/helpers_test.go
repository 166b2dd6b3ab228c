package controller_test

import (
	"context"
	"testing"
	"time"

	kafka "github.com/segmentio/kafka-go"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/v1alpha1"
)

// newCenter is a small valid county: one street with a community and a
// grid, a police station, a judicial office, a governance centre and a
// mediator at each tier (the tier-1 one on call).
func newCenter(ns, name, code string) *v1alpha1.MediationCenter {
	return &v1alpha1.MediationCenter{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.MediationCenterSpec{
			County: v1alpha1.County{Code: code, Name: "测试县 " + code},
			Jurisdiction: []v1alpha1.Township{{ID: "jiangsulu", Name: "江苏路街道", Kind: "street",
				Villages: []v1alpha1.Village{{ID: "qidonglu", Name: "齐东路社区", Kind: "community",
					Grids: []v1alpha1.Grid{{ID: "g1"}}}}}},
			Agencies: []v1alpha1.Agency{
				{ID: "centre", Name: "综治中心", Kind: "governance_centre"},
				{ID: "police", Name: "江苏路派出所", Kind: "police_station", Township: "jiangsulu"},
				{ID: "judicial", Name: "江苏路司法所", Kind: "judicial_office", Township: "jiangsulu"},
			},
			Mediators: []v1alpha1.Mediator{
				{ID: "m3", Agency: "centre", Role: "peacemaker", Tier: 3, Skills: []v1alpha1.Category{"neighbour"}},
				{ID: "m2", Agency: "police", Role: "police_officer", Tier: 2, Skills: []v1alpha1.Category{"neighbour"}},
				{ID: "m1", Agency: "judicial", Role: "people_mediator", Tier: 1, OnCall: true,
					Skills: []v1alpha1.Category{"marriage_family"}, Capacity: ptr.To[int32](3)},
			},
			Routing: []v1alpha1.RoutingRule{
				{Category: "other", Agency: "centre"},
				{Category: "neighbour", Agency: "judicial", Township: "jiangsulu"},
			},
		},
	}
}

func createNamespace(t *testing.T, name string) {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if err := suite.k8s.Create(context.Background(), ns); client.IgnoreAlreadyExists(err) != nil {
		t.Fatal(err)
	}
}

// eventually polls cond until it holds or 30 s pass, then fails with what
// the last poll said.
func eventually(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	last := ""
	for time.Now().Before(deadline) {
		ok, msg := cond()
		if ok {
			return
		}
		last = msg
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; last: %s", what, last)
}

// get reloads mc.
func get(t *testing.T, mc *v1alpha1.MediationCenter) *v1alpha1.MediationCenter {
	t.Helper()
	var out v1alpha1.MediationCenter
	if err := suite.k8s.Get(context.Background(), client.ObjectKeyFromObject(mc), &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

// waitCondition waits until condition typ of mc has status and reason (any
// reason when empty) for mc's current generation.
func waitCondition(t *testing.T, mc *v1alpha1.MediationCenter, typ string, status metav1.ConditionStatus, reason string) *v1alpha1.MediationCenter {
	t.Helper()
	var cur *v1alpha1.MediationCenter
	eventually(t, typ+"="+string(status)+" "+reason, func() (bool, string) {
		cur = get(t, mc)
		c := meta.FindStatusCondition(cur.Status.Conditions, typ)
		if c == nil {
			return false, "no condition"
		}
		ok := c.Status == status && (reason == "" || c.Reason == reason) &&
			c.ObservedGeneration == cur.Generation && cur.Status.ObservedGeneration == cur.Generation
		return ok, string(c.Status) + " " + c.Reason + ": " + c.Message
	})
	return cur
}

// update applies change to the latest version of mc, retrying on conflict:
// the operator writes the status concurrently.
func update(t *testing.T, mc *v1alpha1.MediationCenter, change func(*v1alpha1.MediationCenter)) {
	t.Helper()
	if err := tryUpdate(t, mc, change); err != nil {
		t.Fatal(err)
	}
}

// tryUpdate is update returning the apiserver's answer.
func tryUpdate(t *testing.T, mc *v1alpha1.MediationCenter, change func(*v1alpha1.MediationCenter)) error {
	t.Helper()
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		cur := get(t, mc)
		change(cur)
		return suite.k8s.Update(context.Background(), cur)
	})
}

func kafkaClient() *kafka.Client {
	// A fresh transport each time: kafka-go answers Metadata from its
	// transport's cache, and the default transport is shared and stale.
	return &kafka.Client{Addr: kafka.TCP(suite.brokers...), Timeout: 5 * time.Second,
		Transport: &kafka.Transport{MetadataTTL: 100 * time.Millisecond}}
}

// topicPartitions returns the partition count of each existing topic.
func topicPartitions(t *testing.T, names ...string) map[string]int {
	t.Helper()
	md, err := kafkaClient().Metadata(context.Background(), &kafka.MetadataRequest{Topics: names})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, tp := range md.Topics {
		if tp.Error == nil {
			out[tp.Name] = len(tp.Partitions)
		} else {
			t.Logf("topic %s: %v", tp.Name, tp.Error)
		}
	}
	return out
}

// policyRecords returns every record of the policy topic for county code,
// in order (the topic has one partition).
func policyRecords(t *testing.T, code string) []kafka.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := kafkaClient().ListOffsets(ctx, &kafka.ListOffsetsRequest{
		Topics: map[string][]kafka.OffsetRequest{events.TopicPolicy: {kafka.LastOffsetOf(0)}}})
	if err != nil {
		t.Fatal(err)
	}
	end := res.Topics[events.TopicPolicy][0].LastOffset
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: suite.brokers, Topic: events.TopicPolicy, Partition: 0,
		StartOffset: kafka.FirstOffset, MaxWait: 100 * time.Millisecond})
	defer r.Close()
	var out []kafka.Message
	for end > 0 {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("reading the policy topic: %v", err)
		}
		if string(m.Key) == code {
			out = append(out, m)
		}
		if m.Offset >= end-1 {
			break
		}
	}
	return out
}

func header(m kafka.Message, key string) string {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}
