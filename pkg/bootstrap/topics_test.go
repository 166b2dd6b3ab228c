package bootstrap

import (
	"slices"
	"testing"

	"fengqiao.dev/pkg/messaging"
)

// Two subscriptions of one topic, each in its own consumer group, have it
// created once, with its dead-letter topic.
func TestConsumedTopicsNamesEachTopicOnce(t *testing.T) {
	got := consumedTopics([]messaging.Subscription{
		{Name: "a", Topics: []string{"fengqiao.revisits.v1", "fengqiao.mediations.v1"}},
		{Name: "b", Topics: []string{"fengqiao.mediations.v1"}},
	})
	want := []string{"fengqiao.revisits.v1", "fengqiao.revisits.v1.dlq", "fengqiao.mediations.v1", "fengqiao.mediations.v1.dlq"}
	if !slices.Equal(got, want) {
		t.Fatalf("consumedTopics = %v, want %v", got, want)
	}
}
