// Package controller reconciles MediationCenters: it provisions a
// county's referral copy topics, publishes its effective policy on the
// compacted policy topic keyed by county code, reports staffing gaps and the
// live figures supervision sends back, and retires the county with a
// tombstone when the resource is deleted.
//
// The reconcile is split by concern after cloudnative-pg's cluster
// controller: mediationcenter_controller.go holds the outer loop (get,
// finalizer, status patch), mediationcenter_topics.go, _policy.go, _staffing.go,
// _duplicates.go and _figures.go one step each, mediationcenter_status.go the
// conditions, mediationcenter_finalizer.go the retirement. Decisions are pure
// functions of the resource and what Kafka answered, tested without a cluster;
// the envtest suite runs the whole loop on a real apiserver and broker.
package controller
