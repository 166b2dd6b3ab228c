package storedshape_test

import (
	"testing"
	"time"

	"fengqiao.dev/pkg/docstore/storedshape"
)

type inner struct {
	At    time.Time
	Maybe *time.Time
	Tags  map[string]int
}

type outer struct {
	Name   string
	Inners []inner
	One    *inner
	Kind   kind
}

type kind string

func TestEveryFieldIsFilledAndSurvivesBSON(t *testing.T) {
	o := storedshape.Filled[outer]()
	if o.Name == "" || len(o.Inners) != 2 || o.One == nil || o.One.Maybe == nil || len(o.One.Tags) != 1 || o.Kind == "" || o.Inners[1].At.IsZero() {
		t.Fatalf("Filled left a field empty: %+v", o)
	}
	same := func(o outer) outer { return o }
	storedshape.RoundTrip(t, same, same)
}
