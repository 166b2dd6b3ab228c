package adapters

import (
	"testing"

	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/services/supervision/internal/actions"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// TestStorageModel maps every stored aggregate to its document and back
// (nothing forgotten), and compares its document with the one stores hold
// (testdata, recorded from the tagged domain types before the storage
// model existed): filled, and sparse, where the omitempty of every field
// shows.
func TestStorageModel(t *testing.T) {
	t.Run("case file", func(t *testing.T) {
		storedshape.RoundTrip(t, toCaseFileDocument, fromCaseFileDocument)
		storedshape.Golden(t, "case_file", toCaseFileDocument)
		storedshape.Golden(t, "case_file_sparse", sparse(toCaseFileDocument,
			casefile.CaseFile{Timeline: []casefile.Entry{{Copies: []casefile.CopyDue{{}}}}}))
	})
	t.Run("actions", func(t *testing.T) {
		storedshape.RoundTrip(t, toSupervisedDocument, fromSupervisedDocument)
		storedshape.Golden(t, "supervised", toSupervisedDocument)
		storedshape.Golden(t, "supervised_sparse", sparse(toSupervisedDocument, actions.Supervised{Urges: []actions.Urge{{}}}))
	})
	t.Run("tally", func(t *testing.T) {
		storedshape.RoundTrip(t, toTallyDocument, fromTallyDocument)
		storedshape.Golden(t, "tally", toTallyDocument)
		storedshape.Golden(t, "tally_sparse", sparse(toTallyDocument, casefile.Tally{}))
	})
	t.Run("due slot", func(t *testing.T) {
		storedshape.RoundTrip(t, toDueSlotDocument, fromDueSlotDocument)
		storedshape.Golden(t, "due_slot", toDueSlotDocument)
		storedshape.Golden(t, "due_slot_sparse", sparse(toDueSlotDocument, casefile.DueSlot{}))
	})
	t.Run("sums", func(t *testing.T) {
		storedshape.RoundTrip(t, toSumsDocument, fromSumsDocument)
		storedshape.Golden(t, "sums", toSumsDocument)
		storedshape.Golden(t, "sums_sparse", sparse(toSumsDocument, casefile.Sums{Statistics: map[string]casefile.StatCell{"": {}}}))
	})
	t.Run("sums by key", func(t *testing.T) {
		storedshape.RoundTrip(t, toKeySumsDocument, fromKeySumsDocument)
		storedshape.Golden(t, "key_sums", toKeySumsDocument)
		storedshape.Golden(t, "key_sums_sparse", sparse(toKeySumsDocument, casefile.KeySums{Keys: []casefile.KeyedSums{{}}}))
	})
	t.Run("unstaffed list", func(t *testing.T) {
		storedshape.RoundTrip(t, toUnstaffedListDocument, fromUnstaffedListDocument)
		storedshape.Golden(t, "unstaffed_list", toUnstaffedListDocument)
		storedshape.Golden(t, "unstaffed_list_sparse", sparse(toUnstaffedListDocument,
			casefile.UnstaffedList{Entries: []casefile.UnstaffedSeat{{}}}))
	})
	t.Run("obligation counts", func(t *testing.T) {
		storedshape.RoundTrip(t, toObligationCountsDocument, fromObligationCountsDocument)
		storedshape.Golden(t, "obligation_counts", toObligationCountsDocument)
		storedshape.Golden(t, "obligation_counts_sparse", sparse(toObligationCountsDocument, casefile.ObligationCounts{}))
	})
}

// sparse maps z, whatever it is given: a value whose nested elements are
// zero, for Golden to record the fields left out when empty.
func sparse[S, D any](toDocument func(S) D, z S) func(S) D {
	return func(S) D { return toDocument(z) }
}

// TestEmptyStaysEmpty: a nil list or map is stored as null and an empty
// one as [] or {}; each must come back as it went, since the domain tells
// them apart (new sums start with empty maps that a merge fills).
func TestEmptyStaysEmpty(t *testing.T) {
	for _, s := range []casefile.Sums{{}, casefile.NewSums("370202", casefile.AllTime)} {
		got := fromSumsDocument(toSumsDocument(s))
		if (got.Stages == nil) != (s.Stages == nil) || (got.Statistics == nil) != (s.Statistics == nil) || (got.Recent == nil) != (s.Recent == nil) {
			t.Errorf("sums %+v came back as %+v", s, got)
		}
	}
	for _, cf := range []casefile.CaseFile{{}, {Timeline: []casefile.Entry{}}} {
		if got := fromCaseFileDocument(toCaseFileDocument(cf)); (got.Timeline == nil) != (cf.Timeline == nil) {
			t.Errorf("timeline %#v came back as %#v", cf.Timeline, got.Timeline)
		}
	}
}
