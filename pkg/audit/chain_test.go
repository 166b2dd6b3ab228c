package audit_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/audit"
)

const chain = "intake.622901"

func sampleChain(n int) ([]audit.Record, audit.Head) {
	var records []audit.Record
	head := audit.Head{}
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i := range n {
		var r audit.Record
		r, head = audit.Link(chain, head, audit.Entry{
			County: "622901", CaseID: "d-" + string(rune('a'+i)),
			Actor:  events.AuditActor{County: "622901", Agency: "pcs-chengbei", Role: "officer", Officer: "A1024"},
			Action: events.AuditRead, Fields: []string{"/parties"}, Client: "10.0.0.7", Purpose: "handle_case",
			At: t0.Add(time.Duration(i) * time.Minute),
		})
		records = append(records, r)
	}
	return records, head
}

func TestLinkChainsEachRecordToTheOneBefore(t *testing.T) {
	records, head := sampleChain(3)
	if records[0].Seq != 1 || records[0].PrevHash != "" {
		t.Errorf("first record: seq %d prev %q, want 1 and none", records[0].Seq, records[0].PrevHash)
	}
	for i := 1; i < len(records); i++ {
		if records[i].PrevHash != records[i-1].Hash || records[i].Seq != records[i-1].Seq+1 {
			t.Errorf("record %d does not follow record %d", records[i].Seq, records[i-1].Seq)
		}
	}
	if head.Seq != 3 || head.Hash != records[2].Hash {
		t.Errorf("head %+v, want the third record", head)
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name   string
		tamper func([]audit.Record, audit.Head) ([]audit.Record, audit.Head)
		want   error
	}{
		{"untouched", func(r []audit.Record, h audit.Head) ([]audit.Record, audit.Head) { return r, h }, nil},
		{"empty chain, empty head", func([]audit.Record, audit.Head) ([]audit.Record, audit.Head) { return nil, audit.Head{} }, nil},
		{"a record removed from the middle", func(r []audit.Record, h audit.Head) ([]audit.Record, audit.Head) {
			return slices.Delete(r, 1, 2), h
		}, audit.ErrBroken},
		{"the first record removed", func(r []audit.Record, h audit.Head) ([]audit.Record, audit.Head) { return r[1:], h }, audit.ErrBroken},
		{"the newest record removed", func(r []audit.Record, h audit.Head) ([]audit.Record, audit.Head) { return r[:len(r)-1], h }, audit.ErrTruncated},
		{"every record removed", func(_ []audit.Record, h audit.Head) ([]audit.Record, audit.Head) { return nil, h }, audit.ErrTruncated},
		{"who edited", func(r []audit.Record, h audit.Head) ([]audit.Record, audit.Head) {
			r[1].Actor.Officer = "A2048"
			return r, h
		}, audit.ErrEdited},
		{"which fields edited", func(r []audit.Record, h audit.Head) ([]audit.Record, audit.Head) {
			r[2].Fields = []string{}
			return r, h
		}, audit.ErrEdited},
		{"when edited", func(r []audit.Record, h audit.Head) ([]audit.Record, audit.Head) {
			r[0].At = r[0].At.Add(-time.Hour)
			return r, h
		}, audit.ErrEdited},
		{"edited and rehashed", func(r []audit.Record, h audit.Head) ([]audit.Record, audit.Head) {
			r[1].Purpose = "court_request"
			r[1].Hash = audit.HashOf(r[1])
			return r, h
		}, audit.ErrBroken},
		{"two records swapped", func(r []audit.Record, h audit.Head) ([]audit.Record, audit.Head) {
			r[0], r[1] = r[1], r[0]
			return r, h
		}, audit.ErrBroken},
		{"a record of another chain", func(r []audit.Record, h audit.Head) ([]audit.Record, audit.Head) {
			r[1].Chain = "intake.370202"
			return r, h
		}, audit.ErrBroken},
		{"the head moved back", func(r []audit.Record, _ audit.Head) ([]audit.Record, audit.Head) {
			return r, audit.Head{Seq: r[1].Seq, Hash: r[1].Hash}
		}, audit.ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			records, head := tc.tamper(sampleChain(4))
			err := audit.Verify(chain, records, head)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Errorf("Verify: %v, want %v", err, tc.want)
			}
		})
	}
}

func TestHashIgnoresTheTimeZone(t *testing.T) {
	records, _ := sampleChain(1)
	r := records[0]
	r.At = r.At.In(time.FixedZone("CST", 8*3600))
	if audit.HashOf(r) != records[0].Hash {
		t.Error("the same instant in another zone hashes differently; a record read back from the store would not verify")
	}
}
