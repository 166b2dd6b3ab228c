// Package fengqiaoapi is a Go client of the platform's HTTP API, generated
// by oapi-codegen from api/openapi.json and nothing else: the console and
// the e2e tests talk to the services through it, which proves the document
// is enough to build a client on. Each service has its own address: make
// one client per service with NewClientWithResponses(serviceURL, …) and call
// that service's operations (the document's tags) on it.
//
// The generator is the e2e module's go tool, not this module's: a tool
// directive here would put oapi-codegen's own dependencies into the module
// graph of every service that requires fengqiao.dev/api.
package fengqiaoapi

//go:generate go -C ../../e2e tool oapi-codegen -config ../api/fengqiaoapi/oapi-codegen.yaml ../api/openapi.json
