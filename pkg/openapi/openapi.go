// Package openapi is the platform's HTTP contract as an OpenAPI 3.1
// document, built from one Go source: the route table of pkg/access names
// every route, its roles and what it is for; the contracts here add what a
// client sends and gets back. api/openapi.json is this document rendered
// (make generate writes it, a test fails when it is stale), every service
// serves its own part at GET /openapi.json, the component tests validate
// each real request and response against it, and the e2e tests drive the
// platform through a client generated from it. docs/integration.md says
// why one Go source rather than a hand-kept file.
package openapi

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"fengqiao.dev/pkg/access"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
)

// Version is the OpenAPI version of the document: 3.1, which both the
// validator (kin-openapi) and the client generator (oapi-codegen) read.
const Version = "3.1.0"

// Services are the services whose routes the document holds, in order.
var Services = []string{"intake", "referral", "mediation-room", "revisit", "supervision"}

// Document builds the whole platform's document: every service's routes,
// each operation tagged with the services that serve it.
func Document() *openapi3.T {
	doc := skeleton()
	for _, r := range access.Rules() {
		addOperation(doc, r.Route, apiOperation(r))
	}
	for _, service := range Services {
		for _, op := range serviceRoutes() {
			addOperation(doc, access.Route{Service: service, Method: op.method, Path: op.path}, op.build())
		}
	}
	return doc
}

// ForService is the part of the document one service serves.
func ForService(service string) *openapi3.T {
	doc := Document()
	paths := openapi3.NewPaths()
	for path, item := range doc.Paths.Map() {
		kept := &openapi3.PathItem{}
		for method, op := range item.Operations() {
			if slices.Contains(op.Tags, service) {
				kept.SetOperation(method, op)
			}
		}
		if len(kept.Operations()) > 0 {
			paths.Set(path, kept)
		}
	}
	doc.Paths = paths
	doc.Tags = slices.DeleteFunc(doc.Tags, func(t *openapi3.Tag) bool { return t.Name != service })
	return doc
}

var (
	renderedOnce sync.Once
	rendered     map[string][]byte
	renderErr    error
)

// JSON is the document as served: the whole platform's for "", else the
// part of one service. It is rendered once.
func JSON(service string) ([]byte, error) {
	renderedOnce.Do(func() {
		rendered = map[string][]byte{}
		for _, s := range append([]string{""}, Services...) {
			doc := Document()
			if s != "" {
				doc = ForService(s)
			}
			if rendered[s], renderErr = Render(doc); renderErr != nil {
				return
			}
		}
	})
	if renderErr != nil {
		return nil, renderErr
	}
	data, ok := rendered[service]
	if !ok {
		return nil, fmt.Errorf("cannot render the document of %q: no such service", service)
	}
	return data, nil
}

// Render writes a document as indented JSON, as api/openapi.json keeps it.
func Render(doc *openapi3.T) ([]byte, error) {
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cannot render the OpenAPI document: %w", err)
	}
	return append(data, '\n'), nil
}

// PathOf is an echo route's path as the document writes it: ":id" → "{id}".
func PathOf(echoPath string) string {
	parts := strings.Split(echoPath, "/")
	for i, p := range parts {
		if name, ok := strings.CutPrefix(p, ":"); ok {
			parts[i] = "{" + name + "}"
		}
	}
	return strings.Join(parts, "/")
}

func skeleton() *openapi3.T {
	doc := &openapi3.T{
		OpenAPI: Version,
		Info: &openapi3.Info{
			Title:   "Fengqiao (枫桥) dispute resolution platform",
			Version: "v1",
			Description: "The HTTP APIs of the five services. Each operation's tag names the service that serves it " +
				"(each at its own address; GET /openapi.json on a service returns its own part). " +
				"Errors are RFC 9457 problem details (application/problem+json) whose errors[] name each field at fault " +
				"by a JSON Pointer into the body (#/parties/0/phone) or as query:NAME, header:NAME. " +
				"Reads of a single record answer an ETag; writes honour If-Match (412 when the record changed) " +
				"and POSTs an Idempotency-Key (the first answer again, 422 when the key comes with another body).",
		},
		Components: &openapi3.Components{
			Schemas:         schemas(),
			Parameters:      parameters(),
			Headers:         headers(),
			Responses:       problemResponses(),
			SecuritySchemes: openapi3.SecuritySchemes{bearerScheme: bearerSecurity()},
		},
		Security: openapi3.SecurityRequirements{{bearerScheme: []string{}}},
		Paths:    openapi3.NewPaths(),
	}
	for _, s := range Services {
		doc.Tags = append(doc.Tags, &openapi3.Tag{Name: s, Description: serviceDescriptions[s]})
	}
	return doc
}

