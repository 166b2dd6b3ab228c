package config

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

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
