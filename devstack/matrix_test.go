package devstack_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/devstack"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/access"
	"fengqiao.dev/pkg/identity"
)

const (
	ownCounty   = "622901" // Linxia, where the case is
	otherCounty = "370202" // Qingdao Shinan
	// offTeam is a mediator of Linxia's roster whom matching does not seat
	// on the case (a peacemaker of 折桥镇; the case is in 八坊街道), while
	// the sample mediator-622901 is on its team.
	offTeam = "lx-zq-v01"
)

// sampleLogin is how a role of a county logs in to the provider: its
// sample user, or its police system's client; a prefecture's or
// province's, as the supervisor of the county's prefecture or province.
func sampleLogin(ctx context.Context, p *devstack.Platform, role identity.Role, county string) (string, error) {
	switch role {
	case identity.RoleSystem:
		return p.SystemToken(ctx, "police-system-"+county)
	case identity.RoleJurisdiction:
		return p.UserToken(ctx, "centre-"+county)
	case identity.RoleProvince:
		return p.UserToken(ctx, "province-"+county[:2])
	case identity.RolePrefecture:
		return p.UserToken(ctx, "prefecture-"+county[:4])
	default:
		return p.UserToken(ctx, string(role)+"-"+county)
	}
}

// copyOf is the copy of the slip a role signs for, so that the signing
// routes are called with the copy that is the caller's own.
var copyOf = map[identity.Role]string{
	identity.RoleOfficer: "police", identity.RoleJurisdiction: "jurisdiction", identity.RoleCommittee: "committee",
}

// TestEveryRouteAgainstTheAccessTable walks every route every service
// registered, with every role, from the county of a real case and from
// another county (the roles above the counties: from the case's county's
// prefecture and province, and from another province's), and checks what
// it answers against pkg/access's table:
//   - a route without a rule fails the test;
//   - a role the rule does not grant is a 403, from either county;
//   - a granted role of the case's county is let through (never 401 or 403);
//   - a granted role of another county never learns the case exists: a
//     404 (or a 400 for a body refused before anything is looked up), never
//     a 403, a 409 or a success, on every route that addresses a record,
//     and a list it reads never names the case;
//   - a mediator of the case's county not on its mediation's team is, on
//     every route whose grant holds only for what one is assigned to, as
//     another county is, and the mediation room's lists never name the
//     mediation to it; on the others, as the county's mediator is.
func TestEveryRouteAgainstTheAccessTable(t *testing.T) {
	p := startPlatform(t)
	ctx := context.Background()
	tokens := map[string]string{}
	for _, county := range []string{ownCounty, otherCounty} {
		for _, role := range identity.Roles() {
			token, err := sampleLogin(ctx, p, role, county)
			if err != nil {
				t.Fatalf("cannot log in as %s of %s: %v", role, county, err)
			}
			tokens[string(role)+county] = token
		}
	}
	offTeamToken, err := p.UserToken(ctx, offTeam)
	if err != nil {
		t.Fatalf("cannot log in as %s: %v", offTeam, err)
	}
	id := registerCase(t, p, tokens[string(identity.RoleOfficer)+ownCounty])
	servicetest.Eventually(t, time.Minute, "the case's slip is issued", func() bool {
		status, _, _ := call(t, "GET", p.URLs["referral"]+"/v1/slips/"+id+".r1", "Bearer "+tokens[string(identity.RoleJurisdiction)+ownCounty])
		return status == http.StatusOK
	})
	// The sample mediator is on the case's team: it reads the mediation,
	// and the dispute at intake once intake follows the team.
	onTeam := "Bearer " + tokens[string(identity.RoleMediator)+ownCounty]
	servicetest.Eventually(t, time.Minute, "the mediator on the team reads the case's mediation and dispute", func() bool {
		status, _, _ := call(t, "GET", p.URLs["mediation-room"]+"/v1/mediations/"+id+".r1.m1", onTeam)
		atIntake, _, _ := call(t, "GET", p.URLs["intake"]+"/v1/disputes/"+id, onTeam)
		return status == http.StatusOK && atIntake == http.StatusOK
	})
	routes := 0
	for _, service := range devstack.Services() {
		for _, r := range p.Service(service).HTTP.Echo.Routes() {
			if !isHTTPMethod(r.Method) || probes[r.Path] {
				continue
			}
			routes++
			rule, ok := access.Lookup(service, r.Method, r.Path)
			if !ok {
				t.Errorf("%s %s %s has no rule in pkg/access's table", service, r.Method, r.Path)
				continue
			}
			for _, county := range []string{ownCounty, otherCounty} {
				for _, role := range identity.Roles() {
					path := concrete(r.Path, id, role)
					status, body, _ := call(t, r.Method, p.URLs[service]+path, "Bearer "+tokens[string(role)+county])
					if why := judge(rule, role, county, status, body, id); why != "" {
						t.Errorf("%s %s %s as %s of %s: %d %s; %s", service, r.Method, path, role, county, status, body, why)
					}
				}
			}
			path := concrete(r.Path, id, identity.RoleMediator)
			status, body, _ := call(t, r.Method, p.URLs[service]+path, "Bearer "+offTeamToken)
			if why := judgeOffTeam(rule, service, status, body, id); why != "" {
				t.Errorf("%s %s %s as %s, not on the team: %d %s; %s", service, r.Method, path, offTeam, status, body, why)
			}
		}
	}
	if routes != len(access.Rules()) {
		t.Errorf("%d routes registered, %d rules: the table names routes no service has", routes, len(access.Rules()))
	}
}

