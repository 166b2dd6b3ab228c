package access

import (
	"errors"
	"strings"
	"testing"

	"fengqiao.dev/pkg/identity"
)

func TestAuthorize(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		service, method, path string
		role                  identity.Role
		allowed               bool
	}{
		{"an officer records a dispute", "intake", "POST", "/v1/disputes", identity.RoleOfficer, true},
		{"the committee does not", "intake", "POST", "/v1/disputes", identity.RoleCommittee, false},
		{"every role reads a dispute", "intake", "GET", "/v1/disputes/:id", identity.RoleSystem, true},
		{"only the committee urges", "supervision", "POST", "/v1/disputes/:id/urges", identity.RoleOfficer, false},
		{"the committee transfers a slip to another county", "referral", "POST", "/v1/slips/:id/transfer", identity.RoleCommittee, true},
		{"so does the station's officer", "referral", "POST", "/v1/slips/:id/transfer", identity.RoleOfficer, true},
		{"the jurisdiction does not", "referral", "POST", "/v1/slips/:id/transfer", identity.RoleJurisdiction, false},
		{"nor an agency's system", "referral", "POST", "/v1/slips/:id/transfer", identity.RoleSystem, false},
		{"a route without a rule is refused", "intake", "DELETE", "/v1/disputes/:id", identity.RoleOfficer, false},
		{"a service without rules is refused", "billing", "GET", "/v1/invoices", identity.RoleCommittee, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Authorize(tc.service, tc.method, tc.path, identity.Caller{County: "622901", Role: tc.role})
			var denial *Denial
			if tc.allowed != (err == nil) || (err != nil && !errors.As(err, &denial)) {
				t.Fatalf("Authorize = %v, want allowed %v", err, tc.allowed)
			}
		})
	}
}

// The committee's view of a dispute never carries the parties' names.
func TestFieldsFor(t *testing.T) {
	for role, want := range map[identity.Role]Fields{
		identity.RoleOfficer: Full, identity.RoleJurisdiction: LabelsAndText, identity.RoleMediator: LabelsAndText,
		identity.RoleCommittee: Labels, identity.RoleSupervisor: Labels, identity.RoleSystem: Labels,
	} {
		if got := FieldsFor("intake", "GET", "/v1/disputes/:id", role); got != want {
			t.Errorf("%s sees %s of a dispute, want %s", role, got, want)
		}
	}
}

// No rule grants a record of another county: those are answered as missing.
func TestNoGrantReachesAnotherCounty(t *testing.T) {
	for _, r := range Rules() {
		for role, g := range r.Grants {
			for _, rel := range g.Relations {
				if rel == OtherCounty {
					t.Errorf("%s grants %s another county's records", r.Route, role)
				}
			}
		}
	}
}

// An agency's system reads a slip only through the copy addressed to its
// unit; the people of the county read the whole slip.
func TestRequires(t *testing.T) {
	if !Requires("referral", "GET", "/v1/slips/:id", identity.RoleSystem, OwnAgency) {
		t.Error("an agency's system reads every copy of a slip")
	}
	if Requires("referral", "GET", "/v1/slips/:id", identity.RoleCommittee, OwnAgency) {
		t.Error("the committee reads only its copy of a slip")
	}
}

// A mediator addresses only the mediations whose team it is on; the
// jurisdiction, every mediation of its county.
func TestHolds(t *testing.T) {
	for _, tc := range []struct {
		name     string
		role     identity.Role
		standing []Relation
		want     bool
	}{
		{"a mediator on the team", identity.RoleMediator, []Relation{OwnCounty, AssignedToMe}, true},
		{"a mediator of the county not on the team", identity.RoleMediator, []Relation{OwnCounty}, false},
		{"a mediator on another county's team", identity.RoleMediator, []Relation{AssignedToMe}, false},
		{"the jurisdiction of the county", identity.RoleJurisdiction, []Relation{OwnCounty}, true},
		{"the jurisdiction of another county", identity.RoleJurisdiction, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Holds("mediation-room", "POST", "/v1/mediations/:id/outcome", tc.role, tc.standing...); got != tc.want {
				t.Fatalf("Holds = %v, want %v", got, tc.want)
			}
		})
	}
	if Holds("mediation-room", "DELETE", "/v1/mediations/:id", identity.RoleCommittee, OwnCounty) {
		t.Error("a route without a rule holds")
	}
}

// Those who supervise from above the counties read figures and nothing
// else: no route that returns or changes a dispute's record, and a
// prefecture's or province's figures to no one of a county.
func TestTheRolesAboveTheCountiesReadFiguresOnly(t *testing.T) {
	for _, r := range Rules() {
		for _, role := range identity.AreaRoles() {
			if g, ok := r.Grants[role]; ok && (g.Fields != Figures || r.Method != "GET") {
				t.Errorf("%s grants %s %s", r.Route, role, g.Fields)
			}
		}
		if strings.HasPrefix(r.Path, "/v1/prefectures/") || strings.HasPrefix(r.Path, "/v1/provinces/") {
			for _, role := range identity.CountyRoles() {
				if _, ok := r.Grants[role]; ok {
					t.Errorf("%s grants %s of one county the figures of many", r.Route, role)
				}
			}
		}
	}
	for _, path := range []string{"/v1/counties/:code/kpis", "/v1/provinces/:code/kpis", "/v1/prefectures/:code/statistics"} {
		if !Holds("supervision", "GET", path, identity.RoleProvince, WithinArea) || Holds("supervision", "GET", path, identity.RoleProvince) {
			t.Errorf("a province reads %s other than within its area", path)
		}
	}
}
