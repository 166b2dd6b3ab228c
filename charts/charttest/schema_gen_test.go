package charttest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// The county-tenant chart's values.schema.json is generated from the
// MediationCenter CRD that controller-gen writes, so the chart refuses what
// the apiserver would refuse by schema (types, enums, ranges, patterns) and
// cannot drift from it. On top, it refuses what the CRD leaves to CEL or
// allows: a county code that is not a GB/T 2260 code (CEL in the CRD), no
// staffing (optional in the CRD, where it shows as Staffed=False), and
// unknown keys (which the apiserver would silently prune). Cross-references
// stay with the CRD's CEL rules. `go test ./... -update` rewrites the file.
const tenantSchemaPath = "charts/county-tenant/values.schema.json"

// countyCodePattern is the CRD's CEL rule on spec.county.code as a pattern.
const countyCodePattern = "^[1-8][0-9]{5}$"

func TestTenantSchemaIsGenerated(t *testing.T) {
	root := repoRoot(t)
	want := generateTenantSchema(t, root)
	path := filepath.Join(root, tenantSchemaPath)
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale against the CRD: run `go test ./... -update` in charts/charttest", tenantSchemaPath)
	}
}

func generateTenantSchema(t *testing.T, root string) []byte {
	t.Helper()
	spec := crdSpecSchema(t, root)
	props := spec["properties"].(map[string]any)
	county := props["county"].(map[string]any)["properties"].(map[string]any)
	county["code"].(map[string]any)["pattern"] = countyCodePattern
	mediators := props["mediators"].(map[string]any)
	mediators["minItems"] = 1
	mediators["description"] = "The county's staffing: at least one mediator. " + mediators["description"].(string)
	for k, v := range tenantOnlyProperties() {
		props[k] = v
	}
	schema := map[string]any{
		"$schema":              "http://json-schema.org/draft-07/schema#",
		"title":                "Fengqiao county tenant values (generated from the MediationCenter CRD by charts/charttest)",
		"type":                 "object",
		"additionalProperties": false,
		"required":             append(spec["required"].([]any), "mediators"),
		"properties":           props,
	}
	out, err := json.MarshalIndent(schema, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// crdSpecSchema is spec's openAPIV3Schema from the generated CRD, made a
// plain JSON Schema: Kubernetes extensions and formats removed, unknown
// keys refused.
func crdSpecSchema(t *testing.T, root string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, crdPath))
	if err != nil {
		t.Fatal(err)
	}
	var crd map[string]any
	if err := yaml.Unmarshal(raw, &crd); err != nil {
		t.Fatal(err)
	}
	version := crd["spec"].(map[string]any)["versions"].([]any)[0].(map[string]any)
	schema := version["schema"].(map[string]any)["openAPIV3Schema"].(map[string]any)
	spec := schema["properties"].(map[string]any)["spec"].(map[string]any)
	return plainSchema(spec).(map[string]any)
}

func plainSchema(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range v {
			if strings.HasPrefix(k, "x-kubernetes-") || k == "format" || k == "nullable" {
				continue
			}
			if k == "properties" || k == "items" {
				out[k] = plainChildren(k, val)
				continue
			}
			out[k] = val
		}
		if _, ok := out["properties"]; ok {
			out["additionalProperties"] = false
		}
		return out
	default:
		return v
	}
}

func plainChildren(key string, v any) any {
	if key == "items" {
		return plainSchema(v)
	}
	out := map[string]any{}
	for name, child := range v.(map[string]any) {
		out[name] = plainSchema(child)
	}
	return out
}

// tenantOnlyProperties are the chart's own values beside the spec.
func tenantOnlyProperties() map[string]any {
	str := map[string]any{"type": "string", "minLength": 1}
	people := func(what string) map[string]any {
		return map[string]any{
			"type": "object", "additionalProperties": false, "description": what,
			"properties": map[string]any{
				"clusterRole": str,
				"users":       map[string]any{"type": "array", "items": str},
				"groups":      map[string]any{"type": "array", "items": str},
				"serviceAccounts": map[string]any{"type": "array", "items": map[string]any{
					"type": "object", "additionalProperties": false, "required": []any{"name", "namespace"},
					"properties": map[string]any{"name": str, "namespace": str}}},
			},
		}
	}
	return map[string]any{
		"global": map[string]any{"type": "object"},
		"name": map[string]any{"type": "string", "maxLength": 253, "pattern": "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$",
			"description": "the MediationCenter's name; empty: the release name"},
		"administrators": people("who changes the county's policy in its namespace"),
		"viewers":        people("who reads the county's policy and status"),
		"resourceQuota": map[string]any{
			"type": "object", "additionalProperties": false,
			"properties": map[string]any{
				"enabled": map[string]any{"type": "boolean"},
				"hard": map[string]any{"type": "object", "minProperties": 1,
					"additionalProperties": map[string]any{"type": []any{"string", "number"}}},
			},
		},
	}
}
