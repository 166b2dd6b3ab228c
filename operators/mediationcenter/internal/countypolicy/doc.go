// Package countypolicy derives the published policy (fengqiao.dev/api/policy)
// from a MediationCenter, and judges its staffing. It is pure: no I/O, no
// clock (the publication time is an input), so the reconciler, the embedded
// stack's loader and the tests all get the same policy from the same spec.
package countypolicy
