package messaging

import (
	"testing"

	"fengqiao.dev/pkg/config"
)

func TestClusterSecurity(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sec      config.KafkaSecurity
		wantSASL string // mechanism name; "" for none
		wantErr  bool
	}{
		{name: "plaintext"},
		{name: "PLAIN over TLS", sec: config.KafkaSecurity{SASLMechanism: "PLAIN", Username: "u", Password: "p", TLS: true}, wantSASL: "PLAIN"},
		{name: "SCRAM-SHA-256", sec: config.KafkaSecurity{SASLMechanism: "SCRAM-SHA-256", Username: "u", Password: "p"}, wantSASL: "SCRAM-SHA-256"},
		{name: "SCRAM-SHA-512", sec: config.KafkaSecurity{SASLMechanism: "SCRAM-SHA-512", Username: "u", Password: "p"}, wantSASL: "SCRAM-SHA-512"},
		{name: "unsupported", sec: config.KafkaSecurity{SASLMechanism: "GSSAPI"}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ClusterFromConfig(config.Common{KafkaBrokers: []string{"k:9092"}, Kafka: tc.sec, TopicPartitions: 3})
			tr, err := c.Transport()
			d, derr := c.Dialer()
			if tc.wantErr {
				if err == nil || derr == nil {
					t.Fatalf("Transport() = %v, Dialer() = %v; want errors", err, derr)
				}
				return
			}
			if err != nil || derr != nil {
				t.Fatal(err, derr)
			}
			got := ""
			if tr.SASL != nil {
				got = tr.SASL.Name()
			}
			if got != tc.wantSASL || (d.SASLMechanism == nil) != (tc.wantSASL == "") {
				t.Errorf("SASL %q (dialer %v), want %q", got, d.SASLMechanism, tc.wantSASL)
			}
			if (tr.TLS != nil) != tc.sec.TLS || (d.TLS != nil) != tc.sec.TLS {
				t.Errorf("TLS transport %v dialer %v, want %v", tr.TLS != nil, d.TLS != nil, tc.sec.TLS)
			}
			tr.CloseIdleConnections()
		})
	}
}

func TestReplicationDefaultsToTheBrokers(t *testing.T) {
	for in, want := range map[int]int{0: -1, -1: -1, 1: 1, 3: 3} {
		if got := (Cluster{Replication: in}).replication(); got != want {
			t.Errorf("replication(%d) = %d, want %d", in, got, want)
		}
	}
}
