// Package config reads a service's settings from the environment, the way it
// runs in production: KAFKA_BROKERS, MONGODB_URI, HTTP_ADDR and the standard
// OTEL_* variables (read by pkg/telemetry).
package config

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Common holds what every service needs.
type Common struct {
	KafkaBrokers  []string
	Kafka         KafkaSecurity
	MongoURI      string
	MongoDatabase string
	HTTPAddr      string
	// TopicPartitions and TopicReplication apply when a service creates a
	// topic it publishes to and the topic does not exist yet.
	TopicPartitions  int
	TopicReplication int
	// RelayInterval is how long the outbox relay waits before trying again
	// after a publication failed for want of the broker. (It does not poll:
	// writes announce their documents, and it sweeps for unannounced
	// entries at start-up and every few minutes.)
	RelayInterval time.Duration
}

// KafkaSecurity holds SASL and TLS settings for the brokers.
type KafkaSecurity struct {
	SASLMechanism string // "", "PLAIN", "SCRAM-SHA-256" or "SCRAM-SHA-512"
	Username      string
	Password      string
	TLS           bool
}

// FromEnv reads Common; database names default to "fengqiao".
func FromEnv(defaultHTTPAddr string) (Common, error) {
	var errs []error
	c := Common{
		KafkaBrokers:  splitList(os.Getenv("KAFKA_BROKERS")),
		MongoURI:      os.Getenv("MONGODB_URI"),
		MongoDatabase: String("MONGODB_DATABASE", "fengqiao"),
		HTTPAddr:      String("HTTP_ADDR", defaultHTTPAddr),
	}
	var err error
	if c.Kafka, err = kafkaSecurityFromEnv(); err != nil {
		errs = append(errs, err)
	}
	if c.TopicPartitions, err = Int("KAFKA_TOPIC_PARTITIONS", 3); err != nil {
		errs = append(errs, err)
	}
	if c.TopicReplication, err = Int("KAFKA_TOPIC_REPLICATION", -1); err != nil {
		errs = append(errs, err)
	}
	if c.RelayInterval, err = Duration("OUTBOX_RELAY_INTERVAL", time.Second); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, c.Validate())
	return c, errors.Join(errs...)
}

// Validate reports every missing or inconsistent setting at once.
func (c Common) Validate() error {
	var errs []error
	if len(c.KafkaBrokers) == 0 {
		errs = append(errs, errors.New("KAFKA_BROKERS is required (comma-separated host:port)"))
	}
	if c.MongoURI == "" {
		errs = append(errs, errors.New("MONGODB_URI is required"))
	}
	errs = append(errs, c.Kafka.Validate())
	return errors.Join(errs...)
}

// KafkaSecurityFromEnv reads only the Kafka security settings
// (KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD,
// KAFKA_TLS), validated as FromEnv does. It is for a process that is not a
// service and needs no MongoDB, such as the MediationCenter operator, which
// the platform chart gives the same settings as the services.
func KafkaSecurityFromEnv() (KafkaSecurity, error) {
	k, err := kafkaSecurityFromEnv()
	return k, errors.Join(err, k.Validate())
}

// kafkaSecurityFromEnv parses the variables without validating the mechanism,
// so FromEnv can report it once, through Common.Validate.
func kafkaSecurityFromEnv() (KafkaSecurity, error) {
	k := KafkaSecurity{
		SASLMechanism: strings.ToUpper(os.Getenv("KAFKA_SASL_MECHANISM")),
		Username:      os.Getenv("KAFKA_SASL_USERNAME"),
		Password:      os.Getenv("KAFKA_SASL_PASSWORD"),
	}
	var err error
	k.TLS, err = Bool("KAFKA_TLS", false)
	return k, err
}

// Validate reports a SASL mechanism the platform does not support.
func (k KafkaSecurity) Validate() error {
	switch k.SASLMechanism {
	case "", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
		return nil
	}
	return fmt.Errorf("KAFKA_SASL_MECHANISM %q is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512", k.SASLMechanism)
}

// String returns the variable's value or def when unset or empty.
func String(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// Int parses an integer variable.
func Int(name string, def int) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def, fmt.Errorf("%s: %q is not an integer", name, v)
	}
	return n, nil
}

// Bool parses a boolean variable.
func Bool(name string, def bool) (bool, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return def, fmt.Errorf("%s: %q is not a boolean", name, v)
	}
	return b, nil
}

// Duration parses a Go duration variable such as "500ms".
func Duration(name string, def time.Duration) (time.Duration, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return def, fmt.Errorf("%s: %q is not a duration", name, v)
	}
	return d, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
