package events_test

import (
	"encoding/json"
	"io/fs"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

// The drift test walks each Go payload type and its schema side by side:
// every JSON field of the struct (embedded structs flattened, as
// encoding/json does) must be a schema property, every property a field,
// and "required" must list exactly the fields without omitempty.

func TestSchemasMatchGoTypes(t *testing.T) {
	for _, typ := range events.Types() {
		file := events.SchemaFile(typ)
		t.Run(file, func(t *testing.T) {
			goType := reflect.TypeOf(samples[typ].full).Elem()
			compareType(t, goType, file, schemaDoc(t, file), goType.Name())
		})
	}
}

// goField is one JSON member of a Go struct.
type goField struct {
	name     string // the JSON name
	goPath   string // e.g. DisputeRegistered.Subject.DisputeID
	typ      reflect.Type
	optional bool // omitempty
}

// jsonFields lists a struct's JSON members the way encoding/json sees them:
// untagged embedded structs are flattened into their parent.
func jsonFields(st reflect.Type, prefix string) []goField {
	var out []goField
	for f := range st.Fields() {
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" && opts == "" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, jsonFields(f.Type, prefix+"."+f.Name)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		optional := slices.Contains(strings.Split(opts, ","), "omitempty")
		out = append(out, goField{name: name, goPath: prefix + "." + f.Name, typ: f.Type, optional: optional})
	}
	return out
}

var timeType = reflect.TypeFor[time.Time]()

// compareType checks one schema node (after $ref) against one Go type.
func compareType(t *testing.T, gt reflect.Type, file string, node map[string]any, where string) {
	t.Helper()
	file, node = resolve(t, file, node)
	switch {
	case gt == timeType:
		if node["type"] != "string" || node["format"] != "date-time" {
			t.Errorf("%s: a time.Time, but the schema (%s) says type %v format %v; want string date-time", where, file, node["type"], node["format"])
		}
	case gt.Kind() == reflect.Struct:
		compareStruct(t, gt, file, node, where)
	case gt.Kind() == reflect.Slice:
		if node["type"] != "array" {
			t.Errorf("%s: a slice, but the schema (%s) says type %v", where, file, node["type"])
			return
		}
		items, _ := node["items"].(map[string]any)
		compareType(t, gt.Elem(), file, items, where+"[]")
	default:
		want := map[reflect.Kind]string{reflect.String: "string", reflect.Bool: "boolean",
			reflect.Int: "integer", reflect.Int32: "integer", reflect.Int64: "integer"}[gt.Kind()]
		if want == "" || node["type"] != want {
			t.Errorf("%s: Go kind %s, but the schema (%s) says type %v", where, gt.Kind(), file, node["type"])
		}
	}
}

func compareStruct(t *testing.T, st reflect.Type, file string, node map[string]any, where string) {
	t.Helper()
	if node["type"] != "object" || node["additionalProperties"] != false {
		t.Errorf("%s: the schema (%s) must be an object with additionalProperties: false", where, file)
	}
	props, _ := node["properties"].(map[string]any)
	required := map[string]bool{}
	for _, r := range node["required"].([]any) {
		required[r.(string)] = true
	}
	seen := map[string]bool{}
	for _, f := range jsonFields(st, where) {
		seen[f.name] = true
		p, ok := props[f.name].(map[string]any)
		if !ok {
			t.Errorf("%s (json %q) is in Go but has no property in %s", f.goPath, f.name, file)
			continue
		}
		if !f.optional && !required[f.name] {
			t.Errorf("%s (json %q) has no omitempty, so it is always sent, but %s does not list it as required", f.goPath, f.name, file)
		}
		if f.optional && required[f.name] {
			t.Errorf("%s (json %q) is omitempty, but %s lists it as required", f.goPath, f.name, file)
		}
		compareType(t, f.typ, file, p, f.goPath)
	}
	for _, name := range slices.Sorted(maps.Keys(props)) {
		if !seen[name] {
			t.Errorf("%s declares property %q, but Go type %s has no such JSON field", file, name, where)
		}
	}
	for name := range required {
		if !seen[name] {
			t.Errorf("%s requires %q, but Go type %s has no such JSON field", file, name, where)
		}
	}
}

// resolve follows $ref (within a file or to a sibling file) until it reaches
// a node without one.
func resolve(t *testing.T, file string, node map[string]any) (string, map[string]any) {
	t.Helper()
	for i := 0; i < 10; i++ {
		ref, ok := node["$ref"].(string)
		if !ok {
			return file, node
		}
		target, ptr, _ := strings.Cut(ref, "#")
		if target != "" {
			file = target
		}
		node = schemaDoc(t, file)
		for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
			if tok == "" {
				continue
			}
			next, ok := node[tok].(map[string]any)
			if !ok {
				t.Fatalf("$ref %q (in or from %s) does not resolve", ref, file)
			}
			node = next
		}
	}
	t.Fatalf("$ref chain too long in %s", file)
	return "", nil
}

// schemaDoc reads a schema file of events.SchemaFS as generic JSON.
func schemaDoc(t *testing.T, file string) map[string]any {
	t.Helper()
	b, err := fs.ReadFile(events.SchemaFS, "schemas/"+file)
	if err != nil {
		t.Fatalf("no schema %s: %v", file, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return m
}

// requiredOf lists the required top-level properties of a type's schema.
func requiredOf(t *testing.T, eventType string) []string {
	t.Helper()
	var out []string
	for _, r := range schemaDoc(t, events.SchemaFile(eventType))["required"].([]any) {
		out = append(out, r.(string))
	}
	return out
}
