package publish_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	kafka "github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
	"fengqiao.dev/operators/mediationcenter/internal/publish"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/messaging"
)

// The operator's credentials on the SASL broker below.
const saslUser, saslPassword = "mediationcenter-operator", "s3cret"

// saslBroker starts a kfake broker that accepts only authenticated clients,
// as a Strimzi listener with SASL does: embedded.StartBroker has no SASL.
func saslBroker(t *testing.T) []string {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.DefaultNumPartitions(1), kfake.EnableSASL(),
		kfake.Superuser("PLAIN", saslUser, saslPassword),
		kfake.Superuser("SCRAM-SHA-256", saslUser, saslPassword),
		kfake.Superuser("SCRAM-SHA-512", saslUser, saslPassword))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()
}

// TestProvisionAndPublishWithSASL: the operator's provisioner and publisher
// create the policy topic and publish a policy on a broker that requires
// SASL, with each mechanism the platform supports (config.KafkaSecurity).
func TestProvisionAndPublishWithSASL(t *testing.T) {
	brokers := saslBroker(t)
	for code, mechanism := range map[string]string{"622901": "PLAIN", "622902": "SCRAM-SHA-256", "622903": "SCRAM-SHA-512"} {
		t.Run(mechanism, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cluster := messaging.Cluster{Brokers: brokers, Security: config.KafkaSecurity{
				SASLMechanism: mechanism, Username: saslUser, Password: saslPassword}}
			prov, err := provision.New(cluster, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := prov.Ensure(ctx, publish.SharedTopics()); err != nil {
				t.Fatalf("Ensure with SASL %s: %v", mechanism, err)
			}
			pub, err := publish.New(cluster, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = pub.Close() }()
			sent := policy.CountyPolicy{County: policy.County{Code: code}, Revision: 1, Hash: "h"}
			if err := pub.Publish(ctx, sent); err != nil {
				t.Fatalf("Publish with SASL %s: %v", mechanism, err)
			}
			if id := readPolicyOf(ctx, t, cluster, code); id != "policy-"+code+"-1-h" {
				t.Errorf("read back ce_id %q for county %s", id, code)
			}
		})
	}
}

// TestWrongSASLCredentialsFailClearly: without the right credentials the
// provisioner and the publisher fail with an error naming what they were
// doing, not a hang, and the broker is left unchanged. Both a wrong password
// and no SASL at all are refused, which also shows the broker above really
// demands SASL. kfake drops the connection on a failed authentication
// (EOF, or the client's "is SASL missing?" when it sent no SASL); a real
// Kafka first answers SASL_AUTHENTICATION_FAILED. The publisher keeps
// trying a record until its deadline, so it fails with that deadline,
// within the timeout.
func TestWrongSASLCredentialsFailClearly(t *testing.T) {
	brokers := saslBroker(t)
	for name, security := range map[string]config.KafkaSecurity{
		"wrong password": {SASLMechanism: "PLAIN", Username: saslUser, Password: "not-" + saslPassword},
		"no SASL":        {},
	} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cluster := messaging.Cluster{Brokers: brokers, Security: security}
			prov, err := provision.New(cluster, 2*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			_, err = prov.Ensure(ctx, publish.SharedTopics())
			wantRefused(t, err, "while reading topic metadata", false)
			pub, err := publish.New(cluster, 2*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = pub.Close() }()
			err = pub.Publish(ctx, policy.CountyPolicy{County: policy.County{Code: "622901"}, Revision: 1})
			wantRefused(t, err, "while publishing the policy of county 622901", true)
		})
	}
	if topicExists(t, messaging.Cluster{Brokers: brokers, Security: config.KafkaSecurity{
		SASLMechanism: "PLAIN", Username: saslUser, Password: saslPassword}}, events.TopicPolicy) {
		t.Errorf("refused clients created %s", events.TopicPolicy)
	}
}

func wantRefused(t *testing.T, err error, doing string, deadline bool) {
	t.Helper()
	refused := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, kerr.SaslAuthenticationFailed) || strings.Contains(fmt.Sprint(err), "is SASL missing?")
	switch {
	case err == nil:
		t.Errorf("%s: no error", doing)
	case !strings.Contains(err.Error(), doing):
		t.Errorf("error %q does not say %q", err, doing)
	case !refused && !(deadline && errors.Is(err, context.DeadlineExceeded)):
		t.Errorf("error %q is not a refused authentication", err)
	}
}

func topicExists(t *testing.T, cluster messaging.Cluster, topic string) bool {
	t.Helper()
	tr, err := cluster.Transport()
	if err != nil {
		t.Fatal(err)
	}
	c := &kafka.Client{Addr: kafka.TCP(cluster.Brokers...), Timeout: 5 * time.Second, Transport: tr}
	md, err := c.Metadata(context.Background(), &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		t.Fatal(err)
	}
	return len(md.Topics) == 1 && md.Topics[0].Error == nil
}

// readPolicyOf reads the policy topic from its start, through the cluster's
// SASL dialer, until the record of county code; it returns its ce_id.
func readPolicyOf(ctx context.Context, t *testing.T, cluster messaging.Cluster, code string) string {
	t.Helper()
	dialer, err := cluster.Dialer()
	if err != nil {
		t.Fatal(err)
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: cluster.Brokers, Dialer: dialer, Topic: events.TopicPolicy,
		Partition: 0, StartOffset: kafka.FirstOffset, MaxWait: 50 * time.Millisecond})
	defer func() { _ = r.Close() }()
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("while reading the policy of county %s: %v", code, err)
		}
		if string(m.Key) != code {
			continue
		}
		for _, h := range m.Headers {
			if h.Key == "ce_id" {
				return string(h.Value)
			}
		}
		return ""
	}
}
