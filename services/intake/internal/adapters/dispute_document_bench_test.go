package adapters

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/services/intake/internal/dispute"
)

// BenchmarkDisputeDocument is what the storage model adds to a dispute's
// every read and write: decoding its stored document alone ("decode"), and
// with the mapping to the aggregate ("decode_and_map"); encoding likewise.
// The dispute is Filled: every field set, two of each repeated one.
func BenchmarkDisputeDocument(b *testing.B) {
	d := storedshape.Filled[dispute.Dispute]()
	raw, err := bson.Marshal(toDisputeDocument(d))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			var doc DisputeDocument
			if err := bson.Unmarshal(raw, &doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode_and_map", func(b *testing.B) {
		for b.Loop() {
			var doc DisputeDocument
			if err := bson.Unmarshal(raw, &doc); err != nil {
				b.Fatal(err)
			}
			_ = fromDisputeDocument(doc)
		}
	})
	doc := toDisputeDocument(d)
	b.Run("encode", func(b *testing.B) {
		for b.Loop() {
			if _, err := bson.Marshal(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("map_and_encode", func(b *testing.B) {
		for b.Loop() {
			if _, err := bson.Marshal(toDisputeDocument(d)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
