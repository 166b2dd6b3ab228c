package events_test

import (
	"encoding/json"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"fengqiao.dev/api/events"
)

// pascalCase is a title a code generator can take as a type name as is.
var pascalCase = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)

// TestSchemaTitlesNameModels: generators (quicktype, datamodel-codegen,
// oapi-codegen, AsyncAPI's modelina) name a model after its schema's
// title, so every schema file, every shared definition and every nested
// object schema has a PascalCase title, and no two differ in shape under
// one name. The human label is the description's first words.
func TestSchemaTitlesNameModels(t *testing.T) {
	files, err := fs.Glob(events.SchemaFS, "schemas/*.json")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{} // title → where
	for _, f := range files {
		b, err := fs.ReadFile(events.SchemaFS, f)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		walkSchemas(doc, f+"#", true, func(where string, s map[string]any) {
			title, _ := s["title"].(string)
			if !pascalCase.MatchString(title) {
				t.Errorf("%s: title %q is not a PascalCase model name", where, title)
				return
			}
			if other, dup := seen[title]; dup {
				t.Errorf("%s: title %s is also %s's", where, title, other)
			}
			seen[title] = where
		})
	}
	if len(seen) < len(events.Types()) {
		t.Fatalf("only %d titles checked", len(seen))
	}
}

// walkSchemas calls named for every schema a generator makes a model of:
// the root, each $defs entry and each object schema nested in them.
func walkSchemas(s map[string]any, where string, named bool, visit func(string, map[string]any)) {
	if named || isObjectSchema(s) {
		visit(where, s)
	}
	for _, key := range []string{"$defs", "properties"} {
		children, _ := s[key].(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(children)) {
			if child, ok := children[name].(map[string]any); ok {
				walkSchemas(child, where+"/"+key+"/"+name, key == "$defs", visit)
			}
		}
	}
	if items, ok := s["items"].(map[string]any); ok {
		walkSchemas(items, where+"/items", false, visit)
	}
	for _, key := range []string{"allOf", "oneOf", "anyOf"} {
		parts, _ := s[key].([]any)
		for i, p := range parts {
			if part, ok := p.(map[string]any); ok {
				walkSchemas(part, where+"/"+key+"/"+strconv.Itoa(i), false, visit)
			}
		}
	}
}

func isObjectSchema(s map[string]any) bool {
	switch ty := s["type"].(type) {
	case string:
		return ty == "object"
	case []any:
		return slices.Contains(ty, any("object"))
	}
	return s["properties"] != nil
}
