package provision

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	kafka "github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"fengqiao.dev/operators/mediationcenter/internal/kafkaclient"
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

// Provisioner talks to one Kafka cluster. Every request names its topics,
// so a county's check costs the same whether the cluster holds ten topics
// or ten thousand.
type Provisioner struct {
	admin   *kgo.Client
	timeout time.Duration
	cluster messaging.Cluster

	// principals is kafka-go's admin client for SCRAM users and ACLs,
	// made on the first use: most installations leave users to Strimzi.
	principalsOnce sync.Once
	principals     *kafka.Client
	principalsErr  error
}

// New returns a Provisioner with a Kafka client of its own for the
// cluster's bootstrap brokers, with its SASL and TLS settings; each admin
// call gives up after timeout. It fails only on a SASL mechanism it cannot
// build.
func New(cluster messaging.Cluster, timeout time.Duration) (*Provisioner, error) {
	admin, err := kafkaclient.New(cluster, timeout)
	if err != nil {
		return nil, fmt.Errorf("while setting up the topic provisioner: %w", err)
	}
	return NewWithClient(admin, cluster, timeout), nil
}

// NewWithClient returns a Provisioner on an existing client: the operator
// shares one with its policy publisher.
func NewWithClient(admin *kgo.Client, cluster messaging.Cluster, timeout time.Duration) *Provisioner {
	return &Provisioner{admin: admin, cluster: cluster, timeout: timeout}
}

// ErrShrink is returned when a topic has more partitions than asked: Kafka
// cannot remove partitions, so the spec must be raised back.
var ErrShrink = errors.New("topic has more partitions than asked; partitions cannot shrink")

// Ensure makes each topic exist with at least its partitions and with its
// managed configs. It returns the names it created. The missing topics are
// created in one request, and the existing ones' configs read in one.
func (p *Provisioner) Ensure(ctx context.Context, topics []Topic) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	existing, err := p.partitions(ctx, names(topics))
	if err != nil {
		return nil, err
	}
	var missing, present, grow []Topic
	var shrink error
	for _, t := range topics {
		n, ok := existing[t.Name]
		switch {
		case !ok:
			missing = append(missing, t)
			continue
		case t.AnyPartitions:
		case n > t.Partitions:
			shrink = errors.Join(shrink, fmt.Errorf("topic %s has %d partitions, spec asks %d: %w", t.Name, n, t.Partitions, ErrShrink))
		case n < t.Partitions:
			grow = append(grow, t)
		}
		present = append(present, t)
	}
	created, err := p.create(ctx, missing)
	if err != nil || shrink != nil {
		return created, errors.Join(err, shrink)
	}
	if err := p.grow(ctx, grow); err != nil {
		return created, err
	}
	return created, p.alignConfigs(ctx, present)
}

// partitions returns the partition count of each of the named topics that exist.
func (p *Provisioner) partitions(ctx context.Context, topics []string) (map[string]int, error) {
	req := kmsg.NewPtrMetadataRequest()
	for _, name := range topics {
		t := kmsg.NewMetadataRequestTopic()
		t.Topic = kmsg.StringPtr(name)
		req.Topics = append(req.Topics, t)
	}
	res, err := req.RequestWith(ctx, p.admin)
	if err != nil {
		return nil, fmt.Errorf("while reading topic metadata: %w", err)
	}
	out := map[string]int{}
	for _, t := range res.Topics {
		name := deref(t.Topic)
		switch err := kerr.ErrorForCode(t.ErrorCode); {
		case err == nil:
			out[name] = len(t.Partitions)
		case errors.Is(err, kerr.UnknownTopicOrPartition):
		default:
			return nil, fmt.Errorf("while reading the metadata of topic %s: %w", name, err)
		}
	}
	return out, nil
}

