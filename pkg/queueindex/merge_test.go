package queueindex

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestMergeKeepsKeyOrderAndOneEntryPerID(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	at := func(min int, id string, attrs ...string) Entry {
		e := Entry{ID: id, Key: Key(t0.Add(time.Duration(min)*time.Minute), id)}
		if len(attrs) > 0 {
			e.Attrs = map[string]string{attrs[0]: attrs[1]}
		}
		return e
	}
	packAll := func(es ...Entry) []string {
		out := make([]string, len(es))
		for i, e := range es {
			out[i] = pack(e)
		}
		return out
	}
	for _, tc := range []struct {
		name            string
		packed, entries []Entry
		want            []Entry
	}{
		{"into nothing", nil, []Entry{at(5, "b"), at(1, "a")}, []Entry{at(1, "a"), at(5, "b")}},
		{"between and around", []Entry{at(2, "b"), at(4, "d")}, []Entry{at(5, "e"), at(3, "c"), at(1, "a")},
			[]Entry{at(1, "a"), at(2, "b"), at(3, "c"), at(4, "d"), at(5, "e")}},
		{"an ID moves to its new key", []Entry{at(1, "a"), at(2, "b"), at(3, "c")}, []Entry{at(9, "a")},
			[]Entry{at(2, "b"), at(3, "c"), at(9, "a")}},
		{"new attributes at the same key", []Entry{at(1, "a", "state", "open")}, []Entry{at(1, "a", "state", "signed")},
			[]Entry{at(1, "a", "state", "signed")}},
		{"the last of one ID's entries wins", []Entry{at(2, "b")}, []Entry{at(1, "a"), at(3, "a"), at(7, "a")},
			[]Entry{at(2, "b"), at(7, "a")}},
		{"equal duplicates once", nil, []Entry{at(1, "a"), at(1, "a")}, []Entry{at(1, "a")}},
		{"same instant, by ID", []Entry{at(1, "c")}, []Entry{at(1, "b"), at(1, "d")},
			[]Entry{at(1, "b"), at(1, "c"), at(1, "d")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := merge(packAll(tc.packed...), tc.entries)
			if want := packAll(tc.want...); !slices.Equal(got, want) {
				t.Errorf("merge = %q, want %q", got, want)
			}
		})
		// Past insertEach entries merge sorts them instead: the same
		// result, with the entries of the case among many others.
		t.Run(tc.name+", among many", func(t *testing.T) {
			var filler []Entry
			for i := range insertEach {
				filler = append(filler, at(100+i, fmt.Sprintf("z%02d", i)))
			}
			got := merge(packAll(tc.packed...), append(slices.Clone(filler), tc.entries...))
			if want := packAll(append(slices.Clone(tc.want), filler...)...); !slices.Equal(got, want) {
				t.Errorf("merge = %q, want %q", got, want)
			}
		})
	}
}

// One write's entries into a busy county's week (about 2,000 entries).
func BenchmarkMergeIntoWeek(b *testing.B) {
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	week := make([]string, 2000)
	for i := range week {
		id := "d-" + time.Duration(i).String()
		week[i] = pack(Entry{ID: id, Key: Key(t0.Add(time.Duration(i)*5*time.Minute), id), Attrs: map[string]string{"state": "awaiting"}})
	}
	slices.Sort(week)
	add := []Entry{{ID: "new", Key: Key(t0.Add(3*24*time.Hour), "new"), Attrs: map[string]string{"state": "awaiting"}}}
	for b.Loop() {
		merge(slices.Clone(week), add)
	}
}

func TestRouteFindsThePageStartingAtOrBeforeAKey(t *testing.T) {
	refs := []pageRef{{from: ""}, {from: "b"}, {from: "d"}}
	for _, tc := range []struct {
		key  string
		want int
	}{{"a", 0}, {"b", 1}, {"c", 1}, {"d", 2}, {"z", 2}} {
		if got := route(refs, tc.key); got != tc.want {
			t.Errorf("route(%q) = %d, want %d", tc.key, got, tc.want)
		}
	}
}

func TestChunkCutsRunsOfAboutASize(t *testing.T) {
	ten := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "0123456789" // with the array's overhead, 18 bytes
		}
		return out
	}
	for _, tc := range []struct {
		entries int
		size    int
		want    []int
	}{
		{0, 36, nil},
		{1, 36, []int{1}},
		{4, 36, []int{2, 2}},
		{5, 36, []int{2, 2, 1}}, // the last run at least half a size
		{7, 54, []int{3, 4}},
		{6, 36, []int{2, 2, 2}},
		{3, 1000, []int{3}},
	} {
		var got []int
		for _, run := range chunk(ten(tc.entries), tc.size) {
			got = append(got, len(run))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%d entries in runs of %d bytes: %v, want %v", tc.entries, tc.size, got, tc.want)
		}
	}
}

func TestPageRefsRoundTrip(t *testing.T) {
	refs := []pageRef{{from: "", name: "a"}, {from: "20261126T000000.000000000Z/x", name: "b", empty: true}}
	if got := parseRefs(formatRefs(refs)); !slices.Equal(got, refs) {
		t.Errorf("%+v, want %+v", got, refs)
	}
}
