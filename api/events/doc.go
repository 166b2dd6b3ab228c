// Package events is the contract between Fengqiao's services and the outside
// agencies that consume a county's referral topics.
//
// Every state change of a dispute is an event on Kafka. The envelope follows
// the CloudEvents Kafka protocol binding in binary mode: the attributes travel
// as headers (ce_specversion, ce_id, ce_type, ce_source, ce_time, ce_subject,
// the ce_countycode extension) next to the W3C traceparent/tracestate, the
// payload is JSON, and the message key is the dispute ID so that one case's
// events stay in order on one partition.
//
// Every payload names its county and the agencies the handoff is from and to,
// so a handoff between agencies is visible in the data, not only in traces.
//
// Each payload type has a JSON Schema under schemas/ and a channel in
// asyncapi.yaml at the module root; contract_test.go fails when the Go types,
// the schemas and the AsyncAPI document drift apart.
package events
