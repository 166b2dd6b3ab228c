package adapters

import (
	"testing"

	"fengqiao.dev/pkg/docstore/storedshape"
)

// Each storage model keeps every field of its aggregate, and the shape
// stores already hold (testdata/*.json, recorded from the documents the
// aggregates were stored as before they had a storage model of their own).

func TestTheDisputeDocument(t *testing.T) {
	storedshape.RoundTrip(t, toDisputeDocument, fromDisputeDocument)
	storedshape.Golden(t, "dispute", toDisputeDocument)
}

func TestTheRepeatIndexEntryDocument(t *testing.T) {
	storedshape.RoundTrip(t, toMatchedDisputesDocument, fromMatchedDisputesDocument)
	storedshape.Golden(t, "matched_disputes", toMatchedDisputesDocument)
}

func TestTheSeatedDocument(t *testing.T) {
	storedshape.RoundTrip(t, toSeatedDocument, fromSeatedDocument)
	storedshape.Golden(t, "seated", toSeatedDocument)
}
