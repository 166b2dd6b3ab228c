package ports_test

import (
	"slices"
	"strings"
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
	access, ok := kafkaacl.Service("intake")
	if !ok {
		t.Fatal("api/kafkaacl has no entry for intake")
	}
	for _, sub := range ports.Subscriptions(&app.App{}) {
		if !strings.HasPrefix(sub.Name, access.Groups) {
			t.Errorf("consumer group %s is outside the principal's groups %s*", sub.Name, access.Groups)
		}
		for _, topic := range sub.Topics {
			if !slices.Contains(access.Reads, topic) {
				t.Errorf("%s consumes %s, which api/kafkaacl does not let intake read", sub.Name, topic)
			}
		}
	}
}