var serviceDescriptions = map[string]string{
	"intake":         "records disputes from every channel (also as Open311 GeoReport v2); http://127.0.0.1:8081 under make run",
	"referral":       "the triplicate slip (三联单): its copies, their signatures and returns; http://127.0.0.1:8082",
	"mediation-room": "mediations, sessions, joint sessions and meetings, agreements; http://127.0.0.1:8083",
	"revisit":        "revisits of settled cases; http://127.0.0.1:8084",
	"supervision":    "timelines, figures, urges and the watch list; http://127.0.0.1:8085",
}

const bearerScheme = "bearer"

func bearerSecurity() *openapi3.SecuritySchemeRef {
	return &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
		Type: "http", Scheme: "bearer", BearerFormat: "JWT",
		Description: "An OIDC access token of the province's identity provider: a person's (authorization code) " +
			"or an agency system's (client credentials). Its claims name the county, agency and role; " +
			"docs/security.md has who may do what.",
	}}
}

// addOperation puts op on the route's path, or, when another service
// serves the same method and path (the audit trail), adds that service's
// tag to it.
func addOperation(doc *openapi3.T, r access.Route, op *openapi3.Operation) {
	path := PathOf(r.Path)
	item := doc.Paths.Value(path)
	if item == nil {
		item = &openapi3.PathItem{}
		doc.Paths.Set(path, item)
	}
	if existing := item.GetOperation(r.Method); existing != nil {
		if !slices.Contains(existing.Tags, r.Service) {
			existing.Tags = append(existing.Tags, r.Service)
		}
		return
	}
	op.Tags = append([]string{r.Service}, op.Tags...)
	item.SetOperation(r.Method, op)
}

// open311Prefix is the GeoReport v2 facade's, whose errors are its own.
const open311Prefix = "/v1/open311/"

// apiOperation is a /v1 route's operation: the access rule's purpose and
// roles, and its contract.
func apiOperation(r access.Rule) *openapi3.Operation {
	c, ok := contracts[r.Route]
	if !ok {
		// A route of the access table without a contract: a test names it,
		// and the document still lists it, so the drift test holds.
		c = contract{id: fallbackID(r.Route)}
	}
	op := &openapi3.Operation{
		OperationID: c.id,
		Summary:     r.Why,
		Description: "Roles: " + rolesOf(r) + ".",
		Responses:   openapi3.NewResponses(),
	}
	for _, name := range pathParams(r.Path) {
		op.Parameters = append(op.Parameters, pathParam(name))
	}
	op.Parameters = append(op.Parameters, c.query...)
	if c.paged {
		op.Parameters = append(op.Parameters, refParam("limit"), refParam("cursor"))
	}
	writes := r.Method != "GET"
	if writes && len(pathParams(r.Path)) > 0 {
		op.Parameters = append(op.Parameters, refParam("If-Match"))
	}
	if r.Method == "POST" {
		op.Parameters = append(op.Parameters, refParam("Idempotency-Key"))
	}
	if c.request != nil {
		op.RequestBody = &openapi3.RequestBodyRef{Value: c.request}
	}
	for status, resp := range c.responses() {
		op.Responses.Set(status, resp)
	}
	for _, status := range problemStatuses(r.Method, c.request != nil) {
		name := problemNames[status]
		if strings.HasPrefix(r.Path, open311Prefix) {
			name = "GeoReportErrors"
		}
		op.Responses.Set(status, &openapi3.ResponseRef{Ref: "#/components/responses/" + name})
	}
	return op
}

// rolesOf lists the roles a route grants, in the identity package's order.
func rolesOf(r access.Rule) string {
	var names []string
	for _, role := range identity.Roles() {
		if g, ok := r.Grants[role]; ok {
			name := string(role)
			if len(g.Relations) > 0 {
				rels := make([]string, len(g.Relations))
				for i, rel := range g.Relations {
					rels[i] = string(rel)
				}
				name += " (" + strings.Join(rels, ", ") + ")"
			}
			names = append(names, name)
		}
	}
	return strings.Join(names, "; ")
}

func pathParams(echoPath string) []string {
	var names []string
	for _, p := range strings.Split(echoPath, "/") {
		if name, ok := strings.CutPrefix(p, ":"); ok {
			names = append(names, name)
		}
	}
	return names
}

// fallbackID names an operation without a contract from its route.
func fallbackID(r access.Route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(r.Method))
	for _, p := range strings.FieldsFunc(r.Path, func(c rune) bool { return c == '/' || c == ':' || c == '.' || c == '-' }) {
		if p == "v1" {
			continue
		}
		b.WriteString(strings.ToUpper(p[:1]) + p[1:])
	}
	return b.String()
}

// Operations are the routes of the access table the service serves, with
// their operationIds, as httpserver.Mount serves them under /v1.
func Operations(service string) []httpserver.Operation {
	var out []httpserver.Operation
	for _, r := range access.Rules() {
		if r.Service != service {
			continue
		}
		c, ok := contracts[r.Route]
		if !ok {
			c = contract{id: fallbackID(r.Route)}
		}
		out = append(out, httpserver.Operation{Method: r.Method, Path: strings.TrimPrefix(r.Path, "/v1"), ID: c.id, ETag: c.tagged()})
	}
	return out
}
