// Package messaging is Fengqiao's Kafka plumbing over segmentio/kafka-go:
// a producer that keeps one case's events in order, a consumer-group runner
// that commits only after a handler's effect is durable, and dead-letter
// topics so a poison message never blocks its partition.
//
// The guarantees a service relies on:
//   - Producer: acks from all in-sync replicas; key-hash partitioning with
//     the Java client's murmur2, so outside producers agree on a key's
//     partition; a short batch timeout, so one dispute is not held back.
//   - Consumer: messages of one partition are handled one at a time, in
//     order (FetchMessage, then CommitMessages after the handler returns; the
//     ReadMessage shortcut would commit before the effect is durable). A
//     subscription with PartitionsInParallel handles its partitions side by
//     side, each still in order; one with KeysInParallel handles messages of
//     different keys side by side, each key's still in order. Offsets are
//     committed once no fetched message waits, or every 100 messages: never
//     past a message not yet handled, nor past one with an earlier message
//     of its partition not yet handled, so a crash only redelivers messages
//     whose effect is stored.
//   - Failure: a handler error is retried with back-off; a permanent error
//     (a message that cannot be decoded) or an error that outlives the retries
//     sends the message to "<topic>.dlq" with the reason and origin in its
//     headers, and the partition moves on. If the dead-letter write itself
//     fails the offset is not committed, so the message is never lost.
//   - Size: the producer refuses a message over MaxMessageBytes (key, value
//     and headers) before writing anything; a consumed message too large to
//     dead-letter whole (an outside producer's, near the broker's limit) is
//     dead-lettered as a truncated copy with dlq_truncated, the original
//     value's size and SHA-256, so it still leaves its partition.
//   - Liveness: a member never stays stuck in silence. One that waits for
//     messages while its group's committed offsets stay behind the ends of
//     its topics, or whose commits keep failing, for StallAfter, says so at
//     warn and rejoins the group with a new kafka-go Reader (stall.go).
//   - Reading a whole topic: a TopicReader reads every partition from its
//     first offset without a consumer group, to the end (a replay of the
//     event log) or following it (the compacted policy and figures topics
//     every replica holds in memory).
//   - Trace context travels in the headers (W3C traceparent/tracestate).
//
// Message and Header name kafka-go's types, so that no code outside pkg
// and the operator imports the client itself.
package messaging
