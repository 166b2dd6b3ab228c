package precondition

import (
	"context"
	"errors"
	"testing"

	"fengqiao.dev/pkg/docstore"
)

func TestParseIfMatch(t *testing.T) {
	tag := ETag(map[string]int{"b": 1, "a": 2})
	for _, tc := range []struct {
		header, want string
		bad          bool
	}{
		{"", "", false}, {"*", "", false}, {tag, tag, false}, {" " + tag + " ", tag, false},
		{`W/"x"`, `W/"x"`, false}, {`v7`, "", true}, {`"a", "b"`, "", true}, {`"`, "", true},
	} {
		got, err := ParseIfMatch(tc.header)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("ParseIfMatch(%q) = %q, %v", tc.header, got, err)
		}
	}
}

func TestETagIsOfTheState(t *testing.T) {
	type s struct {
		A string
		M map[string]int
	}
	x := s{"a", map[string]int{"z": 1, "y": 2, "x": 3}}
	for range 20 { // map order varies between encodings
		if ETag(x) != ETag(s{"a", map[string]int{"x": 3, "y": 2, "z": 1}}) {
			t.Fatal("the same state has two tags")
		}
	}
	if ETag(x) == ETag(s{"b", x.M}) {
		t.Fatal("two states share a tag")
	}
}

func TestETagOfIsTheStoredStatesTag(t *testing.T) {
	stored := map[string]string{"r1": "registered"}
	get := func(_ context.Context, id string) (string, error) {
		s, ok := stored[id]
		if !ok {
			return "", docstore.ErrNotFound
		}
		return s, nil
	}
	for _, tc := range []struct {
		id, want string
		err      error
	}{
		{"r1", ETag("registered"), nil},
		{"r2", "", docstore.ErrNotFound},
	} {
		got, err := ETagOf(context.Background(), tc.id, get)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("ETagOf(%s) = %q, %v; want %q, %v", tc.id, got, err, tc.want, tc.err)
		}
	}
}

// The condition holds for its record's first write only.
func TestTakeOnce(t *testing.T) {
	ctx := With(context.Background(), "d-1.r1", `"t"`)
	if _, ok := Take(ctx, "d-2.r1"); ok {
		t.Error("another record took the condition")
	}
	if tag, ok := Take(ctx, "d-1.r1"); !ok || tag != `"t"` {
		t.Error("the record did not take its condition")
	}
	if _, ok := Take(ctx, "d-1.r1"); ok {
		t.Error("the condition was taken twice")
	}
	if _, ok := Take(context.Background(), "d-1.r1"); ok {
		t.Error("a request without If-Match expects a tag")
	}
}
