package events

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

// SchemaFS holds the JSON Schemas (draft 2020-12) of every payload, one file
// per event type (e.g. schemas/dispute.registered.v1.json) plus
// schemas/common.json, the definitions they share by relative $ref. A
// validator must load common.json too, under its $id.
//
//go:embed schemas/*.json
var SchemaFS embed.FS

// SchemaBaseURI is the base of every schema's $id: a file's $id is
// SchemaBaseURI followed by its file name.
const SchemaBaseURI = "https://fengqiao.dev/schemas/events/"

// typePrefix is the ce_type prefix that schema file names leave out.
const typePrefix = "dev.fengqiao."

// SchemaFile names the schema file of an event type within SchemaFS's
// schemas/ folder, e.g. "dispute.registered.v1.json".
func SchemaFile(eventType string) string {
	return strings.TrimPrefix(eventType, typePrefix) + ".json"
}

// DataSchema is the URI of an event type's payload schema, its $id: what
// a produced message carries as ce_dataschema, so a consumer or a
// registry can find the schema from the message alone.
func DataSchema(eventType string) string { return SchemaBaseURI + SchemaFile(eventType) }

// Schema returns the JSON Schema of an event type's payload.
func Schema(eventType string) ([]byte, error) {
	if _, ok := newPayload[eventType]; !ok {
		return nil, fmt.Errorf("unknown event type %q", eventType)
	}
	b, err := fs.ReadFile(SchemaFS, "schemas/"+SchemaFile(eventType))
	if err != nil {
		return nil, fmt.Errorf("cannot read schema of %s: %w", eventType, err)
	}
	return b, nil
}
