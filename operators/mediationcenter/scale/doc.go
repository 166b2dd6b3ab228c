// Package scale holds the operator's scale and fault tests (build tag
// scale, run by `make scale`): a real kube-apiserver (envtest), the embedded
// Kafka broker and the operator binary as cmd/manager runs it, measured
// from outside. They take minutes, so the default test run leaves them out.
package scale
