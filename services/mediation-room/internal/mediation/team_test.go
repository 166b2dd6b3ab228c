package mediation

import (
	"testing"

	"fengqiao.dev/api/events"
)

// A mediator is on a case while seated on its team, by staff ID and unit;
// an objection takes them off it.
func TestOnTeam(t *testing.T) {
	m := open(events.RiskMedium)
	seated := m.Team[0]
	for _, tc := range []struct {
		name, agency, id string
		want             bool
	}{
		{"seated", seated.Agency, seated.MediatorID, true},
		{"the same staff ID of another unit", "another-unit", seated.MediatorID, false},
		{"a colleague of the same unit not seated", seated.Agency, "622901-nobody", false},
		{"no staff ID", seated.Agency, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := m.OnTeam(tc.agency, tc.id); got != tc.want {
				t.Fatalf("OnTeam(%q, %q) = %v, want %v", tc.agency, tc.id, got, tc.want)
			}
		})
	}
	if _, err := m.Object(Objection{MediatorID: seated.MediatorID, Party: events.PartyRespondent, Reason: "relative"}, ctxAt(events.RiskMedium, openedAt)); err != nil {
		t.Fatal(err)
	}
	if m.OnTeam(seated.Agency, seated.MediatorID) {
		t.Fatal("a mediator replaced after an objection is still on the case")
	}
}
