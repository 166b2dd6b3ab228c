package adapters

// The storage model: each aggregate the service stores has a document
// type here, which alone carries the field names stores hold, and a pair
// of functions mapping one to the other. The domain's rules do not move
// when the stored shape does, and the stored shape does not move when the
// domain is refactored: testdata holds the documents stores already hold,
// and the tests hold the mapping to them.
