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
		storedshape.Check(t, "case_file", toCaseFileDocument, fromCaseFileDocument,
			storedshape.SparseAs("case_file_sparse", casefile.CaseFile{Timeline: []casefile.Entry{{Copies: []casefile.CopyDue{{}}}}}))
	})
	t.Run("actions", func(t *testing.T) {
		storedshape.Check(t, "supervised", toSupervisedDocument, fromSupervisedDocument,
			storedshape.SparseAs("supervised_sparse", actions.Supervised{Urges: []actions.Urge{{}}}))
	})
	t.Run("tally", func(t *testing.T) {
		storedshape.Check(t, "tally", toTallyDocument, fromTallyDocument,
			storedshape.SparseAs("tally_sparse", casefile.Tally{}))
	})
	t.Run("due slot", func(t *testing.T) {
		storedshape.Check(t, "due_slot", toDueSlotDocument, fromDueSlotDocument,
			storedshape.SparseAs("due_slot_sparse", casefile.DueSlot{}))
	})
	t.Run("sums", func(t *testing.T) {
		storedshape.Check(t, "sums", toSumsDocument, fromSumsDocument,
			storedshape.SparseAs("sums_sparse", casefile.Sums{Statistics: map[string]casefile.StatCell{"": {}}}))
	})
	t.Run("sums by key", func(t *testing.T) {
		storedshape.Check(t, "key_sums", toKeySumsDocument, fromKeySumsDocument,
			storedshape.SparseAs("key_sums_sparse", casefile.KeySums{Keys: []casefile.KeyedSums{{}}}))
	})
	t.Run("unstaffed list", func(t *testing.T) {
		storedshape.Check(t, "unstaffed_list", toUnstaffedListDocument, fromUnstaffedListDocument,
			storedshape.SparseAs("unstaffed_list_sparse", casefile.UnstaffedList{Entries: []casefile.UnstaffedSeat{{}}}))
	})
	t.Run("obligation counts", func(t *testing.T) {
		storedshape.Check(t, "obligation_counts", toObligationCountsDocument, fromObligationCountsDocument,
			storedshape.SparseAs("obligation_counts_sparse", casefile.ObligationCounts{}))
	})
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
