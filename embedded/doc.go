// Package embedded runs the infrastructure Fengqiao needs inside the current
// process: a Kafka-protocol broker (github.com/twmb/franz-go/pkg/kfake) and a
// MongoDB-wire-protocol server (FerretDB v1.24 with its SQLite backend). Both
// listen on loopback TCP ports, so services and tests use their ordinary
// clients (github.com/segmentio/kafka-go, go.mongodb.org/mongo-driver/v2)
// exactly as they would against a real Kafka cluster and MongoDB.
//
// It backs `make run` and every test that needs a broker or a store:
//
//	stack, err := embedded.Start(ctx, embedded.Options{DataDir: "var/dev"})
//	if err != nil { ... }
//	defer stack.Close()
//	// stack.Brokers  -> kafka.Writer / kafka.Reader / kafka.Client
//	// stack.MongoURI -> mongo.Connect(options.Client().ApplyURI(stack.MongoURI))
//
// With a DataDir, state lives in DataDir/kafka and DataDir/mongo and survives
// Close followed by a new Start on the same directory (one process at a time:
// the directory is locked while a stack runs). Without one, a temporary
// directory is used and removed by Close. Tests in other modules use
// fengqiao.dev/embedded/embeddedtest. [StartBroker] and [StartStore] start
// either half alone.
//
// # Kafka (kfake) — what to know
//
//   - One broker. Create topics with ReplicationFactor 1 or -1 (broker
//     default); 3 is refused with INVALID_REPLICATION_FACTOR, so take the
//     replication factor from configuration. NumPartitions -1 means 1, as in
//     Kafka. Topic configs such as cleanup.policy=compact are kept and
//     honoured.
//   - No auto-creation of topics (see [BrokerOptions.AutoCreateTopics] for
//     why); producing to a missing topic fails at once with
//     UNKNOWN_TOPIC_OR_PARTITION.
//   - acks=all (kafka.RequireAll) is accepted and means "appended to the one
//     log". Records are written without fsync and flushed on Close, as Kafka
//     does by default; a killed process may lose its last writes.
//   - Consumer groups join immediately (kfake has no
//     group.initial.rebalance.delay.ms). What makes kafka-go groups slow is
//     kafka-go itself: a Reader's Close and every rebalance wait for the
//     in-flight fetch, i.e. up to ReaderConfig.MaxWait (default 10 s). In
//     tests and `make run` use MaxWait of a few hundred milliseconds, a
//     HeartbeatInterval well below SessionTimeout and a short
//     JoinGroupBackoff; measured here, a Reader so configured joins and
//     gets its first record in a few milliseconds, a second member is
//     balanced in under half a second and Close takes milliseconds, where
//     the defaults take about 9 s for each of the last two.
//   - The broker accepts group session timeouts from 100 ms (Kafka: 6 s) so
//     a test can use a short SessionTimeout to evict a vanished member fast.
//   - Committed offsets and group membership are persisted; close Readers
//     before the stack so they leave their groups, or a restarted stack
//     keeps the old member until its session times out.
//
// # MongoDB (FerretDB v1 on SQLite) — what to know
//
// FerretDB answers as MongoDB 7.0 but implements a subset. Verified with
// mongo-driver v2.10 (see TestStoreKnownLimitations, which pins these):
//
// Works: insert/find/update/replace/delete, UpdateMany, BulkWrite,
// FindOneAndUpdate (returnDocument after), upsert with $setOnInsert, $set
// (also new nested paths and numeric array paths such as "outbox.0.sent",
// in updates and in filters), $unset, $inc, $min, $max, $mul, $rename,
// $currentDate, $push (with $each), $addToSet (with $each, also of
// documents), $pop, $pullAll, $pull of a scalar or of an exactly equal
// document; queries with $gt/$gte/$lt/$lte on numbers and dates, $in, $nin,
// $ne, $exists, $type, $regex, $and/$or/$nor/$not, $all, $size, $mod, and
// dotted paths into arrays of documents ("outbox.sent": false); Find with
// sort, skip, limit, projection and batches; unique, compound and sparse
// indexes; write concern w=majority (accepted, meaningless); aggregate with
// $match, $sort, $skip, $limit, $unwind, $count, $project inclusion/exclusion
// and $group with one accumulator.
//
// Missing or different — design around these:
//   - No transactions (startTransaction is rejected) and no change streams
//     (Watch fails): single-document atomic updates and a polling outbox
//     relay are the only tools, which is what the architecture asks for.
//   - Positional updates ("outbox.$.sent", "outbox.$[]") fail and
//     arrayFilters are not implemented: address array elements by index,
//     or rewrite the array with $set under a version condition.
//   - $pull with a condition on some fields of array documents
//     ({$pull: {outbox: {id: "e1"}}}) silently removes nothing (matched 1,
//     modified 0); $pull only removes exactly equal elements.
//   - $push modifiers $slice and $position are silently ignored; $unset of
//     "arr.0" removes the element instead of setting it to null.
//   - $elemMatch on an array of documents silently matches nothing.
//     Dotted paths ("outbox.id") work but may match across elements.
//   - $group computes only its FIRST accumulator: any further accumulator
//     comes back as 0 without error. $avg, $min, $max, $first, $last, $push
//     accumulators, $lookup, $facet, $sortByCount, $expr, $cond, date
//     operators ($year, $dateToString) are not implemented, and $project or
//     $addFields with a "$field" path yields the literal string. Compute
//     read-side figures in Go or with one $group per figure.
//   - A unique-index violation raised by an update, replace or
//     findAndModify is an InternalError (code 1), not E11000:
//     mongo.IsDuplicateKeyError is false there (it is true for inserts and
//     upserts). Unique indexes treat a missing field as no value: two
//     documents without the field do not collide (MongoDB says they do).
//   - distinct fails whenever the context has a deadline or the client a
//     Timeout (the driver sends maxTimeMS, which FerretDB's distinct
//     rejects); use aggregate $group instead.
//   - TTL (expireAfterSeconds), partial, text and 2dsphere indexes,
//     collations and pipeline-style updates are rejected.
//   - Decimal128 values make FerretDB drop the connection; store money and
//     figures as int64 or strings.
//   - Field names containing "." are rejected.
//   - The driver's endSessions on Disconnect is answered "no such command";
//     harmless (its log line is filtered unless Options.Verbose).
package embedded
