package controller

import (
	"context"
	"time"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
	"fengqiao.dev/operators/mediationcenter/internal/publish"
)

// KafkaClients is the real Kafka: kafka-go's admin client for topics and a
// writer for the policy topic, the same ones localpolicy publishes with.
type KafkaClients struct {
	*provision.Provisioner
	*publish.Publisher
}

// NewKafkaClients connects (lazily) to brokers; each call gives up after timeout.
func NewKafkaClients(brokers []string, timeout time.Duration) *KafkaClients {
	return &KafkaClients{Provisioner: provision.New(brokers, timeout), Publisher: publish.New(brokers, timeout)}
}

// EnsureTopics implements Kafka.
func (k *KafkaClients) EnsureTopics(ctx context.Context, topics []provision.Topic) ([]string, error) {
	return k.Provisioner.Ensure(ctx, topics)
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
