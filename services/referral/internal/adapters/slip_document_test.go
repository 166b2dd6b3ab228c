package adapters

import (
	"testing"

	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/services/referral/internal/referral"
)

// The slip's storage model keeps every field, and the shape stores hold:
// filled, and with its optional parts empty, where it leaves out what
// omitempty left out before the storage model moved, stores null where a
// nil slice was and [] where an empty one was, and comes back as it went.
func TestTheSlipsStorageModel(t *testing.T) {
	storedshape.Check(t, "slip", toSlipDocument, fromSlipDocument,
		storedshape.SparseAs("slip-sparse", referral.Slip{
			Copies: []referral.CopyState{{}}, Transfers: []referral.Transfer{{Copies: []referral.CopyState{}}},
		}))
}
