package ports

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"fengqiao.dev/pkg/docstore/storedshape"
	"fengqiao.dev/pkg/precondition"
	"fengqiao.dev/services/mediation-room/internal/agreement"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// The JSON the API answers is the one testdata records (the contract of
// api/openapi.json): every field of the domain value, at every depth
// (storedshape.Filled), under its name, and the empty ones left out or
// null as they were.
func TestTheAPIShowsWhatItShowed(t *testing.T) {
	sparse := mediation.Mediation{
		Team: []mediation.Member{{}}, Objections: []mediation.Objection{{}},
		Sessions:    []mediation.Session{{Record: &mediation.SessionRecord{LegalOpinion: &mediation.LegalOpinion{}}}},
		Escalations: []mediation.Escalation{{}}, JointMeeting: &mediation.JointMeeting{Decisions: []mediation.Decision{{}}},
		Settlement:  &agreement.Agreement{Obligations: []agreement.Obligation{{}}, Signatures: []agreement.Signature{{}}},
		Performance: &agreement.Performance{Terms: []agreement.TermPerformance{{}}}, HandedOff: []mediation.HandOff{{}},
	}
	for name, v := range map[string]any{
		"mediation":        viewOf(storedshape.Filled[mediation.Mediation]()),
		"mediation_zero":   viewOf(mediation.Mediation{}),
		"mediation_sparse": viewOf(sparse),
		"roster":           rosterViewOf(storedshape.Filled[app.Roster]()),
		"roster_sparse":    rosterViewOf(app.Roster{}),
		"proposals":        proposalsViewOf(storedshape.Filled[app.Proposals]()),
		"proposals_sparse": proposalsViewOf(app.Proposals{}),
	} {
		storedshape.JSON(t, name, v)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "mediation_etag.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got := precondition.ETag(viewOf(storedshape.Filled[mediation.Mediation]())); got != strings.TrimSpace(string(want)) {
		t.Fatalf("a mediation's ETag is %s; it was %s", got, want)
	}
}

// Every body the API takes decodes, as before, into every field of the
// domain's input.
func TestTheAPITakesWhatItTook(t *testing.T) {
	body(t, "outcome", outcomeRequest.outcome, storedshape.Filled[mediation.Outcome]())
	body(t, "objection", objectionView.objection, storedshape.Filled[mediation.Objection]())
	body(t, "joint_session", jointSessionRequest.request, storedshape.Filled[mediation.JointSessionRequest]())
	body(t, "schedule", scheduleRequest.schedule, storedshape.Filled[mediation.Schedule]())
	body(t, "session_record", sessionRecordView.record, storedshape.Filled[mediation.SessionRecord]())
	body(t, "convene", conveneRequest.request, storedshape.Filled[mediation.ConveneRequest]())
	body(t, "legal_aid", legalAidRequest.request, storedshape.Filled[mediation.LegalAidRequest]())
	body(t, "decisions", decisions.decisions, storedshape.Filled[struct{ Decisions []mediation.Decision }]().Decisions)
	body(t, "performed", performedRequest.performed, storedshape.Filled[mediation.Performed]())
}

// body decodes testdata/<name>.json as the API does (no unknown fields)
// into the request type R, and checks that R maps to want and encodes back
// to the same JSON.
func body[R, D any](t *testing.T, name string, toDomain func(R) D, want D) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var r R
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("the body %s no longer decodes: %v", name, err)
	}
	if got := toDomain(r); !reflect.DeepEqual(got, want) {
		t.Fatalf("the body %s decodes to\n %+v\nwant %+v", name, got, want)
	}
	storedshape.JSON(t, name, r)
}
