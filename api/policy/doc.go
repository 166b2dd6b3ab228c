// Package policy is the published policy contract of the MediationCenter
// operator: the effective policy of one county, as the services read it from
// the compacted topic events.TopicPolicy (key: the county's 6-digit GB/T 2260
// code; value: a JSON CountyPolicy; a nil value, a tombstone, retires the
// county), and the live figures supervision reports back on TopicCountyFigures.
//
// It is plain Go on purpose, apart from api/v1alpha1's Kubernetes types:
// services import it to apply routing, deadlines and staffing live, and must
// never pull Kubernetes in. The Kubernetes resource it is derived from lives in
// fengqiao.dev/api/v1alpha1; the operator owns the derivation.
//
// Compatibility: fields are only ever added. A consumer must ignore fields it
// does not know and must check SchemaVersion; a breaking change gets a new
// topic (fengqiao.policy.v2), never a new meaning for an old field.
package policy
