package brokercheck_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl/scram"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/kafkaacl"
	"fengqiao.dev/embedded"
)

// as is a kafka-go client and dialer logged in with c.
type as struct {
	client *kafka.Client
	dialer *kafka.Dialer
}

func login(t *testing.T, brokers []string, c embedded.Credentials) as {
	t.Helper()
	m, err := scram.Mechanism(scram.SHA512, c.Username, c.Password)
	if err != nil {
		t.Fatal(err)
	}
	tr := &kafka.Transport{SASL: m, DialTimeout: 5 * time.Second}
	t.Cleanup(tr.CloseIdleConnections)
	return as{
		client: &kafka.Client{Addr: kafka.TCP(brokers...), Transport: tr, Timeout: 10 * time.Second},
		dialer: &kafka.Dialer{SASLMechanism: m, Timeout: 5 * time.Second},
	}
}

// fetch reads partition 0 of topic from the start as a consumer outside any
// group does, and returns the records' values or the broker's refusal.
func (a as) fetch(ctx context.Context, topic string) ([]string, error) {
	res, err := a.client.Fetch(ctx, &kafka.FetchRequest{Topic: topic, Partition: 0, Offset: 0, MaxBytes: 1 << 20})
	if err != nil {
		return nil, err
	}
	if res.Error != nil {
		return nil, res.Error
	}
	var out []string
	for {
		r, err := res.Records.ReadRecord()
		if err != nil {
			break
		}
		v := make([]byte, r.Value.Len())
		_, _ = r.Value.Read(v)
		out = append(out, string(v))
	}
	return out, nil
}

// fetchDirect sends a Fetch for partition 0 of topic straight to the broker
// at addr, without the metadata lookup that would stop at the topic's
// description, so what is refused is the read itself.
func (a as) fetchDirect(ctx context.Context, addr, topic string) ([]string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	p, _ := strconv.Atoi(port)
	conn, err := a.dialer.DialPartition(ctx, "tcp", addr, kafka.Partition{Topic: topic, ID: 0, Leader: kafka.Broker{Host: host, Port: p}})
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	batch := conn.ReadBatch(1, 1<<20)
	defer batch.Close()
	var out []string
	for {
		m, err := batch.ReadMessage()
		if err != nil {
			if len(out) > 0 {
				return out, nil
			}
			return nil, err
		}
		out = append(out, string(m.Value))
	}
}

// TestAnAgencyReadsOnlyItsOwnCountysCopy: on a broker with the platform's
// ACLs, the jurisdiction agency of Qingdao Shinan (370202) reads its own
// county's jurisdiction copies, and the broker refuses it Linxia's
// (622901) — by fetch, by metadata and in a consumer group — and refuses a
// client that does not log in or logs in with a wrong password.
func TestAnAgencyReadsOnlyItsOwnCountysCopy(t *testing.T) {
	ctx := testCtx(t, time.Minute)
	auth := embedded.PlatformAuth("370202", "622901")
	broker, err := embedded.StartBroker(ctx, embedded.BrokerOptions{Auth: auth})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = broker.Close() })

	own, other := events.CountyCopyTopic("370202", events.CopyJurisdiction), events.CountyCopyTopic("622901", events.CopyJurisdiction)
	referral, _ := auth.User(kafkaacl.ServicePrincipal("referral"))
	admin := login(t, broker.Addrs, auth.Admin)
	created, err := admin.client.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{
		{Topic: own, NumPartitions: 1, ReplicationFactor: 1}, {Topic: other, NumPartitions: 1, ReplicationFactor: 1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for topic, err := range created.Errors {
		if err != nil {
			t.Fatalf("create %s: %v", topic, err)
		}
	}
	// The referral service, which writes every county's copies, publishes one on each.
	w := &kafka.Writer{Addr: kafka.TCP(broker.Addrs...), Transport: login(t, broker.Addrs, referral).client.Transport, RequiredAcks: kafka.RequireAll}
	t.Cleanup(func() { _ = w.Close() })
	if err := w.WriteMessages(ctx, kafka.Message{Topic: own, Value: []byte("copy of 370202")}, kafka.Message{Topic: other, Value: []byte("copy of 622901")}); err != nil {
		t.Fatalf("referral cannot publish the copies: %v", err)
	}

	creds, _ := auth.User(kafkaacl.AgencyPrincipal("370202", events.CopyJurisdiction))
	agency := login(t, broker.Addrs, creds)
	if got, err := agency.fetch(ctx, own); err != nil || len(got) != 1 || got[0] != "copy of 370202" {
		t.Errorf("370202's jurisdiction agency reading its own copies: %v, %v", got, err)
	}
	if _, err := agency.dialer.LookupPartitions(ctx, "tcp", broker.Addrs[0], other); !errors.Is(err, kafka.TopicAuthorizationFailed) {
		t.Errorf("370202's agency looking up 622901's topic: %v, want TopicAuthorizationFailed", err)
	}
	if got, err := agency.fetchDirect(ctx, broker.Addrs[0], other); !errors.Is(err, kafka.TopicAuthorizationFailed) || len(got) != 0 {
		t.Errorf("370202's jurisdiction agency fetching 622901's copies: %v, %v; want TopicAuthorizationFailed", got, err)
	}
	// In a consumer group named after itself it reads its own copy; a
	// group on the other county's topic is refused.
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: broker.Addrs, Topic: own, GroupID: creds.Username + ".bridge", Dialer: agency.dialer, StartOffset: kafka.FirstOffset, MaxWait: 100 * time.Millisecond})
	t.Cleanup(func() { _ = r.Close() })
	if m, err := r.ReadMessage(ctx); err != nil || string(m.Value) != "copy of 370202" {
		t.Errorf("in its consumer group: %q, %v", m.Value, err)
	}
	// Nor may it write, even on its own copy topic.
	wa := &kafka.Writer{Addr: kafka.TCP(broker.Addrs...), Transport: agency.client.Transport, RequiredAcks: kafka.RequireAll, MaxAttempts: 1}
	t.Cleanup(func() { _ = wa.Close() })
	err = wa.WriteMessages(ctx, kafka.Message{Topic: own, Value: []byte("forged")})
	if we := (kafka.WriteErrors{}); !errors.As(err, &we) || !errors.Is(we[0], kafka.TopicAuthorizationFailed) {
		t.Errorf("the agency writing its copy topic: %v, want TopicAuthorizationFailed", err)
	}

	// A client that does not log in, or logs in with a wrong password, gets nothing.
	anonymous := &kafka.Client{Addr: kafka.TCP(broker.Addrs...), Timeout: 5 * time.Second}
	if _, err := anonymous.Fetch(ctx, &kafka.FetchRequest{Topic: own, Partition: 0, Offset: 0, MaxBytes: 1 << 20}); err == nil {
		t.Error("a client without credentials fetched a copy")
	}
	wrong := login(t, broker.Addrs, embedded.Credentials{Username: creds.Username, Password: "guess"})
	if got, err := wrong.fetch(ctx, own); err == nil {
		t.Errorf("a wrong password fetched %v", got)
	}
}
