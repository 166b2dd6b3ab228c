// Package localpolicy runs the MediationCenter policy without a cluster: the
// embedded stack (`make run`) loads county YAML from a folder through the
// same validation the apiserver applies to the CRD, and publishes it through
// the same publisher the reconciler uses.
//
//	centers, err := localpolicy.LoadDir("operators/mediationcenter/config/samples")
//	if err != nil { ... }           // a bad file fails with the apiserver's messages
//	err = localpolicy.Publish(ctx, stack.Brokers, centers...)
//
// Validation is the CRD's own: the generated CRD YAML is embedded (crd.yaml,
// a copy that `make generate` keeps in step and `make check-generated`
// checks), turned into a structural schema, and each resource is pruned
// (unknown fields are an error, as with kubectl's strict field validation),
// defaulted, validated against the OpenAPI schema, the list-type rules and
// every CEL x-kubernetes-validations rule, with the apiserver's cost limits.
// What a local run cannot check is what needs the cluster: transition rules
// (there is no old object) and metadata beyond a name.
package localpolicy
