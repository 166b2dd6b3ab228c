package ports_test

import (
	"testing"

	"fengqiao.dev/api/kafkaacl"
	"fengqiao.dev/services/intake/internal/app"
	"fengqiao.dev/services/intake/internal/ports"
)

// TestSubscriptionsAreGranted: every topic a subscription consumes is one
// the service's Kafka principal may read (api/kafkaacl, from which the
// broker's, the operator's and the chart's ACLs are made), in a consumer
// group its principal may join; a new subscription fails here, not on a
// broker that refuses it.
func TestSubscriptionsAreGranted(t *testing.T) {
	for _, sub := range ports.Subscriptions(&app.App{}, nil) {
		for _, refusal := range kafkaacl.Ungranted("intake", sub.Name, sub.Topics) {
			t.Error(refusal)
		}
	}
}
