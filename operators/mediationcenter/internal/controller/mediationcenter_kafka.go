package controller

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/operators/mediationcenter/internal/kafkaclient"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
	"fengqiao.dev/operators/mediationcenter/internal/publish"
	"fengqiao.dev/pkg/messaging"
)

// KafkaClients is the real Kafka: the topic provisioner and the policy
// publisher on the process's one Kafka client.
type KafkaClients struct {
	*provision.Provisioner
	*publish.Publisher
	batcher *provision.Batcher
	client  *kgo.Client
}

// NewKafkaClients connects (lazily) to the cluster's brokers with its SASL
// and TLS settings; each call gives up after timeout.
func NewKafkaClients(cluster messaging.Cluster, timeout time.Duration) (*KafkaClients, error) {
	c, err := kafkaclient.New(cluster, timeout)
	if err != nil {
		return nil, fmt.Errorf("while creating the operator's Kafka client: %w", err)
	}
	p := provision.NewWithClient(c, cluster, timeout)
	return &KafkaClients{
		Provisioner: p,
		Publisher:   publish.NewWithClient(c, timeout),
		batcher:     provision.NewBatcher(p),
		client:      c,
	}, nil
}

// Close closes the Kafka client.
func (k *KafkaClients) Close() { k.client.Close() }

// EnsureTopics implements Kafka: the counties' checks made at once share
// their requests to the brokers.
func (k *KafkaClients) EnsureTopics(ctx context.Context, topics []provision.Topic) ([]string, error) {
	return k.batcher.Ensure(ctx, topics)
}

// DeleteTopics implements Kafka.
func (k *KafkaClients) DeleteTopics(ctx context.Context, topics []string) error {
	return k.Provisioner.Delete(ctx, topics)
}

// Publish implements Kafka.
func (k *KafkaClients) Publish(ctx context.Context, p policy.CountyPolicy) error {
	return k.Publisher.Publish(ctx, p)
}

// Retire implements Kafka.
func (k *KafkaClients) Retire(ctx context.Context, code string, at time.Time) error {
	return k.Publisher.Retire(ctx, code, at)
}

var _ Kafka = (*KafkaClients)(nil)
