package httpserver

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/problem"
)

// Paging bounds of every collection route: a page is DefaultPageLimit
// items unless the caller asks for fewer or more, never more than
// MaxPageLimit, so no request reads a whole county.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 200
)

// PageRequest is the paging of a collection request: how many items, and
// after which sort key (the cursor the previous page returned, decoded).
type PageRequest struct {
	Limit int
	After string
}

// Page is the answer of every collection route. NextCursor is empty on
// the last page; Total is set only where counting costs nothing extra.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
	Total      *int   `json:"total,omitempty"`
}

// NewPage is a page of items continuing after the sort key next (none
// when empty).
func NewPage[T any](items []T, next string) Page[T] {
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items, NextCursor: EncodeCursor(next)}
}

// PageOf is the page of items a request for the page after the sort key
// after gets, continuing after next. When it is the first page and the
// last, the items are the whole list and Total is their count: the one
// total no list route pays for. The queues are indexed in weekly buckets
// that hold no counts, so any other total would read every bucket.
func PageOf[T any](items []T, after, next string) Page[T] {
	p := NewPage(items, next)
	if after == "" && next == "" {
		n := len(p.Items)
		p.Total = &n
	}
	return p
}

// EncodeCursor makes a sort key opaque: callers page with it and must not
// build one, so the sort key can change without breaking them.
func EncodeCursor(key string) string {
	if key == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(key))
}

// PageParams reads limit and cursor; valid checks the decoded cursor (a
// sort key of the route's own kind). A bad one is a 400 naming it.
func PageParams(c echo.Context, valid func(key string) error) (PageRequest, error) {
	p := PageRequest{Limit: DefaultPageLimit}
	if s := c.QueryParam("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPageLimit {
			return p, problem.Invalid("the page cannot be read as asked",
				problem.FieldError{Pointer: "query:limit", Detail: "must be a whole number from 1 to " + strconv.Itoa(MaxPageLimit)})
		}
		p.Limit = n
	}
	if s := c.QueryParam("cursor"); s != "" {
		key, err := base64.RawURLEncoding.DecodeString(s)
		if err == nil && valid != nil {
			err = valid(string(key))
		}
		if err != nil {
			return p, problem.Invalid("the page cannot be read as asked",
				problem.FieldError{Pointer: "query:cursor", Detail: "not a cursor this list returned"})
		}
		p.After = string(key)
	}
	return p, nil
}

// TimeParam reads an optional RFC 3339 time query parameter; a bad one is
// a 400 naming it.
func TimeParam(c echo.Context, name string) (*time.Time, error) {
	s := c.QueryParam(name)
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, problem.Invalid("the list cannot be read as asked",
			problem.FieldError{Pointer: "query:" + name, Detail: "must be a time, RFC 3339 (2026-12-01T08:00:00+08:00)"})
	}
	return &t, nil
}

// OneOfParam reads an optional query parameter that must be one of
// allowed; a value outside them is a 400 naming it.
func OneOfParam(c echo.Context, name string, allowed ...string) (string, error) {
	s := c.QueryParam(name)
	if s == "" {
		return "", nil
	}
	for _, a := range allowed {
		if s == a {
			return s, nil
		}
	}
	return "", problem.Invalid("the list cannot be read as asked",
		problem.FieldError{Pointer: "query:" + name, Detail: "must be one of " + strings.Join(allowed, ", ")})
}
