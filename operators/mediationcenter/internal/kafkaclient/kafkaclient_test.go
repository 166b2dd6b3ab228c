package kafkaclient

import (
	"strconv"
	"testing"

	kafka "github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kgo"

	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/messaging"
)

// TestPartitionerIsKafkaGosHash: a county's policy key lands in the
// partition kafka-go's Hash balancer chose when it wrote the earlier
// records, whatever the topic's partition count.
func TestPartitionerIsKafkaGosHash(t *testing.T) {
	p := kafkaGoHashPartitioner().ForTopic("fengqiao.policy.v1")
	for _, n := range []int{1, 2, 3, 7, 12} {
		partitions := make([]int, n)
		for i := range partitions {
			partitions[i] = i
		}
		for code := 110000; code < 110000+500; code++ {
			key := []byte(strconv.Itoa(code))
			want := (&kafka.Hash{}).Balance(kafka.Message{Key: key}, partitions...)
			if got := p.Partition(&kgo.Record{Key: key}, n); got != want {
				t.Fatalf("key %s of %d partitions: partition %d, kafka-go's Hash chose %d", key, n, got, want)
			}
		}
	}
}

func TestUnknownSASLMechanismIsRefused(t *testing.T) {
	_, err := New(messaging.Cluster{Brokers: []string{"127.0.0.1:1"},
		Security: config.KafkaSecurity{SASLMechanism: "GSSAPI"}}, 0)
	if err == nil {
		t.Fatal("no error for an unsupported SASL mechanism")
	}
}
