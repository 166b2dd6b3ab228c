package provision

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	kafka "github.com/segmentio/kafka-go"

	"fengqiao.dev/pkg/messaging"
)

// Topic is the wanted shape of one topic.
type Topic struct {
	Name       string
	Partitions int
	// ReplicationFactor 0 or less asks for the broker's default.
	ReplicationFactor int
	// AnyPartitions accepts an existing topic whatever its partition count:
	// for shared topics someone else may have created first.
	AnyPartitions bool
	// Configs are managed topic configs (cleanup.policy, retention.ms): set
	// at creation and put back if they drift.
	Configs map[string]string
}

// Provisioner talks to one Kafka cluster.
type Provisioner struct {
	client *kafka.Client
}

// New returns a Provisioner for the cluster's bootstrap brokers, with its
// SASL and TLS settings; each admin call gives up after timeout. It fails
// only on a SASL mechanism it cannot build.
func New(cluster messaging.Cluster, timeout time.Duration) (*Provisioner, error) {
	tr, err := cluster.Transport()
	if err != nil {
		return nil, fmt.Errorf("while setting up the topic provisioner's Kafka security: %w", err)
	}
	tr.DialTimeout = timeout
	// kafka-go answers Metadata from the transport's cache (6 s by default):
	// a short TTL lets the next reconcile see the topics this one created or
	// grew, and deleted topics vanish, without waiting that long.
	tr.MetadataTTL = time.Second
	return &Provisioner{client: &kafka.Client{Addr: kafka.TCP(cluster.Brokers...), Timeout: timeout, Transport: tr}}, nil
}

// ErrShrink is returned when a topic has more partitions than asked: Kafka
// cannot remove partitions, so the spec must be raised back.
var ErrShrink = errors.New("topic has more partitions than asked; partitions cannot shrink")

// Ensure makes each topic exist with at least its partitions and with its
// managed configs. It returns the names it created.
func (p *Provisioner) Ensure(ctx context.Context, topics []Topic) ([]string, error) {
	existing, err := p.partitions(ctx, names(topics))
	if err != nil {
		return nil, err
	}
	var created []string
	for _, t := range topics {
		n, ok := existing[t.Name]
		switch {
		case !ok:
			made, err := p.create(ctx, t)
			if err != nil {
				return created, err
			}
			if made {
				created = append(created, t.Name)
			}
		case t.AnyPartitions:
		case n > t.Partitions:
			return created, fmt.Errorf("topic %s has %d partitions, spec asks %d: %w", t.Name, n, t.Partitions, ErrShrink)
		case n < t.Partitions:
			if err := p.grow(ctx, t); err != nil {
				return created, err
			}
		}
		if ok {
			if err := p.alignConfigs(ctx, t); err != nil {
				return created, err
			}
		}
	}
	return created, nil
}

// partitions returns the partition count of each of the named topics that exist.
func (p *Provisioner) partitions(ctx context.Context, topics []string) (map[string]int, error) {
	md, err := p.client.Metadata(ctx, &kafka.MetadataRequest{Topics: topics})
	if err != nil {
		return nil, fmt.Errorf("while reading topic metadata: %w", err)
	}
	out := map[string]int{}
	for _, t := range md.Topics {
		switch {
		case t.Error == nil:
			out[t.Name] = len(t.Partitions)
		case errors.Is(t.Error, kafka.UnknownTopicOrPartition):
		default:
			return nil, fmt.Errorf("while reading the metadata of topic %s: %w", t.Name, t.Error)
		}
	}
	return out, nil
}

// create reports false when the topic turned out to exist already.
func (p *Provisioner) create(ctx context.Context, t Topic) (bool, error) {
	rf := t.ReplicationFactor
	if rf <= 0 {
		rf = -1 // KIP-464: the broker's default.replication.factor
	}
	res, err := p.client.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
		Topic: t.Name, NumPartitions: t.Partitions, ReplicationFactor: rf, ConfigEntries: entries(t.Configs),
	}}})
	if err != nil {
		return false, fmt.Errorf("while creating topic %s: %w", t.Name, err)
	}
	// Another operator replica or a service may have won the race, or the
	// metadata was a second old: fine.
	switch err := res.Errors[t.Name]; {
	case errors.Is(err, kafka.TopicAlreadyExists):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("while creating topic %s: %w", t.Name, err)
	}
	return true, nil
}

func (p *Provisioner) grow(ctx context.Context, t Topic) error {
	res, err := p.client.CreatePartitions(ctx, &kafka.CreatePartitionsRequest{
		Topics: []kafka.TopicPartitionsConfig{{Name: t.Name, Count: int32(t.Partitions)}},
	})
	if err != nil {
		return fmt.Errorf("while growing topic %s to %d partitions: %w", t.Name, t.Partitions, err)
	}
	if err := res.Errors[t.Name]; err != nil {
		return fmt.Errorf("while growing topic %s to %d partitions: %w", t.Name, t.Partitions, err)
	}
	return nil
}

// Delete deletes topics; one that is already gone is not an error.
func (p *Provisioner) Delete(ctx context.Context, topics []string) error {
	res, err := p.client.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: topics})
	if err != nil {
		return fmt.Errorf("while deleting topics %s: %w", strings.Join(topics, ", "), err)
	}
	for name, err := range res.Errors {
		if err != nil && !errors.Is(err, kafka.UnknownTopicOrPartition) {
			return fmt.Errorf("while deleting topic %s: %w", name, err)
		}
	}
	return nil
}

func names(topics []Topic) []string {
	out := make([]string, 0, len(topics))
	for _, t := range topics {
		out = append(out, t.Name)
	}
	return out
}

func entries(configs map[string]string) []kafka.ConfigEntry {
	keys := make([]string, 0, len(configs))
	for k := range configs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]kafka.ConfigEntry, 0, len(keys))
	for _, k := range keys {
		out = append(out, kafka.ConfigEntry{ConfigName: k, ConfigValue: configs[k]})
	}
	return out
}
