package ports_test

import (
	"testing"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/revisit/internal/app"
	"fengqiao.dev/services/revisit/internal/ports"
)

// TestSubscriptionsAreGranted: every topic a subscription consumes is one
// the service's Kafka principal may read, in a consumer group it may join.
func TestSubscriptionsAreGranted(t *testing.T) {
	servicetest.SubscriptionsGranted(t, "revisit", ports.Subscriptions(&app.App{}))
}
