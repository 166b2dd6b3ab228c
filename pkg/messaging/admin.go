package messaging

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/segmentio/kafka-go"
)

// EnsureTopics creates the topics that do not exist yet and leaves the others
// alone. Production clusters usually have them already (the operator creates
// every county's topics); creating them here keeps a fresh embedded platform
// and a new county working without a separate step.
func EnsureTopics(ctx context.Context, c Cluster, topics ...string) error {
	if len(topics) == 0 {
		return nil
	}
	tr, err := c.Transport()
	if err != nil {
		return err
	}
	defer tr.CloseIdleConnections()
	return ensureTopics(ctx, c, tr, topics)
}

// ensureTopics creates topics through tr. A kafka-go Transport starts a
// metadata goroutine and keeps connections for every broker it talks to
// until CloseIdleConnections: a transport made for one call must be closed
// after it, or every call (readiness probes included) leaks them.
func ensureTopics(ctx context.Context, c Cluster, tr *kafka.Transport, topics []string) error {
	client := &kafka.Client{Addr: kafka.TCP(c.Brokers...), Transport: tr}
	req := &kafka.CreateTopicsRequest{}
	for _, t := range topics {
		req.Topics = append(req.Topics, kafka.TopicConfig{
			Topic: t, NumPartitions: max(c.Partitions, 1), ReplicationFactor: c.replication(),
		})
	}
	resp, err := client.CreateTopics(ctx, req)
	if err != nil {
		return fmt.Errorf("while creating topics %v: %w", topics, err)
	}
	var errs []error
	for topic, err := range resp.Errors {
		if err != nil && !errors.Is(err, kafka.TopicAlreadyExists) {
			errs = append(errs, fmt.Errorf("topic %s: %w", topic, err))
		}
	}
	return errors.Join(errs...)
}

func (c Cluster) replication() int {
	if c.Replication == 0 {
		return -1 // the broker's default.replication.factor (KIP-464)
	}
	return c.Replication
}

// Ping checks that a broker answers, for readiness probes.
func Ping(ctx context.Context, c Cluster) error {
	// A fresh transport each time: kafka-go answers Metadata from the
	// transport's cache, so a long-lived one would report a dead broker
	// as alive.
	tr, err := c.Transport()
	if err != nil {
		return err
	}
	defer tr.CloseIdleConnections()
	client := &kafka.Client{Addr: kafka.TCP(c.Brokers...), Transport: tr}
	if _, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{}}); err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) {
			return fmt.Errorf("kafka unreachable: %w", err)
		}
		return fmt.Errorf("kafka metadata: %w", err)
	}
	return nil
}
