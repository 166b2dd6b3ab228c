package telemetry

import (
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"fengqiao.dev/api/events"
)

var (
	police    = events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei", Name: "城北派出所"}
	centre    = events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901100", Name: "城北街道综治中心"}
	committee = events.Agency{Kind: events.AgencyCommittee, ID: "plc-622901"}
	room      = events.Agency{Kind: events.AgencyMediationRoom, ID: "room-622901100"}
	subject   = events.Subject{DisputeID: "D-1", CountyCode: "622901"}
	acceptBy  = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
)

// escalated stands for an escalation type another issue adds to the
// contract: the handoff is described from its field types alone.
type escalated struct {
	events.Subject
	events.Handoff
	Copy    events.Copy `json:"copy"`
	Reason  string      `json:"reason"`
	ToLevel string      `json:"to_level"`
	Elapsed int64       `json:"elapsed_seconds"`
}

func (escalated) EventType() string { return "dev.fengqiao.referral.copy_escalated.v1" }

func TestHandoffSpanNames(t *testing.T) {
	for _, tc := range []struct {
		payload events.Payload
		want    string
	}{
		{&events.ReferralIssued{Subject: subject, Handoff: events.Handoff{From: police, To: centre}}, "referral handoff police→jurisdiction"},
		{events.ReferralCopyIssued{Subject: subject, Handoff: events.Handoff{From: police, To: committee}, Copy: events.CopyCommittee}, "committee copy handoff police→committee"},
		{&events.ReferralCopyAccepted{Subject: subject, Handoff: events.Handoff{From: police, To: centre}, Copy: events.CopyJurisdiction}, "jurisdiction copy acceptance police→jurisdiction"},
		{&events.MediationOpened{Subject: subject, Handoff: events.Handoff{From: centre, To: room}}, "mediation handoff jurisdiction→room"},
		{&events.RevisitScheduled{Subject: subject, Handoff: events.Handoff{From: room, To: centre}}, "revisit handoff room→jurisdiction"},
		{&events.DisputeRegistered{Subject: subject, Handoff: events.Handoff{From: police, To: police}}, "intake handoff police→police"},
		{&events.MediationFailed{Subject: subject}, "failed mediation handoff"},
		{escalated{Subject: subject, Handoff: events.Handoff{From: police, To: events.Agency{Kind: "ministry"}}, Copy: events.CopyJurisdiction},
			"referral copy escalated handoff (jurisdiction copy) police→other"},
	} {
		if got := DescribeHandoff(tc.payload).SpanName(); got != tc.want {
			t.Errorf("%T: span name %q, want %q", tc.payload, got, tc.want)
		}
	}
}

func TestHandoffAttributes(t *testing.T) {
	p := &events.ReferralCopyIssued{
		Subject: subject, Handoff: events.Handoff{From: police, To: centre}, Copy: events.CopyJurisdiction,
		Category: events.CategoryNeighbour, RiskLevel: events.RiskHigh, Round: 2, AcceptBy: acceptBy,
		Parties: []events.PartySummary{{Role: events.PartyApplicant, MaskedName: "当事人甲"}},
	}
	got := attrs(DescribeHandoff(p).Attributes())
	for k, want := range map[attribute.Key]string{
		AttrDisputeID: "D-1", AttrCountyCode: "622901", AttrEventType: events.TypeReferralCopyIssued,
		AttrHandoffFrom: "pcs-chengbei", AttrHandoffTo: "gc-622901100", AttrHandoffFromKind: "police_station",
		AttrHandoffToKind: "governance_centre", AttrReferralCopy: "jurisdiction", AttrCategory: "neighbour",
		AttrRiskLevel: "high", AttrDeadline: "2026-11-24T09:00:00Z", AttrRound: "2",
	} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	for k, v := range got {
		for _, personal := range []string{"张", "院墙", "城北"} {
			if strings.Contains(v, personal) {
				t.Errorf("attribute %s = %q carries %q (a party, a summary or an agency name)", k, v, personal)
			}
		}
	}
}

