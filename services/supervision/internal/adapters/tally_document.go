package adapters

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// A county's tally is stored as a TallyDocument, and the due index below
// it as DueSlotDocuments (see documents.go for why the storage model is
// separate from the domain's).

// TallyCollection is the collection coll of tallies.
func TallyCollection(coll *mongo.Collection) *docstore.Collection[casefile.Tally] {
	return docstore.Mapped(coll, nil, toTallyDocument, fromTallyDocument)
}

// DueSlotCollection is the collection coll of the due index's slots.
func DueSlotCollection(coll *mongo.Collection) *docstore.Collection[casefile.DueSlot] {
	return docstore.Mapped(coll, nil, toDueSlotDocument, fromDueSlotDocument)
}

// TallyDocument is a stored casefile.Tally.
type TallyDocument struct {
	CountyCode  string `bson:"county_code"`
	Registered  int    `bson:"registered"`
	Resolved    int    `bson:"resolved"`
	SettledOnce int    `bson:"settled_once"`
	Revisited   int    `bson:"revisited"`
	Open        int    `bson:"open"`
	// Deadlines are nanoseconds by risk level.
	Deadlines  map[string]int64 `bson:"deadlines"`
	Generation int64            `bson:"generation"`
	Overdue    int              `bson:"overdue"`
	FoldedHour int64            `bson:"folded_hour"`
	DueByHour  map[string]int   `bson:"due_by_hour"`
	Recent     []string         `bson:"recent"`
}

// DueSlotDocument is a stored casefile.DueSlot.
type DueSlotDocument struct {
	Counts map[string]int `bson:"counts,omitempty"`
	Times  []int64        `bson:"times,omitempty"`
}

func toTallyDocument(t casefile.Tally) TallyDocument {
	return TallyDocument{CountyCode: t.CountyCode, Registered: t.Registered, Resolved: t.Resolved, SettledOnce: t.SettledOnce,
		Revisited: t.Revisited, Open: t.Open,
		Deadlines:  mapping.Map[events.RiskLevel, string](t.Deadlines, func(d time.Duration) int64 { return int64(d) }),
		Generation: t.Generation, Overdue: t.Overdue, FoldedHour: t.FoldedHour, DueByHour: t.DueByHour, Recent: t.Recent}
}

func fromTallyDocument(d TallyDocument) casefile.Tally {
	return casefile.Tally{CountyCode: d.CountyCode, Registered: d.Registered, Resolved: d.Resolved, SettledOnce: d.SettledOnce,
		Revisited: d.Revisited, Open: d.Open,
		Deadlines:  mapping.Map[string, events.RiskLevel](d.Deadlines, func(n int64) time.Duration { return time.Duration(n) }),
		Generation: d.Generation, Overdue: d.Overdue, FoldedHour: d.FoldedHour, DueByHour: d.DueByHour, Recent: d.Recent}
}

func toDueSlotDocument(s casefile.DueSlot) DueSlotDocument {
	return DueSlotDocument{Counts: s.Counts, Times: s.Times}
}

func fromDueSlotDocument(d DueSlotDocument) casefile.DueSlot {
	return casefile.DueSlot{Counts: d.Counts, Times: d.Times}
}
