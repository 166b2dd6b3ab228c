// Package storedshape tests a service's storage model: that mapping an
// aggregate to its stored document and back loses nothing, and that the
// document keeps the shape stores already hold.
//
// Both checks start from Filled, a value whose every exported field, at
// every depth, holds something other than its zero value: a field the
// mapping forgets comes back empty and the round trip fails, where a
// hand-made example would only test the fields its author remembered.
package storedshape

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

var update = flag.Bool("update-stored-shapes", false, "rewrite the golden files storedshape compares with")

// Filled returns a T whose every exported field holds a value other than
// its zero: strings name their field, numbers count up, slices have two
// elements, maps one entry, pointers point at filled values, and times are
// whole milliseconds in UTC (what a BSON date keeps). The same T always
// fills the same way, so a golden file can hold its document.
func Filled[T any]() T {
	var v T
	f := filler{n: 0}
	f.fill(reflect.ValueOf(&v).Elem(), "v", 0)
	return v
}

type filler struct{ n int }

var timeType = reflect.TypeOf(time.Time{})

// maxDepth stops a recursive type (a tree of nodes) from filling forever.
const maxDepth = 8

func (f *filler) fill(v reflect.Value, name string, depth int) {
	if depth > maxDepth {
		return
	}
	f.n++
	switch {
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(f.n) * time.Hour).Add(time.Duration(f.n) * time.Millisecond)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("%s-%d", name, f.n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(f.n % 100))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(f.n % 100))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(f.n) + 0.5)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem(), name, depth+1)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			f.fill(s.Index(i), fmt.Sprintf("%s[%d]", name, i), depth+1)
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			f.fill(v.Index(i), fmt.Sprintf("%s[%d]", name, i), depth+1)
		}
	case reflect.Map:
		m := reflect.MakeMapWithSize(v.Type(), 1)
		k := reflect.New(v.Type().Key()).Elem()
		f.fill(k, name+".key", depth+1)
		e := reflect.New(v.Type().Elem()).Elem()
		f.fill(e, name+".value", depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if sf := v.Type().Field(i); sf.IsExported() {
				f.fill(v.Field(i), sf.Name, depth+1)
			}
		}
	}
}

// RoundTrip maps Filled[S] to its document, through BSON as the store
// would keep it, and back, and fails t if anything changed: a field the
// mapping forgets, or one the document cannot hold.
func RoundTrip[S, D any](t testing.TB, toDocument func(S) D, fromDocument func(D) S) {
	t.Helper()
	roundTrip(t, Filled[S](), toDocument, fromDocument)
}

func roundTrip[S, D any](t testing.TB, want S, toDocument func(S) D, fromDocument func(D) S) {
	t.Helper()
	raw, err := bson.Marshal(toDocument(want))
	if err != nil {
		t.Fatalf("encoding the stored document of a %T: %v", want, err)
	}
	var doc D
	if err := bson.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("decoding the stored document of a %T: %v", want, err)
	}
	if got := fromDocument(doc); !reflect.DeepEqual(got, want) {
		gj, _ := json.MarshalIndent(got, "", "  ")
		wj, _ := json.MarshalIndent(want, "", "  ")
		t.Fatalf("a %T came back from its stored document changed:\n got %s\nwant %s", want, gj, wj)
	}
}

// Golden compares the stored document of Filled[S] with the one in
// testdata/<name>.json, which records the shape stores already hold: a
// renamed or dropped field would leave every stored aggregate unreadable
// in part. -update-stored-shapes rewrites the file from the mapping, for a
// change of shape made on purpose (with a migration of what is stored).
func Golden[S, D any](t testing.TB, name string, toDocument func(S) D) {
	t.Helper()
	golden(t, name, toDocument(Filled[S]()))
}

func golden(t testing.TB, name string, doc any) {
	t.Helper()
	raw, err := bson.Marshal(doc)
	if err != nil {
		t.Fatalf("encoding the stored document: %v", err)
	}
	got, err := bson.MarshalExtJSONIndent(bson.Raw(raw), true, false, "", "  ")
	if err != nil {
		t.Fatalf("writing the stored document as JSON: %v", err)
	}
	File(t, filepath.Join("testdata", name+".json"), append(got, '\n'))
}

// JSON compares the JSON of v, indented, with testdata/<name>.json: the
// JSON an API answers with, which clients read and a contract describes,
// must not move when the types behind it do.
func JSON(t testing.TB, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatalf("encoding %s as JSON: %v", name, err)
	}
	File(t, filepath.Join("testdata", name+".json"), append(got, '\n'))
}

// File compares got with the file at path, which records what was
// written before: a stored document, an answer, a fingerprint. With
// -update-stored-shapes it rewrites the file instead, for a change made
// on purpose.
func File(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the golden file (run with -update-stored-shapes to write it): %v", err)
	}
	if string(got) != string(want) {
		t.Fatalf("%s changed; what was written before reads as the old one.\n got %s\nwant %s", path, got, want)
	}
}

// Sparse is a value of S whose nested parts are present but empty, or
// which is zero, and the name of the golden file holding its document:
// what the filled golden cannot show, the fields omitempty leaves out and
// the nil slices stored as null.
type Sparse[S any] struct {
	Name  string
	Value S
}

// SparseAs names v's golden file testdata/<name>.json.
func SparseAs[S any](name string, v S) Sparse[S] { return Sparse[S]{Name: name, Value: v} }

// Check runs every check of a storage model: RoundTrip, Golden under
// name, and for each sparse value a golden of its own and a round trip
// (it comes back as it went, null still null and [] still []).
func Check[S, D any](t testing.TB, name string, toDocument func(S) D, fromDocument func(D) S, sparse ...Sparse[S]) {
	t.Helper()
	RoundTrip(t, toDocument, fromDocument)
	Golden(t, name, toDocument)
	for _, sp := range sparse {
		golden(t, sp.Name, toDocument(sp.Value))
		roundTrip(t, sp.Value, toDocument, fromDocument)
	}
}
