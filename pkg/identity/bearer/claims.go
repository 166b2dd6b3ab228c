package bearer

import (
	"slices"

	"fengqiao.dev/pkg/identity"
)

// The claims the platform reads of an access token, besides the registered
// ones. A province's identity provider maps its own attributes onto these
// names (docs/security.md, "Connecting a province's identity provider").
const (
	ClaimCounty  = "county"   // GB/T 2260 code of the county (or prefecture, or province) the caller works for
	ClaimAgency  = "agency"   // the caller's unit ID
	ClaimRole    = "role"     // one of identity.Roles()
	ClaimStaffID = "staff_id" // the person's staff ID; never a name
)

// Claims are the platform's claims of a token.
type Claims struct {
	County  string `json:"county"`
	Agency  string `json:"agency"`
	Role    string `json:"role"`
	StaffID string `json:"staff_id"`
	// Subject is the token's sub: a person's account or an agency system's
	// client ID.
	Subject string `json:"-"`
}

// Caller maps the claims to the caller — the one place a token becomes an
// identity. A person must carry a staff ID, which is what the services
// record and assign work to; an agency's system, which has none, is known
// by its client ID (the token's subject).
func (c Claims) Caller() (identity.Caller, error) {
	switch {
	case c.County == "":
		return identity.Caller{}, identity.Refuse("the token carries no %s claim", ClaimCounty)
	case !identity.CountyCode(c.County):
		return identity.Caller{}, identity.Refuse("the token's %s claim is not a six-digit county code", ClaimCounty)
	case c.Agency == "":
		return identity.Caller{}, identity.Refuse("the token carries no %s claim", ClaimAgency)
	case c.Role == "":
		return identity.Caller{}, identity.Refuse("the token carries no %s claim", ClaimRole)
	case !slices.Contains(identity.Roles(), identity.Role(c.Role)):
		return identity.Caller{}, identity.Refuse("the token's %s claim names no role of the platform", ClaimRole)
	case !identity.AreaCode(identity.Role(c.Role), c.County):
		return identity.Caller{}, identity.Refuse("the token's %s claim is not the code of a %s", ClaimCounty, areaKind(identity.Role(c.Role)))
	}
	caller := identity.Caller{County: c.County, Agency: c.Agency, Role: identity.Role(c.Role), Officer: c.StaffID}
	if caller.Role == identity.RoleSystem && caller.Officer == "" {
		caller.Officer = c.Subject
	}
	if caller.Officer == "" {
		return identity.Caller{}, identity.Refuse("the token carries no %s claim", ClaimStaffID)
	}
	return caller, nil
}

// areaKind names the kind of division a role's county claim must code.
func areaKind(role identity.Role) string {
	switch role {
	case identity.RoleProvince:
		return "province (ending in 0000)"
	case identity.RolePrefecture:
		return "prefecture (ending in 00)"
	}
	return "county"
}