func TestHandoffOfSignatureAndEscalation(t *testing.T) {
	h := DescribeHandoff(&events.ReferralCopyAccepted{Subject: subject, Copy: events.CopyCommittee, TimeToSignSeconds: 5400, Late: true})
	if !h.Signed || h.TimeToSign != 90*time.Minute || !h.Late {
		t.Errorf("signature: %+v", h)
	}
	if a := attrs(h.Attributes()); a[AttrTimeToSign] != "5400" || a[AttrLate] != "true" {
		t.Errorf("signature attributes %v", a)
	}
	if h.IsEscalation() {
		t.Error("an acceptance is not an escalation")
	}
	e := DescribeHandoff(escalated{Subject: subject, ToLevel: "street_centre", Elapsed: 93600,
		Reason: "jurisdiction copy not signed 26h after issue " + strings.Repeat("x", 300)})
	if !e.IsEscalation() || !strings.HasPrefix(e.Escalation.Reason, "jurisdiction copy not signed") || len(e.Escalation.Reason) > maxReason {
		t.Errorf("escalation: %+v", e)
	}
	if a := attrs(e.Escalation.Attributes()); a[AttrEscalationTo] != "street_centre" || a[AttrEscalationElapsed] != "93600" {
		t.Errorf("escalation event attributes %v", a)
	}
	if r := DescribeHandoff(&events.MediationFailed{Subject: subject, Reason: "张三不同意"}); r.Escalation.Reason != "" {
		t.Errorf("a failed mediation's free-text reason was read: %q", r.Escalation.Reason)
	}
}

func TestReferralIssuedDeadlineIsTheEarliestCopy(t *testing.T) {
	h := DescribeHandoff(&events.ReferralIssued{Subject: subject, Copies: []events.SlipCopy{
		{Copy: events.CopyCommittee, AcceptBy: acceptBy.Add(time.Hour)}, {Copy: events.CopyJurisdiction, AcceptBy: acceptBy},
	}})
	if !h.Deadline.Equal(acceptBy) {
		t.Errorf("deadline %v, want %v", h.Deadline, acceptBy)
	}
}

func TestMetricLabelsAreBounded(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    Handoff
		want map[attribute.Key]string
	}{
		{"contract values kept", Handoff{EventType: events.TypeReferralIssued, DisputeID: "D-1", County: "622901", From: police, To: centre},
			map[attribute.Key]string{AttrCountyCode: "622901", AttrEventType: events.TypeReferralIssued,
				AttrHandoffFromKind: "police_station", AttrHandoffToKind: "governance_centre", AttrReferralCopy: "none"}},
		{"outside values folded", Handoff{EventType: "x.y", County: "6229011", From: events.Agency{Kind: "ministry"}, Copy: "fourth"},
			map[attribute.Key]string{AttrCountyCode: "other", AttrEventType: "other",
				AttrHandoffFromKind: "other", AttrHandoffToKind: "none", AttrReferralCopy: "none"}},
	} {
		got := attrs(tc.h.Labels())
		if len(got) != len(tc.want) {
			t.Errorf("%s: labels %v, want exactly %v (no IDs)", tc.name, got, tc.want)
		}
		for k, want := range tc.want {
			if got[k] != want {
				t.Errorf("%s: %s = %q, want %q", tc.name, k, got[k], want)
			}
		}
	}
}

func attrs(kvs []attribute.KeyValue) map[attribute.Key]string {
	m := map[attribute.Key]string{}
	for _, kv := range kvs {
		m[kv.Key] = kv.Value.Emit()
	}
	return m
}

// The relay and every consumer describe each event they handle.
func BenchmarkDescribeHandoff(b *testing.B) {
	p := &events.ReferralCopyIssued{
		Subject: subject, Handoff: events.Handoff{From: police, To: centre}, Copy: events.CopyJurisdiction,
		Category: events.CategoryNeighbour, RiskLevel: events.RiskHigh, Round: 1, AcceptBy: acceptBy,
	}
	b.ReportAllocs()
	for b.Loop() {
		h := DescribeHandoff(p)
		_ = h.SpanName()
		_ = h.Attributes()
	}
}
