package outbox

import (
	"fmt"
	"testing"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/pkg/messaging"
)

// A document whose publication failed for a reason of its own waits for the
// next sweep; one that failed because the broker was away is tried again
// as soon as it is back. Telling them apart wrongly either blocks every
// dispute behind one bad document or leaves good ones waiting minutes.
func TestMessageFaultTellsTheMessagesFromTheBroker(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"too large for the broker", kafka.MessageSizeTooLarge, true},
		{"too large for our limit", fmt.Errorf("publishing: %w", messaging.ErrMessageTooLarge), true},
		{"invalid topic", fmt.Errorf("while creating topics: %w", kafka.InvalidTopic), true},
		{"not authorised on the topic", kafka.TopicAuthorizationFailed, true},
		{"one message of a batch too large", kafka.WriteErrors{nil, kafka.MessageSizeTooLarge}, true},
		{"broker shutting down or starting", fmt.Errorf("while creating topics [t]: %w", kafka.BrokerNotAvailable), false},
		{"replica not available", kafka.ReplicaNotAvailable, false},
		{"the broker cannot write its log (the embedded one, its disk full)", kafka.WriteErrors{kafka.Unknown, kafka.Unknown}, false},
		{"the broker's log directory failing", kafka.WriteErrors{kafka.KafkaStorageError}, false},
		{"leader moving", kafka.NotLeaderForPartition, false},
		{"not enough replicas", kafka.WriteErrors{kafka.NotEnoughReplicas}, false},
		{"connection refused", fmt.Errorf("dial tcp: connection refused"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := messageFault(tc.err); got != tc.want {
				t.Errorf("messageFault(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}
