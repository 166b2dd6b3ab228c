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
// station, a township's governance centre, a mediator's unit and staff ID,
// and the committee. Linxia's are the README walkthrough's.
var sampleUnits = []struct {
	county, police, centre, mediatorUnit, mediator string
}{
	{"622901", "bafang-police", "bafang-centre", "bafang-room", "M1"},
	{"620902", "dbj-police", "dbj-centre", "dbj-centre", "sz-dbj-g01"},
	{"370202", "jsl-police", "jsl-centre", "jsl-centre", "sn-qdl-p01"},
}

// Users lists the sample people: per county an officer, a governance
// centre's clerk, a mediator and the committee, named role-county.
func Users() []User {
	var users []User
	for _, u := range sampleUnits {
		users = append(users,
			User{"officer-" + u.county, identity.Caller{County: u.county, Agency: u.police, Role: identity.RoleOfficer, Officer: "A1024"}},
			User{"centre-" + u.county, identity.Caller{County: u.county, Agency: u.centre, Role: identity.RoleJurisdiction, Officer: "S7"}},
			User{"mediator-" + u.county, identity.Caller{County: u.county, Agency: u.mediatorUnit, Role: identity.RoleMediator, Officer: u.mediator}},
			User{"committee-" + u.county, identity.Caller{County: u.county, Agency: "committee", Role: identity.RoleCommittee, Officer: "C1"}},
			User{"supervisor-" + u.county, identity.Caller{County: u.county, Agency: "inspectorate", Role: identity.RoleSupervisor, Officer: "I1"}},
		)
	}
	return users
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
