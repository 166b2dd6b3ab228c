package adapters

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// A county's sums are stored as a SumsDocument, its sums by key as a
// KeySumsDocument (see documents.go for why the storage model is separate
// from the domain's).

// SumsCollection is the collection coll of sums.
func SumsCollection(coll *mongo.Collection) *docstore.Collection[casefile.Sums] {
	return docstore.Mapped(coll, nil, toSumsDocument, fromSumsDocument)
}

// KeySumsCollection is the collection coll of sums by key.
func KeySumsCollection(coll *mongo.Collection) *docstore.Collection[casefile.KeySums] {
	return docstore.Mapped(coll, nil, toKeySumsDocument, fromKeySumsDocument)
}

// SumsDocument is a stored casefile.Sums.
type SumsDocument struct {
	CountyCode string `bson:"county_code,omitempty"`
	Month      string `bson:"month,omitempty"`
	Registered int    `bson:"registered"`
	// Stages and AmountByCategory keep the domain's key types, so that
	// the maps are handed over, not copied, on every read and write: the
	// sums by key hold a pair per unit or officer and move with every
	// event. The stored keys are the same strings.
	Stages       map[casefile.Stage]int `bson:"stages"`
	Resolved     int                    `bson:"resolved"`
	SettledOnce  int                    `bson:"settled_once"`
	Revisited    int                    `bson:"revisited"`
	Rebounded    int                    `bson:"rebounded"`
	OnTime       int                    `bson:"on_time"`
	SettledKnown int                    `bson:"settled_known"`
	Signed       int                    `bson:"signed"`
	Satisfied    int                    `bson:"satisfied"`
	Rated        int                    `bson:"rated"`
	// SignTotal and SettleTotal are nanoseconds.
	SignTotal          int64                       `bson:"sign_total"`
	SettleTotal        int64                       `bson:"settle_total"`
	AmountFen          int64                       `bson:"amount_fen"`
	AmountByCategory   map[events.Category]int64   `bson:"amount_by_category"`
	RiskHigh           int                         `bson:"risk_high"`
	RiskMedium         int                         `bson:"risk_medium"`
	RepeatsIn          map[string]int              `bson:"repeats_in"`
	ReboundsIn         map[string]int              `bson:"rebounds_in"`
	ResolvedByMonthEnd int                         `bson:"resolved_by_month_end"`
	OverdueFrom        map[string]int              `bson:"overdue_from,omitempty"`
	Statistics         map[string]StatCellDocument `bson:"statistics,omitempty"`
	Recent             []string                    `bson:"recent,omitempty"`
}

// StatCellDocument is a stored casefile.StatCell.
type StatCellDocument struct {
	Count     int   `bson:"count"`
	AmountFen int64 `bson:"amount_fen"`
}

// KeySumsDocument is a stored casefile.KeySums.
type KeySumsDocument struct {
	CountyCode string              `bson:"county_code"`
	Dimension  string              `bson:"dimension"`
	Month      string              `bson:"month"`
	Keys       []KeyedSumsDocument `bson:"keys"`
	Recent     []string            `bson:"recent"`
}

// KeyedSumsDocument is a stored casefile.KeyedSums.
type KeyedSumsDocument struct {
	Key  string       `bson:"key"`
	Sums SumsDocument `bson:"sums"`
}

func toSumsDocument(s casefile.Sums) SumsDocument {
	return SumsDocument{
		CountyCode: s.CountyCode, Month: s.Month, Registered: s.Registered,
		Stages:   s.Stages,
		Resolved: s.Resolved, SettledOnce: s.SettledOnce, Revisited: s.Revisited, Rebounded: s.Rebounded, OnTime: s.OnTime,
		SettledKnown: s.SettledKnown, Signed: s.Signed, Satisfied: s.Satisfied, Rated: s.Rated,
		SignTotal: int64(s.SignTotal), SettleTotal: int64(s.SettleTotal), AmountFen: s.AmountFen,
		AmountByCategory: s.AmountByCategory,
		RiskHigh:         s.RiskHigh, RiskMedium: s.RiskMedium, RepeatsIn: s.RepeatsIn, ReboundsIn: s.ReboundsIn,
		ResolvedByMonthEnd: s.ResolvedByMonthEnd, OverdueFrom: s.OverdueFrom,
		Statistics: mapping.Map[string, string](s.Statistics, toStatCellDocument),
		Recent:     s.Recent,
	}
}

func fromSumsDocument(d SumsDocument) casefile.Sums {
	return casefile.Sums{
		CountyCode: d.CountyCode, Month: d.Month, Registered: d.Registered,
		Stages:   d.Stages,
		Resolved: d.Resolved, SettledOnce: d.SettledOnce, Revisited: d.Revisited, Rebounded: d.Rebounded, OnTime: d.OnTime,
		SettledKnown: d.SettledKnown, Signed: d.Signed, Satisfied: d.Satisfied, Rated: d.Rated,
		SignTotal: time.Duration(d.SignTotal), SettleTotal: time.Duration(d.SettleTotal), AmountFen: d.AmountFen,
		AmountByCategory: d.AmountByCategory,
		RiskHigh:         d.RiskHigh, RiskMedium: d.RiskMedium, RepeatsIn: d.RepeatsIn, ReboundsIn: d.ReboundsIn,
		ResolvedByMonthEnd: d.ResolvedByMonthEnd, OverdueFrom: d.OverdueFrom,
		Statistics: mapping.Map[string, string](d.Statistics, fromStatCellDocument),
		Recent:     d.Recent,
	}
}

func toStatCellDocument(c casefile.StatCell) StatCellDocument {
	return StatCellDocument{Count: c.Count, AmountFen: c.AmountFen}
}

func fromStatCellDocument(d StatCellDocument) casefile.StatCell {
	return casefile.StatCell{Count: d.Count, AmountFen: d.AmountFen}
}

func toKeySumsDocument(k casefile.KeySums) KeySumsDocument {
	return KeySumsDocument{CountyCode: k.CountyCode, Dimension: string(k.Dimension), Month: k.Month,
		Keys: mapping.Slice(k.Keys, toKeyedSumsDocument), Recent: k.Recent}
}

func fromKeySumsDocument(d KeySumsDocument) casefile.KeySums {
	return casefile.KeySums{CountyCode: d.CountyCode, Dimension: casefile.Dimension(d.Dimension), Month: d.Month,
		Keys: mapping.Slice(d.Keys, fromKeyedSumsDocument), Recent: d.Recent}
}

func toKeyedSumsDocument(k casefile.KeyedSums) KeyedSumsDocument {
	return KeyedSumsDocument{Key: k.Key, Sums: toSumsDocument(k.Sums)}
}

func fromKeyedSumsDocument(d KeyedSumsDocument) casefile.KeyedSums {
	return casefile.KeyedSums{Key: d.Key, Sums: fromSumsDocument(d.Sums)}
}
