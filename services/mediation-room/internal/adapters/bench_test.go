package adapters

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// BenchmarkStoredMediation writes and reads a mediation with every field
// filled (two of everything) as the store's driver does: through its
// storage model, and, for the cost the model adds, the domain type as the
// driver encodes it by reflection (another shape, the same work).
func BenchmarkStoredMediation(b *testing.B) {
	m := storedshape.Filled[mediation.Mediation]()
	b.Run("through the storage model", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			raw, err := bson.Marshal(toMediationDocument(m))
			if err != nil {
				b.Fatal(err)
			}
			var d MediationDocument
			if err := bson.Unmarshal(raw, &d); err != nil {
				b.Fatal(err)
			}
			_ = fromMediationDocument(d)
		}
	})
	b.Run("the domain type as the driver encodes it", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			raw, err := bson.Marshal(m)
			if err != nil {
				b.Fatal(err)
			}
			var got mediation.Mediation
			if err := bson.Unmarshal(raw, &got); err != nil {
				b.Fatal(err)
			}
		}
	})
}
