package supervision

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// staged is a collection a replay builds in memory. The read models are
// built on it by the same code that builds them on the store at start-up
// (app.EnsureTallies and the others), so a replayed store holds what a
// start-up build would have written; the replay then writes the documents
// in bulk. On the store those builds cost a load and a write per document
// and read every case file again, one build after the other.
//
// An update holds the collection's lock while it decides: the builds'
// decisions read other collections, never their own.
type staged[S any] struct {
	name string

	mu   sync.Mutex
	docs map[string]S
	// order is the IDs in the order they were created: a build writes its
	// marker last, and so does the bulk write.
	order []string
}

func newStaged[S any](name string) *staged[S] {
	return &staged[S]{name: name, docs: map[string]S{}}
}

func (s *staged[S]) Get(_ context.Context, id string) (S, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[id]
	if !ok {
		var zero S
		return zero, fmt.Errorf("%s %s: %w", s.name, id, docstore.ErrNotFound)
	}
	return d, nil
}

func (s *staged[S]) Update(_ context.Context, id string, opts docstore.Options, decide func(*docstore.Change[S]) error) (S, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, exists := s.docs[id]
	if !exists && !opts.Create {
		var zero S
		return zero, fmt.Errorf("%s %s: %w", s.name, id, docstore.ErrNotFound)
	}
	ch := &docstore.Change[S]{State: d, Exists: exists}
	if err := decide(ch); errors.Is(err, docstore.ErrNoChange) {
		return d, nil
	} else if err != nil {
		var zero S
		return zero, err
	}
	s.put(id, ch.State)
	return ch.State, nil
}

// CreateMany creates the documents that do not exist, as
// docstore.Collection.CreateMany does.
func (s *staged[S]) CreateMany(_ context.Context, docs []docstore.Fresh[S]) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var existing []string
	for _, d := range docs {
		if _, ok := s.docs[d.ID]; ok {
			existing = append(existing, d.ID)
			continue
		}
		s.put(d.ID, d.State)
	}
	return existing, nil
}

func (s *staged[S]) put(id string, state S) {
	if _, ok := s.docs[id]; !ok {
		s.order = append(s.order, id)
	}
	s.docs[id] = state
}

// All is every document, in the order created.
func (s *staged[S]) All(context.Context) ([]S, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]S, len(s.order))
	for i, id := range s.order {
		out[i] = s.docs[id]
	}
	return out, nil
}

// fresh is every document to write, in the order created.
func (s *staged[S]) fresh() []docstore.Fresh[S] {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]docstore.Fresh[S], len(s.order))
	for i, id := range s.order {
		out[i] = docstore.Fresh[S]{ID: id, State: s.docs[id]}
	}
	return out
}

// stagedTallies is app.Tallies on a staged collection.
type stagedTallies struct{ *staged[casefile.Tally] }

// InArea implements app.Tallies.
func (t stagedTallies) InArea(ctx context.Context, area string) ([]casefile.Tally, error) {
	all, err := t.All(ctx)
	if err != nil {
		return nil, err
	}
	var out []casefile.Tally
	for _, tally := range all {
		if strings.HasPrefix(tally.CountyCode, area) {
			out = append(out, tally)
		}
	}
	return out, nil
}

// heldCaseFiles is app.CaseFiles on the case files a replay built, read
// only: the read models' builds read them all.
type heldCaseFiles struct{ files []casefile.CaseFile }

func (h heldCaseFiles) Get(_ context.Context, id string) (casefile.CaseFile, error) {
	for _, f := range h.files {
		if f.DisputeID == id {
			return f, nil
		}
	}
	return casefile.CaseFile{}, fmt.Errorf("case file %s: %w", id, docstore.ErrNotFound)
}

func (h heldCaseFiles) All(context.Context) ([]casefile.CaseFile, error) { return h.files, nil }

func (h heldCaseFiles) InCounty(_ context.Context, county string) ([]casefile.CaseFile, error) {
	var out []casefile.CaseFile
	for _, f := range h.files {
		if f.CountyCode == county {
			out = append(out, f)
		}
	}
	return out, nil
}

func (h heldCaseFiles) Unstaffed(context.Context) ([]casefile.CaseFile, error) {
	return nil, errors.New("the replay's case files are not queried by their unstaffed mark")
}

func (h heldCaseFiles) Update(_ context.Context, id string, _ docstore.Options, _ func(*docstore.Change[casefile.CaseFile]) error) (casefile.CaseFile, error) {
	return casefile.CaseFile{}, fmt.Errorf("case file %s: the replay's case files are read only", id)
}
