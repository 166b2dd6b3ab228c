package localpolicy

import (
	"context"
	"fmt"
	"strings"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"

	"fengqiao.dev/api/v1alpha1"
)

// Validate checks one MediationCenter given as parsed YAML/JSON (a map), in
// the apiserver's order: prune (an unknown field is an error), default,
// OpenAPI schema, list types, CEL rules. It returns the defaulted resource,
// or an error whose lines read like the apiserver's own messages.
func Validate(ctx context.Context, obj map[string]any) (*v1alpha1.MediationCenter, error) {
	s, err := crdSchemas()
	if err != nil {
		return nil, err
	}
	if err := checkKind(obj); err != nil {
		return nil, err
	}
	unknown := structuralpruning.PruneWithOptions(obj, s.structural, true,
		structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	if len(unknown) > 0 {
		return nil, fmt.Errorf("unknown fields: %s", strings.Join(unknown, ", "))
	}
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(obj, s.structural)
	structuraldefaulting.Default(obj, s.structural)
	errs := validation.ValidateCustomResource(nil, obj, s.openAPI)
	errs = append(errs, listtype.ValidateListSetsAndMaps(nil, s.structural, obj)...)
	if len(errs) == 0 {
		// CEL rules assume a schema-valid object, as in the apiserver.
		celErrs, _ := s.cel.Validate(ctx, nil, s.structural, obj, nil, celconfig.RuntimeCELCostBudget)
		errs = append(errs, celErrs...)
	}
	if err := errs.ToAggregate(); err != nil {
		return nil, fmt.Errorf("MediationCenter %s is invalid: %w", name(obj), err)
	}
	var mc v1alpha1.MediationCenter
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(obj, &mc); err != nil {
		return nil, fmt.Errorf("while converting MediationCenter %s: %w", name(obj), err)
	}
	return &mc, nil
}

func checkKind(obj map[string]any) error {
	gv := v1alpha1.GroupVersion.String()
	if obj["apiVersion"] != gv || obj["kind"] != "MediationCenter" {
		return fmt.Errorf("not a MediationCenter: apiVersion %v, kind %v (want %s, MediationCenter)", obj["apiVersion"], obj["kind"], gv)
	}
	if name(obj) == "" {
		return field.Required(field.NewPath("metadata", "name"), "a MediationCenter needs a name")
	}
	return nil
}

func name(obj map[string]any) string {
	md, _ := obj["metadata"].(map[string]any)
	n, _ := md["name"].(string)
	return n
}
