package events_test

import (
	"slices"
	"testing"

	"fengqiao.dev/api/events"
)

// TestVocabulariesMatchEnums: the closed vocabularies of the Go package and
// the enums of common.json list the same values (in the same order where Go
// has a list function).
func TestVocabulariesMatchEnums(t *testing.T) {
	tests := []struct {
		def  string
		want []string
	}{
		{"Category", strs(events.Categories())},
		{"Channel", strs(events.Channels())},
		{"Copy", strs(events.Copies())},
		{"RiskLevel", strs([]events.RiskLevel{events.RiskHigh, events.RiskMedium, events.RiskLow})},
		{"PartyRole", strs([]events.PartyRole{events.PartyApplicant, events.PartyRespondent, events.PartyThird, events.PartyRepresentative})},
		{"AgencyKind", strs([]events.AgencyKind{events.AgencyPoliceStation, events.AgencyCommittee, events.AgencyGovernanceCentre,
			events.AgencyJudicialOffice, events.AgencyMediationRoom, events.AgencyLawFirm, events.AgencyCourt})},
		{"RevisitOutcome", strs(events.RevisitOutcomes())},
		{"Satisfaction", strs(events.Satisfactions())},
		{"RevisitKind", strs(events.RevisitKinds())},
		{"RevisitEscalationReason", strs(events.RevisitEscalationReasons())},
		{"RevisitChannel", strs([]events.RevisitChannel{events.RevisitHomeVisit, events.RevisitPhone, events.RevisitWeChat})},
	}
	defs := schemaDoc(t, "common.json")["$defs"].(map[string]any)
	for _, tc := range tests {
		def, ok := defs[tc.def].(map[string]any)
		if !ok {
			t.Errorf("common.json has no $defs/%s", tc.def)
			continue
		}
		var got []string
		for _, v := range def["enum"].([]any) {
			got = append(got, v.(string))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("common.json $defs/%s enum %v, Go has %v", tc.def, got, tc.want)
		}
	}
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
