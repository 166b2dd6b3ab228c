package messaging

import (
	"crypto/tls"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/plain"
	"github.com/segmentio/kafka-go/sasl/scram"

	"fengqiao.dev/pkg/config"
)

// Cluster is how to reach the brokers.
type Cluster struct {
	Brokers  []string
	Security config.KafkaSecurity
	// Topic settings used when a topic has to be created.
	Partitions  int
	Replication int
}

// ClusterFromConfig builds a Cluster from the common service configuration.
func ClusterFromConfig(c config.Common) Cluster {
	return Cluster{Brokers: c.KafkaBrokers, Security: c.Kafka, Partitions: c.TopicPartitions, Replication: c.TopicReplication}
}

// SASL is the cluster's SASL mechanism, nil for none.
func (c Cluster) SASL() (sasl.Mechanism, error) { return c.mechanism() }

// TLS is the cluster's TLS configuration, nil for plaintext.
func (c Cluster) TLS() *tls.Config { return c.tlsConfig() }

func (c Cluster) mechanism() (sasl.Mechanism, error) {
	s := c.Security
	switch s.SASLMechanism {
	case "":
		return nil, nil
	case "PLAIN":
		return plain.Mechanism{Username: s.Username, Password: s.Password}, nil
	case "SCRAM-SHA-256":
		return scram.Mechanism(scram.SHA256, s.Username, s.Password)
	case "SCRAM-SHA-512":
		return scram.Mechanism(scram.SHA512, s.Username, s.Password)
	}
	return nil, fmt.Errorf("unsupported SASL mechanism %q", s.SASLMechanism)
}

func (c Cluster) tlsConfig() *tls.Config {
	if !c.Security.TLS {
		return nil
	}
	return &tls.Config{MinVersion: tls.VersionTLS12}
}

// Transport is the kafka-go transport for writers and admin clients.
func (c Cluster) Transport() (*kafka.Transport, error) {
	m, err := c.mechanism()
	if err != nil {
		return nil, err
	}
	return &kafka.Transport{SASL: m, TLS: c.tlsConfig(), DialTimeout: 5 * time.Second}, nil
}

// Dialer is the kafka-go dialer for readers.
func (c Cluster) Dialer() (*kafka.Dialer, error) {
	m, err := c.mechanism()
	if err != nil {
		return nil, err
	}
	return &kafka.Dialer{SASLMechanism: m, TLS: c.tlsConfig(), Timeout: 5 * time.Second, DualStack: true}, nil
}
