// Package brokercheck holds, in its tests only, what the platform relies on
// of the embedded broker (package embedded) as its Kafka client sees it:
// topic creation and its refusals, consumer groups and their commits across
// a restart, topic configs, SASL logins and ACLs. They live in pkg, beside
// pkg/messaging, so that only pkg and the operator import the client.
package brokercheck
