// Package fengqiaoapi is a Go client of the platform's HTTP API, generated
// by oapi-codegen from api/openapi.json and nothing else: the e2e tests
// drive the platform through it, which proves the document is enough to
// build a client on. Each service has its own address: make one client per
// service with NewClientWithResponses(serviceURL, …) and call that
// service's operations (the document's tags) on it.
package fengqiaoapi

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../api/openapi.json