// judge says what is wrong with a status, or "".
func judge(rule access.Rule, role identity.Role, county string, status int, body, id string) string {
	grant, granted := rule.Grants[role]
	switch {
	case !granted && status != http.StatusForbidden:
		return "the table grants this role nothing here: want 403"
	case !granted:
		return ""
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return "the table grants this role the route: want it let through"
	case county == ownCounty:
		return ""
	case (len(grant.Relations) == 0 || isCollection(rule)) && strings.Contains(body, id):
		return "a list read from another county names the case"
	case len(grant.Relations) == 0 || isCollection(rule):
		return "" // a list or a form, of the caller's own county (or unit, or team)
	case status != http.StatusNotFound && status != http.StatusBadRequest:
		return "another county's record must be answered as missing (404)"
	}
	return ""
}

// judgeOffTeam says what is wrong with what a mediator of the case's county
// who is not on its team got, or "".
func judgeOffTeam(rule access.Rule, service string, status int, body, id string) string {
	grant, granted := rule.Grants[identity.RoleMediator]
	switch {
	case !granted && status != http.StatusForbidden:
		return "the table grants mediators nothing here: want 403"
	case !granted:
		return ""
	case (len(grant.Relations) == 0 || isCollection(rule)) && service == "mediation-room" && strings.Contains(body, id+".r1.m1"):
		return "a list names a mediation the mediator is not on"
	case isCollection(rule):
		return judge(rule, identity.RoleMediator, ownCounty, status, body, id)
	case !slices.Contains(grant.Relations, access.AssignedToMe):
		return judge(rule, identity.RoleMediator, ownCounty, status, body, id)
	case status != http.StatusNotFound && status != http.StatusBadRequest:
		return "a mediation the mediator is not on must be answered as missing (404)"
	}
	return ""
}

// isCollection reports whether a rule's route addresses no one record (no
// path parameter): its relations filter what the list holds, so another
// county's caller, or a mediator off the team, gets a list without the
// case rather than a 404.
func isCollection(rule access.Rule) bool {
	return !strings.Contains(rule.Route.Path, ":")
}

// concrete fills a route's parameters with the case's IDs.
func concrete(route, id string, role identity.Role) string {
	copyName := copyOf[role]
	if copyName == "" {
		copyName = "jurisdiction"
	}
	return strings.NewReplacer(
		"/slips/:id", "/slips/"+id+".r1", "/mediations/:id", "/mediations/"+id+".r1.m1", "/revisits/:id", "/revisits/"+id+".r1.v1",
		"/requests/:id", "/requests/"+id, "/provinces/:code", "/provinces/"+ownCounty[:2], "/prefectures/:code", "/prefectures/"+ownCounty[:4],
		":id", id, ":code", ownCounty, ":copy", copyName, ":no", "1", ":urge", "u1", ":by", "area",
	).Replace(route)
}

func registerCase(t *testing.T, p *devstack.Platform, token string) string {
	t.Helper()
	status, body := register(t, p, token)
	var d struct {
		ID string `json:"id"`
	}
	if status != http.StatusCreated || json.Unmarshal([]byte(body), &d) != nil || d.ID == "" {
		t.Fatalf("cannot register the case: %d %s", status, body)
	}
	return d.ID
}

// TestAnAgencySystemReadsOnlyItsOwnCopy: over HTTP as on its topic, an
// agency's system sees the copy of the slip addressed to its unit and not
// the others; a system whose unit has no copy of the slip finds no slip.
func TestAnAgencySystemReadsOnlyItsOwnCopy(t *testing.T) {
	p := startPlatform(t)
	ctx := context.Background()
	officerToken, err := p.UserToken(ctx, "officer-"+ownCounty)
	if err != nil {
		t.Fatal(err)
	}
	id := registerCase(t, p, officerToken)
	slip := p.URLs["referral"] + "/v1/slips/" + id + ".r1"
	police, err := p.SystemToken(ctx, "police-system-"+ownCounty)
	if err != nil {
		t.Fatal(err)
	}
	var body string
	servicetest.Eventually(t, time.Minute, "the slip is issued", func() bool {
		var status int
		status, body, _ = call(t, "GET", slip, "Bearer "+police)
		return status == http.StatusOK
	})
	var got struct {
		Copies []struct {
			Copy string `json:"copy"`
		} `json:"copies"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Copies) != 1 || got.Copies[0].Copy != "police" {
		t.Fatalf("the police system reads copies %+v, want its own (police) only", got.Copies)
	}
	otherUnit, err := p.SystemToken(ctx, "police-system-"+otherCounty)
	if err != nil {
		t.Fatal(err)
	}
	if status, body, _ := call(t, "GET", slip, "Bearer "+otherUnit); status != http.StatusNotFound {
		t.Fatalf("another county's police system: %d %s, want 404", status, body)
	}
	if status, _, _ := call(t, "GET", slip+"/print", "Bearer "+police); status != http.StatusForbidden {
		t.Fatalf("an agency's system printed all three copies: %d", status)
	}
}