// create makes the topics in one request and returns those it made; one
// that turned out to exist already is not an error.
func (p *Provisioner) create(ctx context.Context, topics []Topic) ([]string, error) {
	if len(topics) == 0 {
		return nil, nil
	}
	req := kmsg.NewPtrCreateTopicsRequest()
	req.TimeoutMillis = int32(p.timeout.Milliseconds())
	for _, t := range topics {
		req.Topics = append(req.Topics, createRequestTopic(t))
	}
	res, err := req.RequestWith(ctx, p.admin)
	if err != nil {
		return nil, fmt.Errorf("while creating topics %s: %w", strings.Join(names(topics), ", "), err)
	}
	var created []string
	var errs []error
	for _, t := range res.Topics {
		// Another operator replica or a service may have won the race: fine.
		switch err := kerr.ErrorForCode(t.ErrorCode); {
		case err == nil:
			created = append(created, t.Topic)
		case errors.Is(err, kerr.TopicAlreadyExists):
		default:
			errs = append(errs, fmt.Errorf("while creating topic %s: %w", t.Topic, err))
		}
	}
	sort.Strings(created)
	return created, errors.Join(errs...)
}

func createRequestTopic(t Topic) kmsg.CreateTopicsRequestTopic {
	rt := kmsg.NewCreateTopicsRequestTopic()
	rt.Topic = t.Name
	rt.NumPartitions = int32(t.Partitions)
	rt.ReplicationFactor = int16(t.ReplicationFactor)
	if t.ReplicationFactor <= 0 {
		rt.ReplicationFactor = -1 // KIP-464: the broker's default.replication.factor
	}
	for _, k := range sortedKeys(t.Configs) {
		c := kmsg.NewCreateTopicsRequestTopicConfig()
		c.Name, c.Value = k, kmsg.StringPtr(t.Configs[k])
		rt.Configs = append(rt.Configs, c)
	}
	return rt
}

func (p *Provisioner) grow(ctx context.Context, topics []Topic) error {
	if len(topics) == 0 {
		return nil
	}
	req := kmsg.NewPtrCreatePartitionsRequest()
	req.TimeoutMillis = int32(p.timeout.Milliseconds())
	for _, t := range topics {
		rt := kmsg.NewCreatePartitionsRequestTopic()
		rt.Topic, rt.Count = t.Name, int32(t.Partitions)
		req.Topics = append(req.Topics, rt)
	}
	res, err := req.RequestWith(ctx, p.admin)
	if err != nil {
		return fmt.Errorf("while growing topics %s: %w", strings.Join(names(topics), ", "), err)
	}
	var errs []error
	for _, t := range res.Topics {
		if err := kerr.ErrorForCode(t.ErrorCode); err != nil {
			errs = append(errs, fmt.Errorf("while growing topic %s: %w", t.Topic, err))
		}
	}
	return errors.Join(errs...)
}

// Delete deletes topics; one that is already gone is not an error.
func (p *Provisioner) Delete(ctx context.Context, topics []string) error {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	req := kmsg.NewPtrDeleteTopicsRequest()
	req.TimeoutMillis = int32(p.timeout.Milliseconds())
	for _, name := range topics {
		t := kmsg.NewDeleteTopicsRequestTopic()
		t.Topic = kmsg.StringPtr(name)
		req.Topics = append(req.Topics, t)
		req.TopicNames = append(req.TopicNames, name) // the field of versions before 6
	}
	res, err := req.RequestWith(ctx, p.admin)
	if err != nil {
		return fmt.Errorf("while deleting topics %s: %w", strings.Join(topics, ", "), err)
	}
	var errs []error
	for _, t := range res.Topics {
		if err := kerr.ErrorForCode(t.ErrorCode); err != nil && !errors.Is(err, kerr.UnknownTopicOrPartition) {
			errs = append(errs, fmt.Errorf("while deleting topic %s: %w", deref(t.Topic), err))
		}
	}
	return errors.Join(errs...)
}

func names(topics []Topic) []string {
	out := make([]string, 0, len(topics))
	for _, t := range topics {
		out = append(out, t.Name)
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
