// Package problem renders errors as RFC 9457 problem details
// (application/problem+json). A handler returns a *Details; the HTTP server's
// error handler writes it. Validation problems name every field at fault with
// a JSON Pointer, so a client can show the error next to the field.
package problem

import (
	"fmt"
	"net/http"
	"strings"
)

// MediaType is the content type of a problem document.
const MediaType = "application/problem+json"

// FieldError names one field at fault.
type FieldError struct {
	// Pointer is a JSON Pointer into the request body (RFC 6901), e.g.
	// "#/parties/0/role", or the name of a header or path parameter.
	Pointer string `json:"pointer"`
	Detail  string `json:"detail"`
}

// Details is an RFC 9457 problem document.
type Details struct {
	Type     string       `json:"type"`
	Title    string       `json:"title"`
	Status   int          `json:"status"`
	Detail   string       `json:"detail,omitempty"`
	Instance string       `json:"instance,omitempty"`
	Errors   []FieldError `json:"errors,omitempty"`
}

// Error implements error, so a handler can return a *Details directly.
func (d *Details) Error() string {
	if len(d.Errors) == 0 {
		return fmt.Sprintf("%d %s: %s", d.Status, d.Title, d.Detail)
	}
	parts := make([]string, len(d.Errors))
	for i, e := range d.Errors {
		parts[i] = e.Pointer + ": " + e.Detail
	}
	return fmt.Sprintf("%d %s: %s", d.Status, d.Title, strings.Join(parts, "; "))
}

// typeBase prefixes every problem type URI; the documents it names are in
// docs/problems.md.
const typeBase = "https://fengqiao.dev/problems/"

func newDetails(status int, kind, title, detail string) *Details {
	return &Details{Type: typeBase + kind, Title: title, Status: status, Detail: detail}
}

// Invalid (400) reports a malformed request or a field that is wrong.
// Every field at fault is listed.
func Invalid(detail string, fields ...FieldError) *Details {
	d := newDetails(http.StatusBadRequest, "invalid-request", "Invalid request", detail)
	d.Errors = fields
	return d
}

// Field builds a FieldError for the body member at the given JSON Pointer.
func Field(pointer, detail string) FieldError {
	if !strings.HasPrefix(pointer, "#") {
		pointer = "#/" + strings.TrimPrefix(pointer, "/")
	}
	return FieldError{Pointer: pointer, Detail: detail}
}

// NotFound reports a missing resource.
func NotFound(detail string) *Details {
	return newDetails(http.StatusNotFound, "not-found", "Not found", detail)
}

// Conflict reports a request that contradicts the resource's state, e.g. an
// outcome recorded twice, or an Idempotency-Key reused with another body.
func Conflict(detail string) *Details {
	return newDetails(http.StatusConflict, "conflict", "Conflict", detail)
}

// PreconditionFailed (412) reports a write conditioned with If-Match on
// a version the record is no longer at: someone changed it since the
// caller read it.
func PreconditionFailed(detail string) *Details {
	return newDetails(http.StatusPreconditionFailed, "precondition-failed", "Precondition failed", detail)
}

// Unauthenticated reports a request without a caller identity.
func Unauthenticated(detail string) *Details {
	return newDetails(http.StatusUnauthorized, "unauthenticated", "Unauthenticated", detail)
}

// Forbidden reports a caller who may not do this, e.g. another county's case.
func Forbidden(detail string) *Details {
	return newDetails(http.StatusForbidden, "forbidden", "Forbidden", detail)
}

// Unprocessable reports a well-formed request the domain refuses.
func Unprocessable(detail string) *Details {
	return newDetails(http.StatusUnprocessableEntity, "unprocessable", "Unprocessable request", detail)
}

// Internal hides an unexpected error behind a generic problem; the cause is
// logged, never returned, because it may carry personal data.
func Internal() *Details {
	return newDetails(http.StatusInternalServerError, "internal", "Internal error",
		"the request could not be completed; it has been logged")
}

// TooLarge (413) reports a request larger than the server takes, or one
// whose event would be larger than the platform can publish.
func TooLarge(detail string) *Details {
	return newDetails(http.StatusRequestEntityTooLarge, "too-large", "Content too large", detail)
}

// Unavailable (503) reports a dependency the request needs that is away for
// now, such as the identity provider's keys; the client retries.
func Unavailable(detail string) *Details {
	return newDetails(http.StatusServiceUnavailable, "unavailable", "Service unavailable", detail)
}

// StorageFull (503) reports that the platform's storage refused to write
// for want of space: the request changed nothing and may be sent again
// once an operator has made room; the server sets Retry-After.
func StorageFull() *Details {
	return newDetails(http.StatusServiceUnavailable, "storage-full", "Storage full",
		"the platform's storage is full and refuses writes; nothing was changed; retry later")
}

// TooManyRequests (429) reports a client over its rate limit; the server
// sets Retry-After.
func TooManyRequests(detail string) *Details {
	return newDetails(http.StatusTooManyRequests, "too-many-requests", "Too many requests", detail)
}
