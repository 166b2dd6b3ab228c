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

type innerDoc struct {
	At    time.Time      `bson:"at"`
	Maybe *time.Time     `bson:"maybe,omitempty"`
	Tags  map[string]int `bson:"tags"`
}

type outerDoc struct {
	Name   string     `bson:"name"`
	Inners []innerDoc `bson:"inners"`
	One    *innerDoc  `bson:"one,omitempty"`
	Kind   string     `bson:"kind,omitempty"`
}

func toInnerDoc(i inner) innerDoc   { return innerDoc(i) }
func fromInnerDoc(d innerDoc) inner { return inner(d) }

func toOuterDoc(o outer) outerDoc {
	d := outerDoc{Name: o.Name, Kind: string(o.Kind)}
	if o.Inners != nil {
		d.Inners = make([]innerDoc, len(o.Inners))
		for i, in := range o.Inners {
			d.Inners[i] = toInnerDoc(in)
		}
	}
	if o.One != nil {
		one := toInnerDoc(*o.One)
		d.One = &one
	}
	return d
}

func fromOuterDoc(d outerDoc) outer {
	o := outer{Name: d.Name, Kind: kind(d.Kind)}
	if d.Inners != nil {
		o.Inners = make([]inner, len(d.Inners))
		for i, in := range d.Inners {
			o.Inners[i] = fromInnerDoc(in)
		}
	}
	if d.One != nil {
		one := fromInnerDoc(*d.One)
		o.One = &one
	}
	return o
}

// Check runs the round trip and the filled golden, and for each sparse
// value its own golden and round trip: an empty list stays [], a nil one
// null.
func TestCheckRunsEveryCheckOfAStorageModel(t *testing.T) {
	storedshape.Check(t, "outer", toOuterDoc, fromOuterDoc,
		storedshape.SparseAs("outer_sparse", outer{Inners: []inner{{}}, One: &inner{}}),
		storedshape.SparseAs("outer_zero", outer{}))
}
