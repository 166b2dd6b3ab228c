package servicetest

import (
	"testing"

	"fengqiao.dev/api/kafkaacl"
	"fengqiao.dev/pkg/messaging"
)

// SubscriptionsGranted fails t for every topic one of subs consumes that
// service's Kafka principal may not read (api/kafkaacl, from which the
// broker's, the operator's and the chart's ACLs are made), and every
// consumer group its principal may not join: a new subscription fails a
// service's test, not on a broker that refuses it.
func SubscriptionsGranted(t testing.TB, service string, subs []messaging.Subscription) {
	t.Helper()
	for _, sub := range subs {
		for _, refusal := range kafkaacl.Ungranted(service, sub.Name, sub.Topics) {
			t.Error(refusal)
		}
	}
}
