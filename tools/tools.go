//go:build tools

// Package tools pins the code generators the repository runs, so that
// `go mod tidy` keeps every package controller-gen's main imports in this
// module's go.mod and every machine builds the same controller-gen.
package tools

import (
	_ "github.com/spf13/cobra"
	_ "sigs.k8s.io/controller-tools/pkg/applyconfiguration"
	_ "sigs.k8s.io/controller-tools/pkg/crd"
	_ "sigs.k8s.io/controller-tools/pkg/deepcopy"
	_ "sigs.k8s.io/controller-tools/pkg/genall"
	_ "sigs.k8s.io/controller-tools/pkg/genall/help/pretty"
	_ "sigs.k8s.io/controller-tools/pkg/markers"
	_ "sigs.k8s.io/controller-tools/pkg/rbac"
	_ "sigs.k8s.io/controller-tools/pkg/schemapatcher"
	_ "sigs.k8s.io/controller-tools/pkg/version"
	_ "sigs.k8s.io/controller-tools/pkg/webhook"
)
