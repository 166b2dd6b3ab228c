package adapters

import (
	"testing"

	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/services/revisit/internal/app"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// Each storage model keeps every field, and the shape stores hold: filled,
// and empty, where it leaves out what omitempty left out before the
// storage model moved, stores null where a nil slice was, and comes back
// as it went.
func TestStorageModels(t *testing.T) {
	t.Run("revisit", func(t *testing.T) {
		storedshape.Check(t, "revisit", toRevisitDocument, fromRevisitDocument,
			storedshape.SparseAs("revisit-sparse", revisit.Revisit{}))
	})
	t.Run("round", func(t *testing.T) {
		storedshape.Check(t, "round", toRoundDocument, fromRoundDocument,
			storedshape.SparseAs("round-sparse", app.Round{}))
	})
}
