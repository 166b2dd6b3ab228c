package idp

import (
	"fengqiao.dev/pkg/identity"
)

// DevPassword is every sample user's password, and DevSecret every sample
// agency client's secret. They are public: the provider is for `make run`
// and the tests, never for real people.
const (
	DevPassword = "fengqiao-dev"
	DevSecret   = "fengqiao-dev-secret"
)

// Audience is the audience of every access token the provider issues: the
// platform's API, as the services expect by default.
const Audience = "fengqiao"

// Clients people log in through with the authorization-code flow and PKCE:
// public clients, without a secret.
const (
	ConsoleClient = "fengqiao-console" // the web console
	CLIClient     = "fengqiao-cli"     // `make token`, tests
)

// CLIRedirect is where the provider sends the CLI's authorization code. The
// CLI never listens there: it reads the code off the redirect.
const CLIRedirect = "http://127.0.0.1/callback"

// User is a sample person and what their tokens say of them.
type User struct {
	Name   string // login name, e.g. officer-622901
	Caller identity.Caller
}

// System is a sample agency's system: a confidential client with the client
// credentials grant, one per agency kind and county.
type System struct {
	ClientID string // e.g. police-system-622901
	Caller   identity.Caller
}

// sampleUnits are, per sample county (operators/mediationcenter/config/
// samples), the units whose people and systems the provider knows: a police
// station, a township's governance centre, the mediator of the county's
// roster whom matching seats on a neighbours' dispute of that township (so
// `mediator-<county>` has cases on `make run`: in Linxia, the README
// walkthrough's), and the committee.
var sampleUnits = []struct {
	county, police, centre string
	mediator               rosterMediator
}{
	{"622901", "bafang-police", "bafang-centre", rosterMediator{"lx-bf-v01", "bafang-centre"}},
	{"620902", "dbj-police", "dbj-centre", rosterMediator{"sz-dbj-g01", "dbj-centre"}},
	{"370202", "jsl-police", "jsl-centre", rosterMediator{"sn-qdl-p01", "jsl-centre"}},
}

// rosterMediator is a mediator of a sample county's roster: its roster ID,
// which its tokens carry as the staff ID, and its unit.
type rosterMediator struct{ id, agency string }

// sampleRosters are every mediator of the sample counties' rosters. Each
// logs in by its roster ID, so whoever matching seats on a case can act on
// it: a mediator reads and works only the mediations it is on.
var sampleRosters = map[string][]rosterMediator{
	"622901": {{"lx-zq-v01", "zheqiao-committee"}, {"lx-bf-v01", "bafang-centre"}, {"lx-bf-o01", "bafang-police"},
		{"lx-bf-j01", "bafang-judicial"}, {"lx-zq-j01", "zheqiao-judicial"}, {"lx-c-m01", "city-centre"}, {"lx-c-l01", "legal-aid"}},
	"620902": {{"sz-dbj-g01", "dbj-centre"}, {"sz-yd-v01", "yinda-centre"}, {"sz-dbj-o01", "dbj-police"}, {"sz-pm-e01", "property-committee"},
		{"sz-yd-j01", "yinda-judicial"}, {"sz-lab-e01", "labour-committee"}, {"sz-med-e01", "medical-committee"},
		{"sz-d-m01", "district-centre"}, {"sz-d-j01", "court"}},
	"370202": {{"sn-qdl-p01", "jsl-centre"}, {"sn-qdl-p02", "jsl-centre"}, {"sn-jsl-o01", "jsl-police"}, {"sn-jsl-j01", "jsl-judicial"},
		{"sn-jsl-l01", "contracted-lawyers"}, {"sn-jsl-c01", "jsl-mediation"}, {"sn-jsl-s01", "jsl-mediation"}},
}

// Users lists the sample people: per county an officer, a governance
// centre's clerk, a mediator, the committee and an inspector, named
// role-county; every mediator of the county's roster, named by its
// roster ID; and the supervisors of the sample counties' prefectures and
// provinces.
func Users() []User {
	var users []User
	for _, u := range sampleUnits {
		users = append(users,
			User{"officer-" + u.county, identity.Caller{County: u.county, Agency: u.police, Role: identity.RoleOfficer, Officer: "A1024"}},
			User{"centre-" + u.county, identity.Caller{County: u.county, Agency: u.centre, Role: identity.RoleJurisdiction, Officer: "S7"}},
			User{"mediator-" + u.county, mediatorCaller(u.county, u.mediator)},
			User{"committee-" + u.county, identity.Caller{County: u.county, Agency: "committee", Role: identity.RoleCommittee, Officer: "C1"}},
			User{"supervisor-" + u.county, identity.Caller{County: u.county, Agency: "inspectorate", Role: identity.RoleSupervisor, Officer: "I1"}},
		)
		for _, m := range sampleRosters[u.county] {
			users = append(users, User{m.id, mediatorCaller(u.county, m)})
		}
	}
	return append(users, areaUsers()...)
}

// areaUsers are the supervisors above the sample counties, named by the
// leading digits of the counties they see: province-62 (Gansu: Linxia and
// Suzhou), province-37 (Shandong: Shinan), and a prefecture's per sample
// county (prefecture-6229, Linxia's; -6209, Jiuquan's; -3702, Qingdao's).
func areaUsers() []User {
	var users []User
	seen := map[string]bool{}
	for _, u := range sampleUnits {
		for _, area := range []struct {
			role   identity.Role
			digits int
		}{{identity.RoleProvince, 2}, {identity.RolePrefecture, 4}} {
			prefix := u.county[:area.digits]
			name := string(area.role) + "-" + prefix
			if seen[name] {
				continue
			}
			seen[name] = true
			code := prefix + "000000"[area.digits:]
			users = append(users, User{name, identity.Caller{County: code, Agency: string(area.role) + "-plc", Role: area.role, Officer: "P1"}})
		}
	}
	return users
}

func mediatorCaller(county string, m rosterMediator) identity.Caller {
	return identity.Caller{County: county, Agency: m.agency, Role: identity.RoleMediator, Officer: m.id}
}

// Systems lists the sample agency clients: per county the systems of the
// police, the jurisdiction and the committee, each reading its own copy of
// the slip.
func Systems() []System {
	var systems []System
	for _, u := range sampleUnits {
		for _, s := range []struct{ kind, agency string }{
			{"police", u.police}, {"jurisdiction", u.centre}, {"committee", "committee"},
		} {
			id := s.kind + "-system-" + u.county
			systems = append(systems, System{id, identity.Caller{County: u.county, Agency: s.agency, Role: identity.RoleSystem, Officer: id}})
		}
	}
	return systems
}

// claims are the platform's claims (pkg/identity/bearer) for a caller.
func claims(c identity.Caller) map[string]any {
	return map[string]any{"county": c.County, "agency": c.Agency, "role": string(c.Role), "staff_id": c.Officer}
}
