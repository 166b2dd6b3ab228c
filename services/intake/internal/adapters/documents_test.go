package adapters

import (
	"testing"

	"fengqiao.dev/pkg/docstore/storedshape"
)

// Each storage model keeps every field of its aggregate, and the shape
// stores already hold (testdata/*.json, recorded from the documents the
// aggregates were stored as before they had a storage model of their own).
func TestStorageModels(t *testing.T) {
	t.Run("dispute", func(t *testing.T) { storedshape.Check(t, "dispute", toDisputeDocument, fromDisputeDocument) })
	t.Run("repeat index entry", func(t *testing.T) {
		storedshape.Check(t, "matched_disputes", toMatchedDisputesDocument, fromMatchedDisputesDocument)
	})
	t.Run("seated", func(t *testing.T) { storedshape.Check(t, "seated", toSeatedDocument, fromSeatedDocument) })
}
