// Package kafkaclient builds the operator's one Kafka client (franz-go's
// kgo). It asks the brokers only about the topics it names: kafka-go's
// transport keeps metadata of every topic in the cluster and refreshes it
// after each CreateTopics and every second, which made each county's
// reconcile cost grow with the number of counties (docs/performance.md).
package kafkaclient

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"fengqiao.dev/pkg/messaging"
)

// New returns a client of the cluster's brokers with its SASL and TLS
// settings; it connects lazily. A request is retried while the brokers are
// unreachable, for at most timeout: a reconcile started during an outage
// succeeds as soon as the broker is back instead of waiting out a back-off.
func New(cluster messaging.Cluster, timeout time.Duration) (*kgo.Client, error) {
	opts := []kgo.Opt{
		kgo.SeedBrokers(cluster.Brokers...),
		kgo.DialTimeout(timeout),
		kgo.RetryTimeout(timeout),
		kgo.RetryBackoffFn(func(int) time.Duration { return 250 * time.Millisecond }),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		// The policy records were written without idempotence by kafka-go;
		// with it the operator's Kafka user would need IdempotentWrite.
		kgo.DisableIdempotentWrite(),
		kgo.RecordPartitioner(kafkaGoHashPartitioner()),
		kgo.ProducerLinger(0),
	}
	mechanism, err := saslMechanism(cluster)
	if err != nil {
		return nil, err
	}
	if mechanism != nil {
		opts = append(opts, kgo.SASL(mechanism))
	}
	if tlsConfig := cluster.TLS(); tlsConfig != nil {
		opts = append(opts, kgo.DialTLSConfig(tlsConfig))
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("cannot create the operator's Kafka client: %w", err)
	}
	return cl, nil
}

func saslMechanism(cluster messaging.Cluster) (sasl.Mechanism, error) {
	s := cluster.Security
	switch s.SASLMechanism {
	case "":
		return nil, nil
	case "PLAIN":
		return plain.Auth{User: s.Username, Pass: s.Password}.AsMechanism(), nil
	case "SCRAM-SHA-256":
		return scram.Auth{User: s.Username, Pass: s.Password}.AsSha256Mechanism(), nil
	case "SCRAM-SHA-512":
		return scram.Auth{User: s.Username, Pass: s.Password}.AsSha512Mechanism(), nil
	}
	return nil, fmt.Errorf("cannot use the Kafka SASL mechanism %q: unsupported", s.SASLMechanism)
}

// kafkaGoHashPartitioner puts a key in the partition kafka-go's Hash
// balancer chose (FNV-1a, as int32, modulo, sign dropped), so a county's
// policy records stay in the partition its earlier ones are in and
// compaction keeps one of them, whichever client wrote them.
func kafkaGoHashPartitioner() kgo.Partitioner {
	return kgo.BasicConsistentPartitioner(func(string) func(*kgo.Record, int) int {
		return func(r *kgo.Record, n int) int {
			h := fnv.New32a()
			_, _ = h.Write(r.Key)
			p := int32(h.Sum32()) % int32(n)
			if p < 0 {
				p = -p
			}
			return int(p)
		}
	})
}
