package adapters

import (
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/api/events"
	"fengqiao.dev/services/supervision/internal/casefile"
)

var benchStart = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// BenchmarkTallyWrite is what one event costs the county's tally with 100,
// 10,000 and 100,000 disputes open, registered over the past two weeks: the
// decode of the stored tally, the count of one new open dispute, and the
// encode of what is written back, through the storage model (the store's
// own work grows with the size it reports, bytes/doc). The tally must cost
// the same at every size.
func BenchmarkTallyWrite(b *testing.B) {
	now := benchStart.Add(14 * 24 * time.Hour)
	for _, open := range []int{100, 10_000, 100_000} {
		b.Run(fmt.Sprintf("open=%d", open), func(b *testing.B) {
			tally := casefile.NewTally("370202", casefile.DefaultTargets(), 1)
			for i := range open {
				at := benchStart.Add(time.Duration(float64(i) / float64(open) * float64(14*24*time.Hour)))
				tally.Count(fmt.Sprint(i), casefile.Share{}, casefile.Share{Registered: true, Open: true,
					Case: casefile.OpenCase{RoundStartedAt: at, RiskLevel: events.RiskLow}}, now)
			}
			stored, err := bson.Marshal(toTallyDocument(tally))
			if err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				var d TallyDocument
				if err := bson.Unmarshal(stored, &d); err != nil {
					b.Fatal(err)
				}
				t := fromTallyDocument(d)
				i++
				t.Count(fmt.Sprint("new-", i), casefile.Share{}, casefile.Share{Registered: true, Open: true,
					Case: casefile.OpenCase{RoundStartedAt: now, RiskLevel: events.RiskLow}}, now)
				if _, err := bson.Marshal(toTallyDocument(t)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(stored)), "bytes/doc")
		})
	}
}

// BenchmarkStorageModel is what the storage model adds to a read and a
// write of the documents the hot paths move: a case file of a dozen
// entries (every event), and a county's sums by officer over 500 officers
// (every event of a case file with one). "bson" is the driver's decode and
// encode of the document alone, what the tagged domain types cost; "mapped"
// adds the mapping to the aggregate and back.
func BenchmarkStorageModel(b *testing.B) {
	cases := []struct {
		name string
		doc  any
		run  func(raw []byte, mapped bool) error
	}{
		{"case file", toCaseFileDocument(benchCaseFile()), func(raw []byte, mapped bool) error {
			return roundTrip(raw, mapped, toCaseFileDocument, fromCaseFileDocument)
		}},
		{"sums by officer", toKeySumsDocument(benchKeySums(500)), func(raw []byte, mapped bool) error {
			return roundTrip(raw, mapped, toKeySumsDocument, fromKeySumsDocument)
		}},
	}
	for _, c := range cases {
		raw, err := bson.Marshal(c.doc)
		if err != nil {
			b.Fatal(err)
		}
		for _, mapped := range []bool{false, true} {
			name := c.name + "/bson"
			if mapped {
				name = c.name + "/mapped"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if err := c.run(raw, mapped); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(raw)), "bytes/doc")
			})
		}
	}
}

// roundTrip decodes raw as a D and encodes it again, through the aggregate
// S when mapped.
func roundTrip[S, D any](raw []byte, mapped bool, toDocument func(S) D, fromDocument func(D) S) error {
	var d D
	if err := bson.Unmarshal(raw, &d); err != nil {
		return err
	}
	if mapped {
		d = toDocument(fromDocument(d))
	}
	_, err := bson.Marshal(d)
	return err
}

func benchCaseFile() casefile.CaseFile {
	room := events.Agency{Kind: events.AgencyMediationRoom, ID: "room-1", Name: "人民调解室"}
	station := events.Agency{Kind: events.AgencyPoliceStation, ID: "ps-1", Name: "派出所"}
	cf := casefile.CaseFile{DisputeID: "d-1", CountyCode: "370202", CaseCode: "C-2026-0001", Category: "neighbour",
		RiskLevel: events.RiskMedium, Round: 1, ProfileAt: benchStart,
		Place: events.Place{CountyCode: "370202", TownshipCode: "370202001", VillageCode: "370202001001", Grid: "g-1"}}
	for i := range 12 {
		e := casefile.Entry{EventID: fmt.Sprintf("e-%02d", i), Type: events.TypeMediationOpened, At: benchStart.Add(time.Duration(i) * time.Hour),
			From: station, To: room, Round: 1, Note: "mediation opened at tier 2", Tier: 2, TraceID: "4bf92f3577b34da6a3ce929d0e0e4736"}
		if i == 1 {
			e.Copies = []casefile.CopyDue{{Copy: events.CopyJurisdiction, Recipient: room, AcceptBy: benchStart.Add(24 * time.Hour)}}
		}
		cf.Timeline = append(cf.Timeline, e)
	}
	return cf
}

func benchKeySums(keys int) casefile.KeySums {
	k := casefile.NewKeySums("370202", casefile.ByOfficer, casefile.AllTime)
	for i := range keys {
		s := casefile.NewSums("", "")
		s.Registered, s.Resolved, s.SignTotal = 20, 15, 40*time.Hour
		s.Stages[casefile.StageResolved], s.Stages[casefile.StageInMediation] = 15, 5
		s.AmountByCategory["neighbour"] = 120_000
		s.RepeatsIn["2026-11"] = 1
		k.Keys = append(k.Keys, casefile.KeyedSums{Key: fmt.Sprintf("officer-%03d", i), Sums: casefile.KeyContribution(s)})
	}
	return k
}
