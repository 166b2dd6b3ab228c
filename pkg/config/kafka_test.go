package config

import (
	"strings"
	"testing"
)

// Not parallel: t.Setenv changes the process environment.
func TestKafkaSecurityFromEnv(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		want    KafkaSecurity
		wantErr []string // substrings, all of them in the one error
	}{
		{name: "nothing set is plaintext", env: map[string]string{}, want: KafkaSecurity{}},
		{
			name: "SASL and TLS, mechanism upper-cased",
			env: map[string]string{"KAFKA_SASL_MECHANISM": "scram-sha-256", "KAFKA_SASL_USERNAME": "operator",
				"KAFKA_SASL_PASSWORD": "s3cret", "KAFKA_TLS": "true"},
			want: KafkaSecurity{SASLMechanism: "SCRAM-SHA-256", Username: "operator", Password: "s3cret", TLS: true},
		},
		{
			name: "PLAIN without TLS",
			env:  map[string]string{"KAFKA_SASL_MECHANISM": "PLAIN", "KAFKA_SASL_USERNAME": "u", "KAFKA_SASL_PASSWORD": "p"},
			want: KafkaSecurity{SASLMechanism: "PLAIN", Username: "u", Password: "p"},
		},
		{name: "TLS only", env: map[string]string{"KAFKA_TLS": "1"}, want: KafkaSecurity{TLS: true}},
		{
			// Neither MongoDB nor brokers are asked for: only security is read.
			name: "brokers and MongoDB not required", env: map[string]string{"KAFKA_TLS": "false"}, want: KafkaSecurity{},
		},
		{name: "unknown mechanism", env: map[string]string{"KAFKA_SASL_MECHANISM": "GSSAPI"}, wantErr: []string{`KAFKA_SASL_MECHANISM "GSSAPI"`}},
		{
			name:    "every malformed value reported at once",
			env:     map[string]string{"KAFKA_SASL_MECHANISM": "OAUTHBEARER", "KAFKA_TLS": "yes please"},
			wantErr: []string{`KAFKA_SASL_MECHANISM "OAUTHBEARER"`, `KAFKA_TLS: "yes please"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range vars {
				t.Setenv(v, "")
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			got, err := KafkaSecurityFromEnv()
			if len(tc.wantErr) > 0 {
				if err == nil {
					t.Fatalf("KafkaSecurityFromEnv = %+v, want an error", got)
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
			if got != tc.want {
				t.Fatalf("KafkaSecurityFromEnv = %+v, want %+v", got, tc.want)
			}
		})
	}
}
