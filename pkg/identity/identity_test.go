package identity

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

func TestTrustedHeaders(t *testing.T) {
	good := map[string]string{HeaderCounty: "622901", HeaderAgency: "pcs-chengbei", HeaderRole: "officer", HeaderOfficer: "A1024"}
	with := func(key, value string) map[string]string {
		h := map[string]string{}
		for k, v := range good {
			h[k] = v
		}
		h[key] = value
		return h
	}
	for _, tc := range []struct {
		name    string
		headers map[string]string
		want    Caller
		wantErr bool
	}{
		{"officer", good, Caller{County: "622901", Agency: "pcs-chengbei", Role: RoleOfficer, Officer: "A1024"}, false},
		{"agency system without officer", map[string]string{HeaderCounty: "622901", HeaderAgency: "court-1", HeaderRole: "agency_system"},
			Caller{County: "622901", Agency: "court-1", Role: RoleSystem}, false},
		{"no headers", map[string]string{}, Caller{}, true},
		{"county too short", with(HeaderCounty, "62290"), Caller{}, true},
		{"county not digits", with(HeaderCounty, "62290x"), Caller{}, true},
		{"township code, not county", with(HeaderCounty, "622901001"), Caller{}, true},
		{"no agency", with(HeaderAgency, ""), Caller{}, true},
		{"unknown role", with(HeaderRole, "admin"), Caller{}, true},
		{"role in capitals", with(HeaderRole, "Officer"), Caller{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := http.NewRequest("GET", "/", nil)
			for k, v := range tc.headers {
				r.Header.Set(k, v)
			}
			got, err := TrustedHeaders{}.Authenticate(r)
			if tc.wantErr {
				if !errors.Is(err, ErrNoIdentity) || got != (Caller{}) {
					t.Fatalf("Authenticate = %+v, %v; want ErrNoIdentity and no caller", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Authenticate = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestCan(t *testing.T) {
	c := Caller{Role: RoleMediator}
	for _, tc := range []struct {
		roles []Role
		want  bool
	}{
		{nil, false},
		{[]Role{RoleMediator}, true},
		{[]Role{RoleOfficer, RoleMediator}, true},
		{[]Role{RoleOfficer, RoleCommittee}, false},
		{Roles(), true},
	} {
		if got := c.Can(tc.roles...); got != tc.want {
			t.Errorf("mediator.Can(%v) = %v, want %v", tc.roles, got, tc.want)
		}
	}
	if (Caller{}).Can(Roles()...) {
		t.Error("a caller without a role holds one")
	}
}

func TestCallerInContext(t *testing.T) {
	if _, ok := FromContext(context.Background()); ok {
		t.Fatal("a bare context carries a caller")
	}
	want := Caller{County: "622901", Agency: "a", Role: RoleSupervisor}
	got, ok := FromContext(WithCaller(context.Background(), want))
	if !ok || got != want {
		t.Fatalf("FromContext = %+v, %v; want %+v", got, ok, want)
	}
}

// A province's caller covers the counties and prefectures of its province,
// a prefecture's those of its prefecture, a county's its county only.
func TestCovers(t *testing.T) {
	for _, tc := range []struct {
		caller Caller
		code   string
		want   bool
	}{
		{Caller{County: "620000", Role: RoleProvince}, "622901", true},
		{Caller{County: "620000", Role: RoleProvince}, "6229", true},
		{Caller{County: "620000", Role: RoleProvince}, "62", true},
		{Caller{County: "620000", Role: RoleProvince}, "370202", false},
		{Caller{County: "622900", Role: RolePrefecture}, "622901", true},
		{Caller{County: "622900", Role: RolePrefecture}, "620902", false},
		{Caller{County: "622900", Role: RolePrefecture}, "62", false},
		{Caller{County: "622901", Role: RoleCommittee}, "622901", true},
		{Caller{County: "622901", Role: RoleCommittee}, "622902", false},
		{Caller{County: "622901", Role: RoleCommittee}, "6229", false},
		{Caller{Role: RoleProvince}, "622901", false},
	} {
		if got := tc.caller.Covers(tc.code); got != tc.want {
			t.Errorf("%s of %s covers %s: %v, want %v", tc.caller.Role, tc.caller.County, tc.code, got, tc.want)
		}
	}
}
