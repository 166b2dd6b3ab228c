package events_test

import (
	"os"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"fengqiao.dev/api/events"
)

// asyncAPIFile is the AsyncAPI document, at the root of module api.
const asyncAPIFile = "../asyncapi.yaml"

// asyncAPI reads the document as generic JSON-like values.
func asyncAPI(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(asyncAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", asyncAPIFile, err)
	}
	return doc
}

// local resolves a local reference ("#/components/messages/X").
func local(t *testing.T, doc map[string]any, ref string) map[string]any {
	t.Helper()
	var node any = doc
	for _, tok := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, _ := node.(map[string]any)
		node = m[tok]
	}
	m, ok := node.(map[string]any)
	if !ok {
		t.Fatalf("%s: $ref %q does not resolve", asyncAPIFile, ref)
	}
	return m
}

func deref(t *testing.T, doc, node map[string]any) map[string]any {
	t.Helper()
	if ref, ok := node["$ref"].(string); ok {
		return local(t, doc, ref)
	}
	return node
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

// countyPattern is a county copy topic with its channel parameter.
func countyPattern(c events.Copy) string { return events.CountyCopyTopic("{countyCode}", c) }

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
