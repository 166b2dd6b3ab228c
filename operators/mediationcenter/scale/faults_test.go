//go:build scale

package scale_test

import (
	"context"
	"testing"
	"time"

	kafka "github.com/segmentio/kafka-go"
	eventsv1 "k8s.io/api/events/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"fengqiao.dev/api/events"
	"fengqiao.dev/operators/mediationcenter/internal/controller"
)

// TestScaleBrokerOutage creates 50 centers while the broker is down, long
// enough for their back-off to reach its cap, then brings the broker back
// and reports how long after its return all were Ready. Each center's
// Events say that Kafka was unavailable and then reachable again.
func TestScaleBrokerOutage(t *testing.T) {
	const n = 50
	r := newRig(t, buildOperator(t))
	r.startOperator()
	r.stopBroker()
	r.createCenters(0, n)
	// Five failures in a row take the back-off from 1 s to its 5 s cap.
	time.Sleep(20 * time.Second)
	if ready, _ := r.readyCount(); ready != 0 {
		t.Fatalf("%d centers Ready without a broker", ready)
	}
	r.startBroker()
	back := time.Now()
	allReady := r.waitAllReady(n, 5*time.Minute)
	t.Logf("broker down while %d centers were created: all Ready %.1f s after it returned", n, allReady.Sub(back).Seconds())

	reasons := eventReasons(t, r)
	for i := range n {
		name := centerName(countyCode(i))
		for _, want := range []string{controller.EventKafkaUnavailable, controller.EventKafkaRecovered} {
			if reasons[name][want] == 0 {
				t.Errorf("%s has no %s Event; it has %v", name, want, reasons[name])
			}
		}
	}
	if errs := r.operatorErrors(); len(errs) > 0 {
		t.Logf("%d error lines in the operator's log while the broker was down, the first: %s", len(errs), errs[0])
	}
}

// TestScaleOperatorRestart stops the operator (SIGTERM, as a rolling
// update does) when about half of 300 new centers are Ready and starts a
// new one: every county ends Ready with exactly one policy record on the
// topic, and neither operator logged an error.
func TestScaleOperatorRestart(t *testing.T) {
	const n = 300
	r := newRig(t, buildOperator(t))
	r.startOperator()
	// Created while the first operator runs: it keeps up with the creation,
	// so waiting for all to be created would leave nothing to cut short.
	created := make(chan struct{})
	go func() { r.createCenters(0, n); close(created) }()
	for {
		if ready, _ := r.readyCount(); ready >= n/2 {
			t.Logf("%d of %d Ready when the operator was stopped", ready, n)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	r.stopOperator()
	<-created
	errs := r.operatorErrors()
	r.startOperator()
	r.waitAllReady(n, 10*time.Minute)
	errs = append(errs, r.operatorErrors()...)
	for _, e := range errs {
		t.Errorf("operator logged an error: %s", e)
	}
	records := policyRecordsByCounty(t, r.brokerAddr)
	for i := range n {
		if got := records[countyCode(i)]; got != 1 {
			t.Errorf("county %s has %d policy records, want 1", countyCode(i), got)
		}
	}
}

// eventReasons counts the Events of each center by reason.
func eventReasons(t *testing.T, r *rig) map[string]map[string]int {
	t.Helper()
	var list eventsv1.EventList
	if err := r.k8s.List(context.Background(), &list, client.InNamespace(namespace)); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]int{}
	for _, e := range list.Items {
		if out[e.Regarding.Name] == nil {
			out[e.Regarding.Name] = map[string]int{}
		}
		out[e.Regarding.Name][e.Reason]++
	}
	return out
}

// policyRecordsByCounty counts the records of the policy topic per county.
func policyRecordsByCounty(t *testing.T, broker string) map[string]int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := &kafka.Client{Addr: kafka.TCP(broker), Timeout: 10 * time.Second}
	res, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{
		Topics: map[string][]kafka.OffsetRequest{events.TopicPolicy: {kafka.LastOffsetOf(0)}}})
	if err != nil {
		t.Fatal(err)
	}
	end := res.Topics[events.TopicPolicy][0].LastOffset
	rd := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{broker}, Topic: events.TopicPolicy, Partition: 0,
		StartOffset: kafka.FirstOffset, MaxWait: 100 * time.Millisecond})
	defer rd.Close()
	out := map[string]int{}
	for end > 0 {
		m, err := rd.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("reading the policy topic: %v", err)
		}
		out[string(m.Key)]++
		if m.Offset >= end-1 {
			break
		}
	}
	return out
}
