// Package provision creates and maintains Kafka topics through kafka-go's
// admin calls, idempotently: a topic that exists is left as it is unless it
// has fewer partitions or different managed configs than asked. Partitions
// only ever grow (Kafka cannot shrink them); a topic is never deleted unless
// Delete is called, because county topics hold legal records.
package provision
