package localpolicy

import (
	_ "embed"
	"fmt"
	"sync"

	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"

	"fengqiao.dev/api/v1alpha1"
)

// crdYAML is the generated CRD, copied here by `make generate` because
// go:embed cannot reach outside the module.
//
//go:embed crd.yaml
var crdYAML []byte

// schemas holds what the apiserver builds from the CRD for one version.
type schemas struct {
	structural *structuralschema.Structural
	openAPI    validation.SchemaValidator
	cel        *cel.Validator
}

var (
	loadOnce   sync.Once
	loaded     *schemas
	loadFailed error
)

// crdSchemas builds, once, the validators of the v1alpha1 version, the way
// the apiserver's CRD handler does (customresource_handler.go).
func crdSchemas() (*schemas, error) {
	loadOnce.Do(func() { loaded, loadFailed = buildSchemas(crdYAML) })
	return loaded, loadFailed
}

func buildSchemas(raw []byte) (*schemas, error) {
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.UnmarshalStrict(raw, &crd); err != nil {
		return nil, fmt.Errorf("while reading the embedded CRD: %w", err)
	}
	internal, err := versionSchema(&crd, v1alpha1.GroupVersion.Version)
	if err != nil {
		return nil, err
	}
	s, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
	if err != nil {
		return nil, fmt.Errorf("while building the structural schema: %w", err)
	}
	s = s.DeepCopy()
	if err := structuraldefaulting.PruneDefaults(s); err != nil {
		return nil, fmt.Errorf("while pruning the schema's defaults: %w", err)
	}
	openAPI, _, err := validation.NewSchemaValidator(internal.OpenAPIV3Schema)
	if err != nil {
		return nil, fmt.Errorf("while building the OpenAPI validator: %w", err)
	}
	return &schemas{structural: s, openAPI: openAPI, cel: cel.NewValidator(s, true, celconfig.PerCallLimit)}, nil
}

func versionSchema(crd *apiextensionsv1.CustomResourceDefinition, version string) (*apiextensionsinternal.CustomResourceValidation, error) {
	for _, v := range crd.Spec.Versions {
		if v.Name != version || v.Schema == nil {
			continue
		}
		internal := &apiextensionsinternal.CustomResourceValidation{}
		if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(v.Schema, internal, nil); err != nil {
			return nil, fmt.Errorf("while converting the CRD schema: %w", err)
		}
		return internal, nil
	}
	return nil, fmt.Errorf("the embedded CRD has no schema for version %s", version)
}
