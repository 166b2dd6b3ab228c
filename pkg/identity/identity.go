// Package identity is the seam between authentication and the handlers.
//
// Handlers read the caller (county, agency, role, officer) from the request
// context with FromContext, never from headers: authentication happens once,
// in the HTTP server's middleware, through an Authenticator. By default that
// is an OIDC bearer-token verifier (package bearer beside this one);
// TrustedHeaders is an explicit opt-in for a deployment behind a gateway that
// has authenticated the user and strips any identity header a client sent.
package identity

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// Role is what a caller may do.
type Role string

// Roles of the closed loop.
const (
	RoleOfficer      Role = "officer"       // police officer: intake, police copy
	RoleCommittee    Role = "committee"     // political-legal committee: supervision
	RoleJurisdiction Role = "jurisdiction"  // governance centre / judicial office staff
	RoleMediator     Role = "mediator"      // mediators in a room
	RoleSupervisor   Role = "supervisor"    // inspectors and dashboards
	RoleSystem       Role = "agency_system" // another agency's system
	// RolePrefecture and RoleProvince supervise from above the counties:
	// the figures of every county of their prefecture (city) or province,
	// and nothing of any single dispute.
	RolePrefecture Role = "prefecture"
	RoleProvince   Role = "province"
)

// CountyRoles lists the roles of the people and systems of one county.
func CountyRoles() []Role {
	return []Role{RoleOfficer, RoleCommittee, RoleJurisdiction, RoleMediator, RoleSupervisor, RoleSystem}
}

// AreaRoles lists the roles that see several counties.
func AreaRoles() []Role { return []Role{RolePrefecture, RoleProvince} }

// Roles lists every role.
func Roles() []Role { return append(CountyRoles(), AreaRoles()...) }

// Caller is the authenticated principal of a request.
type Caller struct {
	// County is the GB/T 2260 code of the county the caller works for; of
	// a prefecture's or province's caller, the code of that prefecture
	// (622900) or province (620000).
	County  string
	Agency  string // the caller's unit ID
	Role    Role
	Officer string // staff ID; never a name
}

// Can reports whether the caller holds one of roles.
func (c Caller) Can(roles ...Role) bool {
	for _, r := range roles {
		if c.Role == r {
			return true
		}
	}
	return false
}

// Area is the prefix of the division codes of the counties the caller
// sees: a province's two digits, a prefecture's four, else the whole
// county code.
func (c Caller) Area() string {
	switch c.Role {
	case RoleProvince:
		return prefix(c.County, 2)
	case RolePrefecture:
		return prefix(c.County, 4)
	}
	return c.County
}

// Covers reports whether the caller sees the county (or prefecture, or
// province) whose division code starts with code: its own county, or one
// within its prefecture or province. An empty area covers nothing.
func (c Caller) Covers(code string) bool {
	area := c.Area()
	return area != "" && strings.HasPrefix(code, area)
}

func prefix(code string, n int) string {
	if len(code) < n {
		return ""
	}
	return code[:n]
}

// AreaCode reports whether code is the six-digit code a caller of role
// may carry: a province's ends in 0000 (620000), a prefecture's in 00 but
// not 0000 (622900), a county's in neither.
func AreaCode(role Role, code string) bool {
	if !CountyCode(code) {
		return false
	}
	switch role {
	case RoleProvince:
		return strings.HasSuffix(code, "0000")
	case RolePrefecture:
		return strings.HasSuffix(code, "00") && !strings.HasSuffix(code, "0000")
	}
	return true
}

type callerKey struct{}

// WithCaller returns ctx carrying c.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// FromContext returns the caller of the request ctx belongs to.
func FromContext(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}

// Authenticator establishes who made a request.
type Authenticator interface {
	Authenticate(r *http.Request) (Caller, error)
}

// ErrNoIdentity is returned when a request carries no usable identity.
var ErrNoIdentity = errors.New("no caller identity")

// Refusal is why an Authenticator refused a request, in words the caller may
// read (the 401's detail): what is wrong with the credential, never anything
// about the records it asked for. It matches ErrNoIdentity.
type Refusal struct{ Reason string }

func (r *Refusal) Error() string { return r.Reason }

// Is makes every refusal an ErrNoIdentity.
func (r *Refusal) Is(target error) bool { return target == ErrNoIdentity }

// Refuse returns a Refusal with the formatted reason.
func Refuse(format string, args ...any) error {
	return &Refusal{Reason: fmt.Sprintf(format, args...)}
}

// CountyCode reports whether code is a GB/T 2260 county code (six digits).
func CountyCode(code string) bool { return countyCode.MatchString(code) }

// The headers TrustedHeaders reads. A gateway in front of the services sets
// them after authenticating the user and strips any a client sent.
const (
	HeaderCounty  = "X-Fengqiao-County"
	HeaderAgency  = "X-Fengqiao-Agency"
	HeaderRole    = "X-Fengqiao-Role"
	HeaderOfficer = "X-Fengqiao-Officer"
)

var countyCode = regexp.MustCompile(`^[0-9]{6}$`)

// TrustedHeaders authenticates from the X-Fengqiao-* headers set by a trusted
// gateway. Anyone who can reach a service directly can write these headers,
// so it is never a default: a deployment turns it on explicitly
// (AUTH_TRUSTED_HEADERS=true) and the service warns at start.
type TrustedHeaders struct{}

// Authenticate implements Authenticator.
func (TrustedHeaders) Authenticate(r *http.Request) (Caller, error) {
	c := Caller{
		County:  r.Header.Get(HeaderCounty),
		Agency:  r.Header.Get(HeaderAgency),
		Role:    Role(r.Header.Get(HeaderRole)),
		Officer: r.Header.Get(HeaderOfficer),
	}
	if !AreaCode(c.Role, c.County) || c.Agency == "" || !c.Can(Roles()...) {
		return Caller{}, Refuse("the request carries no valid caller identity headers (county, agency, role)")
	}
	return c, nil
}
