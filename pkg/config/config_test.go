package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// vars are every variable FromEnv reads; each case starts from all unset.
var vars = []string{
	"KAFKA_BROKERS", "MONGODB_URI", "MONGODB_DATABASE", "HTTP_ADDR", "KAFKA_SASL_MECHANISM",
	"KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD", "KAFKA_TLS", "KAFKA_TOPIC_PARTITIONS",
	"KAFKA_TOPIC_REPLICATION", "OUTBOX_RELAY_INTERVAL", "HTTP_READ_HEADER_TIMEOUT", "HTTP_READ_TIMEOUT",
	"HTTP_WRITE_TIMEOUT", "HTTP_IDLE_TIMEOUT", "HTTP_MAX_HEADER_BYTES", "HTTP_MAX_BODY_BYTES", "HTTP_MAX_JSON_DEPTH",
	"HTTP_RATE_LIMIT", "HTTP_RATE_BURST", "AUTH_ISSUER", "AUTH_AUDIENCE", "AUTH_JWKS_URL", "AUTH_TRUSTED_HEADERS",
}

// Not parallel: t.Setenv changes the process environment.
func TestFromEnv(t *testing.T) {
	minimal := map[string]string{"KAFKA_BROKERS": "kafka-0:9092", "MONGODB_URI": "mongodb://db:27017", "AUTH_ISSUER": "https://idp.example.gov.cn"}
	for _, tc := range []struct {
		name    string
		env     map[string]string
		want    Common
		wantErr []string // substrings, all of them in the one error
	}{
		{
			name: "defaults", env: minimal,
			want: Common{
				KafkaBrokers: []string{"kafka-0:9092"}, MongoURI: "mongodb://db:27017", MongoDatabase: "fengqiao",
				HTTPAddr: ":8080", TopicPartitions: 3, TopicReplication: -1, RelayInterval: time.Second,
				HTTP: DefaultHTTPLimits(), Auth: Auth{Issuer: "https://idp.example.gov.cn", Audience: "fengqiao"},
			},
		},
		{
			name: "everything set",
			env: map[string]string{
				"KAFKA_BROKERS": " kafka-0:9092, kafka-1:9092 ,,", "MONGODB_URI": "mongodb://db", "MONGODB_DATABASE": "county",
				"HTTP_ADDR": "127.0.0.1:9000", "KAFKA_SASL_MECHANISM": "scram-sha-512", "KAFKA_SASL_USERNAME": "referral",
				"KAFKA_SASL_PASSWORD": "s3cret", "KAFKA_TLS": "true", "KAFKA_TOPIC_PARTITIONS": "12",
				"KAFKA_TOPIC_REPLICATION": "3", "OUTBOX_RELAY_INTERVAL": "250ms",
				"HTTP_READ_HEADER_TIMEOUT": "2s", "HTTP_READ_TIMEOUT": "10s", "HTTP_WRITE_TIMEOUT": "20s",
				"HTTP_IDLE_TIMEOUT": "1m", "HTTP_MAX_HEADER_BYTES": "8192", "HTTP_MAX_BODY_BYTES": "65536",
				"HTTP_MAX_JSON_DEPTH": "8", "HTTP_RATE_LIMIT": "2.5", "HTTP_RATE_BURST": "10",
				"AUTH_ISSUER": "https://idp", "AUTH_AUDIENCE": "county-app", "AUTH_JWKS_URL": "https://idp/keys",
			},
			want: Common{
				KafkaBrokers: []string{"kafka-0:9092", "kafka-1:9092"}, MongoURI: "mongodb://db", MongoDatabase: "county",
				HTTPAddr:        "127.0.0.1:9000",
				Kafka:           KafkaSecurity{SASLMechanism: "SCRAM-SHA-512", Username: "referral", Password: "s3cret", TLS: true},
				TopicPartitions: 12, TopicReplication: 3, RelayInterval: 250 * time.Millisecond,
				HTTP: HTTPLimits{
					ReadHeaderTimeout: 2 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 20 * time.Second,
					IdleTimeout: time.Minute, MaxHeaderBytes: 8192, MaxBodyBytes: 65536, MaxJSONDepth: 8,
					RatePerSecond: 2.5, RateBurst: 10,
				},
				Auth: Auth{Issuer: "https://idp", Audience: "county-app", JWKSURL: "https://idp/keys"},
			},
		},
		{name: "nothing set", env: map[string]string{}, wantErr: []string{"KAFKA_BROKERS is required", "MONGODB_URI is required", "AUTH_ISSUER is required"}},
		{
			name: "trusted headers instead of tokens, only when asked for",
			env:  map[string]string{"KAFKA_BROKERS": "k:9092", "MONGODB_URI": "m", "AUTH_TRUSTED_HEADERS": "true"},
			want: Common{
				KafkaBrokers: []string{"k:9092"}, MongoURI: "m", MongoDatabase: "fengqiao", HTTPAddr: ":8080",
				TopicPartitions: 3, TopicReplication: -1, RelayInterval: time.Second, HTTP: DefaultHTTPLimits(),
				Auth: Auth{Audience: "fengqiao", TrustedHeaders: true},
			},
		},
		{name: "only commas", env: map[string]string{"KAFKA_BROKERS": " , ", "MONGODB_URI": "m", "AUTH_ISSUER": "https://idp"}, wantErr: []string{"KAFKA_BROKERS is required"}},
		{
			name: "every malformed value reported at once",
			env: with(minimal, map[string]string{
				"KAFKA_TLS": "yes please", "KAFKA_TOPIC_PARTITIONS": "three", "KAFKA_TOPIC_REPLICATION": "1.5",
				"OUTBOX_RELAY_INTERVAL": "5", "KAFKA_SASL_MECHANISM": "GSSAPI", "HTTP_READ_TIMEOUT": "30",
				"HTTP_MAX_BODY_BYTES": "1M", "HTTP_RATE_LIMIT": "fast", "AUTH_TRUSTED_HEADERS": "maybe",
			}),
			wantErr: []string{"KAFKA_TLS", "KAFKA_TOPIC_PARTITIONS", "KAFKA_TOPIC_REPLICATION", "OUTBOX_RELAY_INTERVAL", `KAFKA_SASL_MECHANISM "GSSAPI"`,
				"HTTP_READ_TIMEOUT", "HTTP_MAX_BODY_BYTES", "HTTP_RATE_LIMIT", "AUTH_TRUSTED_HEADERS"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range vars {
				t.Setenv(v, "")
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			got, err := FromEnv(":8080")
			if len(tc.wantErr) > 0 {
				if err == nil {
					t.Fatalf("FromEnv = %+v, want an error", got)
				}
				for _, want := range tc.wantErr {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not mention %q", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("FromEnv =\n %+v\nwant\n %+v", got, tc.want)
			}
		})
	}
}

func with(base, extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func TestValidate(t *testing.T) {
	ok := Common{KafkaBrokers: []string{"k:9092"}, MongoURI: "mongodb://m", Auth: Auth{Issuer: "https://idp", Audience: "fengqiao"}}
	for _, mech := range []string{"", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"} {
		c := ok
		c.Kafka.SASLMechanism = mech
		if err := c.Validate(); err != nil {
			t.Errorf("mechanism %q: %v", mech, err)
		}
	}
	c := ok
	c.Kafka.SASLMechanism = "plain" // FromEnv upper-cases; a literal must be exact
	if err := c.Validate(); err == nil {
		t.Error(`mechanism "plain" accepted`)
	}
}
