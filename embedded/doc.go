// Package embedded runs the infrastructure Fengqiao needs inside the current
// process: a Kafka-protocol broker (github.com/twmb/franz-go/pkg/kfake) and a
// MongoDB-wire-protocol server (FerretDB v1.24 with its SQLite backend, or
// with its PostgreSQL backend on a private cluster this package starts and
// stops: Options.StoreBackend). Both listen on loopback TCP ports, so services and tests use their ordinary
// clients (the platform's Kafka client through fengqiao.dev/pkg/messaging,
// go.mongodb.org/mongo-driver/v2)
// exactly as they would against a real Kafka cluster and MongoDB.
//
// It backs `make run` and every test that needs a broker or a store:
//
//	stack, err := embedded.Start(ctx, embedded.Options{DataDir: "var/dev"})
//	if err != nil { ... }
//	defer stack.Close()
//	// stack.Brokers  -> messaging.Cluster{Brokers: stack.Brokers}
//	// stack.MongoURI -> mongo.Connect(options.Client().ApplyURI(stack.MongoURI))
//
// With a DataDir, state lives in DataDir/kafka and DataDir/mongo and survives
// Close followed by a new Start on the same directory (one process at a time:
// the directory is locked while a stack runs). Without one, a temporary
// directory is used and removed by Close. Tests in other modules use
// fengqiao.dev/embedded/embeddedtest. [StartBroker] and [StartStore] start
// either half alone. What follows of the broker is pinned by the tests of
// fengqiao.dev/pkg/internal/brokercheck, which see it through the
// platform's Kafka client.
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
//   - acks=all (RequireAll) is accepted and means "appended to the one
//     log". Records are written without fsync and flushed on Close, as Kafka
//     does by default; a killed process may lose its last writes.
//   - Consumer groups join immediately (kfake has no
//     group.initial.rebalance.delay.ms). What makes the client's groups slow is
//     the client itself: a Reader's Close and every rebalance wait for the
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
//
// # MongoDB — lookups by _id and what the store adds
//
// FerretDB v1.24 on SQLite keeps each collection in a table with one JSON
// column, _ferretdb_sjson. It creates the _id index on the expression
// _ferretdb_sjson->"_id", but its own find, update and delete by _id ask
// for _ferretdb_sjson->'$._id'. SQLite uses an expression index only when
// the query writes the expression identically, so FerretDB's index never
// serves those lookups: every one reads and parses the whole table
// (EXPLAIN QUERY PLAN: SCAN). Measured through the store without the
// index below, FindOne and UpdateOne by _id were 45 times slower at
// 10,000 documents than at 100 (FindOne 0.7 ms to 31 ms).
//
// [StartStore] therefore gives every collection table an extra index,
// named fengqiao_id_lookup_<table>, on exactly _ferretdb_sjson->'$._id':
// synchronously for tables that exist at start-up, then, while it runs,
// every 1.5 s for collections created since (until then a new collection
// is scanned, which is cheap while it is small). It writes to the SQLite
// files over its own short-lived connection with FerretDB's busy timeout
// (10 s) and only CREATE INDEX IF NOT EXISTS, so FerretDB's writes wait
// for it instead of failing; the index is not in FerretDB's metadata, so
// listIndexes does not show it and dropping the collection drops it.
// With it (BenchmarkStoreLookupByID, one run on two shared cores), from
// 100 to 10,000 documents FindOne by _id went from 0.85 to 1.0 ms and
// UpdateOne by _id from 2.4 to 3.7 ms.
//
// What the index cannot fix: FerretDB hands SQLite only a filter that is
// exactly {_id: <string or ObjectID>}. Any other filter, including
// {_id: id, version: v} for an optimistic update, is evaluated in Go over
// the documents SQLite returns in table order until the match, so its cost
// still grows with the collection (same benchmark, FindOne then UpdateOne
// on _id and version: 13 ms at 100 documents, 390 ms at 10,000; 6.7 and
// 263 ms without the index). Prefer filters on _id alone on large collections;
// _id values other than strings and ObjectIDs are never pushed down.
package embedded
