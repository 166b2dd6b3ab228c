package events_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"fengqiao.dev/api/events"
)

// compiled holds every event type's compiled schema. Each file of
// events.SchemaFS is registered under its $id, so common.json is resolved by
// relative $ref and nothing is fetched from the network.
var compiled = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	files, err := fs.Glob(events.SchemaFS, "schemas/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := fs.ReadFile(events.SchemaFS, f)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if err := c.AddResource(events.SchemaBaseURI+path.Base(f), doc); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, typ := range events.Types() {
		s, err := c.Compile(events.SchemaBaseURI + events.SchemaFile(typ))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", typ, err)
		}
		out[typ] = s
	}
	return out, nil
})

// validate checks a JSON payload against its event type's schema.
func validate(t *testing.T, eventType string, data []byte) error {
	t.Helper()
	schemas, err := compiled()
	if err != nil {
		t.Fatalf("cannot compile the schemas: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	return schemas[eventType].Validate(inst)
}

// failedOn reports whether a validation error has a cause whose keyword is kw
// (e.g. "required", "additionalProperties", "pattern").
func failedOn(err error, kw string) bool {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	var walk func(*jsonschema.ValidationError) bool
	walk = func(e *jsonschema.ValidationError) bool {
		// Some kinds ('not') have no keyword path; their type is named after it.
		kind := strings.TrimPrefix(fmt.Sprintf("%T", e.ErrorKind), "*kind.")
		if slices.Contains(e.ErrorKind.KeywordPath(), kw) || strings.EqualFold(kind, kw) {
			return true
		}
		return slices.ContainsFunc(e.Causes, walk)
	}
	return walk(ve)
}

// asMap marshals a payload and reads it back as a generic JSON object, for
// the negative cases to edit.
func asMap(t *testing.T, p events.Payload) map[string]any {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
