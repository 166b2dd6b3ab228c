package ports_test

import (
	"testing"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/ports"
)

// TestSubscriptionsAreGranted: every topic a subscription consumes is one
// the service's Kafka principal may read, in a consumer group it may join.
func TestSubscriptionsAreGranted(t *testing.T) {
	servicetest.SubscriptionsGranted(t, "mediation-room", ports.Subscriptions(&app.App{}))
}
