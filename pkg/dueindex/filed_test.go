package dueindex

import (
	"context"
	"testing"
	"time"

	"fengqiao.dev/pkg/docstore"
)

// dueAt is an aggregate that comes due at At, when set.
type dueAt struct{ At *time.Time }

// oneRecord is a repository of one record, in memory.
type oneRecord struct{ state dueAt }

func (r *oneRecord) Update(_ context.Context, _ string, _ docstore.Options, decide func(*docstore.Change[dueAt]) error) (dueAt, error) {
	ch := &docstore.Change[dueAt]{State: r.state, Exists: true}
	if err := decide(ch); err != nil {
		return r.state, err
	}
	r.state = ch.State
	return r.state, nil
}

func TestAWriteFilesWhatComesDueOrMoves(t *testing.T) {
	at := func(h int) *time.Time { x := t0.Add(time.Duration(h) * time.Hour); return &x }
	for _, tc := range []struct {
		name          string
		before, after *time.Time
		filed         bool
	}{
		{"comes due", nil, at(2), true},
		{"moves", at(2), at(3), true},
		{"stays", at(2), at(2), false},
		{"no longer due", at(2), nil, false},
		{"never due", nil, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			x := New(&entries{docs: map[string]Entry{}})
			if err := x.Begin(ctx, t0); err != nil {
				t.Fatal(err)
			}
			f := Filed[dueAt]{Inner: &oneRecord{state: dueAt{tc.before}}, Due: x, Now: func() time.Time { return t0 },
				Next: func(s dueAt) (time.Time, bool) {
					if s.At == nil {
						return time.Time{}, false
					}
					return *s.At, true
				}}
			if _, err := f.Update(ctx, "r1", docstore.Options{}, func(ch *docstore.Change[dueAt]) error {
				ch.State.At = tc.after
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			got := sweep(t, x, t0.Add(24*time.Hour))
			if filed := len(got) == 1; filed != tc.filed {
				t.Errorf("filed: %v (%v), want %v", filed, got, tc.filed)
			}
		})
	}
}
