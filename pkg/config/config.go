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
	// HTTP bounds what one client and one request may take of the server.
	HTTP HTTPLimits
	// Auth says how the service establishes who calls it.
	Auth Auth
}

// Auth configures authentication of the HTTP API. By default every /v1
// request must carry a bearer token from Issuer; TrustedHeaders is only for
// a deployment behind a gateway that authenticates and sets the
// X-Fengqiao-* headers itself.
type Auth struct {
	Issuer   string // AUTH_ISSUER: the OIDC issuer URL tokens must come from
	Audience string // AUTH_AUDIENCE: what a token's aud must include (default "fengqiao")
	JWKSURL  string // AUTH_JWKS_URL: the issuer's keys; empty: from its discovery document
	// TrustedHeaders (AUTH_TRUSTED_HEADERS=true) believes the X-Fengqiao-*
	// headers instead of verifying tokens. Anyone who reaches the service
	// past the gateway can claim any identity with it.
	TrustedHeaders bool
}

// DefaultAudience is the audience the platform's tokens are issued for.
const DefaultAudience = "fengqiao"

// Validate reports an API that would authenticate nobody.
func (a Auth) Validate() error {
	if a.Issuer == "" && !a.TrustedHeaders {
		return errors.New("AUTH_ISSUER is required: every API request is authenticated by a bearer token from it " +
			"(or AUTH_TRUSTED_HEADERS=true behind a gateway that authenticates; docs/security.md)")
	}
	return nil
}

func authFromEnv() (Auth, error) {
	a := Auth{Issuer: os.Getenv("AUTH_ISSUER"), Audience: String("AUTH_AUDIENCE", DefaultAudience), JWKSURL: os.Getenv("AUTH_JWKS_URL")}
	var err error
	a.TrustedHeaders, err = Bool("AUTH_TRUSTED_HEADERS", false)
	return a, err
}

// HTTPLimits bound the HTTP server, so that slow, huge or many requests from
// one client cannot tie a service up. Zero fields take DefaultHTTPLimits'.
type HTTPLimits struct {
	ReadHeaderTimeout time.Duration // HTTP_READ_HEADER_TIMEOUT: request line and headers (slowloris)
	ReadTimeout       time.Duration // HTTP_READ_TIMEOUT: the whole request, body included
	WriteTimeout      time.Duration // HTTP_WRITE_TIMEOUT: from the end of the headers to the end of the response
	IdleTimeout       time.Duration // HTTP_IDLE_TIMEOUT: a kept-alive connection between requests
	MaxHeaderBytes    int           // HTTP_MAX_HEADER_BYTES: request line and headers
	MaxBodyBytes      int64         // HTTP_MAX_BODY_BYTES: a request body; more is a 413
	MaxJSONDepth      int           // HTTP_MAX_JSON_DEPTH: nesting of a JSON body; deeper is a 400
	// RatePerSecond and RateBurst are each client's token bucket (by the
	// connection's IP address, identified or not); over it is a 429 with
	// Retry-After. A negative RatePerSecond turns the limit off.
	RatePerSecond float64 // HTTP_RATE_LIMIT
	RateBurst     int     // HTTP_RATE_BURST
}

// DefaultHTTPLimits are generous for a person or a channel's system and
// small enough that one client cannot starve the others: a form is a few
// KiB, a registration's JSON is at most 5 levels deep.
func DefaultHTTPLimits() HTTPLimits {
	return HTTPLimits{
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second,
		IdleTimeout: 60 * time.Second, MaxHeaderBytes: 64 << 10, MaxBodyBytes: 1 << 20, MaxJSONDepth: 32,
		RatePerSecond: 100, RateBurst: 200,
	}
}

// WithDefaults fills the zero fields of l from DefaultHTTPLimits.
func (l HTTPLimits) WithDefaults() HTTPLimits {
	d := DefaultHTTPLimits()
	setDefault(&l.ReadHeaderTimeout, d.ReadHeaderTimeout)
	setDefault(&l.ReadTimeout, d.ReadTimeout)
	setDefault(&l.WriteTimeout, d.WriteTimeout)
	setDefault(&l.IdleTimeout, d.IdleTimeout)
	setDefault(&l.MaxHeaderBytes, d.MaxHeaderBytes)
	setDefault(&l.MaxBodyBytes, d.MaxBodyBytes)
	setDefault(&l.MaxJSONDepth, d.MaxJSONDepth)
	setDefault(&l.RatePerSecond, d.RatePerSecond)
	setDefault(&l.RateBurst, d.RateBurst)
	return l
}

func setDefault[T int | int64 | float64 | time.Duration](v *T, def T) {
	if *v == 0 {
		*v = def
	}
}

// httpLimitsFromEnv reads the HTTP_* limits over the defaults.
func httpLimitsFromEnv() (HTTPLimits, error) {
	l := DefaultHTTPLimits()
	var errs []error
	for _, d := range []struct {
		name string
		v    *time.Duration
	}{
		{"HTTP_READ_HEADER_TIMEOUT", &l.ReadHeaderTimeout}, {"HTTP_READ_TIMEOUT", &l.ReadTimeout},
		{"HTTP_WRITE_TIMEOUT", &l.WriteTimeout}, {"HTTP_IDLE_TIMEOUT", &l.IdleTimeout},
	} {
		var err error
		if *d.v, err = Duration(d.name, *d.v); err != nil {
			errs = append(errs, err)
		}
	}
	var err error
	if l.MaxHeaderBytes, err = Int("HTTP_MAX_HEADER_BYTES", l.MaxHeaderBytes); err != nil {
		errs = append(errs, err)
	}
	body, err := Int("HTTP_MAX_BODY_BYTES", int(l.MaxBodyBytes))
	if err != nil {
		errs = append(errs, err)
	}
	l.MaxBodyBytes = int64(body)
	if l.MaxJSONDepth, err = Int("HTTP_MAX_JSON_DEPTH", l.MaxJSONDepth); err != nil {
		errs = append(errs, err)
	}
	if v := os.Getenv("HTTP_RATE_LIMIT"); v != "" {
		if l.RatePerSecond, err = strconv.ParseFloat(v, 64); err != nil {
			errs = append(errs, fmt.Errorf("HTTP_RATE_LIMIT: %q is not a number", v))
		}
	}
	if l.RateBurst, err = Int("HTTP_RATE_BURST", l.RateBurst); err != nil {
		errs = append(errs, err)
	}
	return l, errors.Join(errs...)
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
	if c.HTTP, err = httpLimitsFromEnv(); err != nil {
		errs = append(errs, err)
	}
	if c.Auth, err = authFromEnv(); err != nil {
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
	errs = append(errs, c.Kafka.Validate(), c.Auth.Validate())
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
