// Package access is who may do what, as data: one table of every API route
// of every service × role × relation to the record → allowed, and which
// fields of the record the role sees. The HTTP server consults it on every
// request, before the handler runs (a role the route does not grant is a
// 403 that says nothing about any record; a route without a rule is refused
// to everyone); the services read Fields from it to shape what they return;
// and a test walks every registered route with every role from the own and
// another county against it, so a route added without a rule fails the
// build. docs/security.md renders it for people.
//
// Relations are what the service learns only when it loads the record: it
// answers a record of another county as missing (404), never as forbidden,
// so a 403 never confirms that a case exists.
package access

import (
	"fmt"
	"slices"

	"fengqiao.dev/pkg/identity"
)

// Relation is how the caller stands to the record a request addresses.
type Relation string

const (
	// OwnCounty: the record is of the caller's county.
	OwnCounty Relation = "own_county"
	// OwnAgency: the record is addressed to the caller's kind of unit — the
	// copy of the slip its role signs for (police, jurisdiction, committee).
	OwnAgency Relation = "own_agency"
	// AssignedToMe: the caller is on the record, as a mediator on a mediation.
	AssignedToMe Relation = "assigned_to_me"
	// WithinArea: the county (or prefecture) the request names lies within
	// the prefecture or province of a caller who supervises from above
	// the counties (identity.Caller.Covers).
	WithinArea Relation = "within_area"
	// OtherCounty: the record is of another county. No grant ever holds it:
	// such a record is answered as missing.
	OtherCounty Relation = "other_county"
)

// Fields is what of a record a role sees (docs/privacy.md has each field).
type Fields string

const (
	// Full: parties' names, phones, ID numbers and addresses unmasked, and
	// the free text.
	Full Fields = "full"
	// LabelsAndText: parties as labels (当事人甲) with masked phones, and the
	// free text (summary, narrative, agreement).
	LabelsAndText Fields = "labels_and_text"
	// Labels: parties as labels only; no free text.
	Labels Fields = "labels"
	// Figures: counts and figures, no party at all.
	Figures Fields = "figures"
	// NoRecord: the route reads no personal data (taxonomy, rosters) or
	// changes a record without returning its parties.
	NoRecord Fields = "no_record"
)

// Grant is what one role may do on a route.
type Grant struct {
	// Relations the caller must stand in to the record; the service checks
	// them when it loads it. Empty: the route addresses no single record
	// (a list filtered to the caller's county, a form to fill).
	Relations []Relation
	Fields    Fields
}

// Route names a route as the HTTP router knows it.
type Route struct {
	Service, Method, Path string
}

func (r Route) String() string { return r.Service + " " + r.Method + " " + r.Path }

// Rule is a route's grants by role; a role not listed may not use it.
type Rule struct {
	Route
	Grants map[identity.Role]Grant
	Why    string // for the rendered table: what the route is for
}

// Lookup returns the rule of a route.
func Lookup(service, method, path string) (Rule, bool) {
	r, ok := index[Route{service, method, path}]
	return r, ok
}

// Rules returns every rule, in table order.
func Rules() []Rule { return slices.Clone(table) }

// Authorize says whether caller's role may use the route; the error, a
// Denial, says why not in words the caller may read.
func Authorize(service, method, path string, caller identity.Caller) error {
	rule, ok := Lookup(service, method, path)
	if !ok {
		return &Denial{Reason: "this route has no access rule, so no one may use it"}
	}
	if _, ok := rule.Grants[caller.Role]; !ok {
		return &Denial{Reason: fmt.Sprintf("the role %s may not use %s %s", caller.Role, method, path)}
	}
	return nil
}

// FieldsFor is what the role sees of the record a route returns; NoRecord
// when the role has no grant.
func FieldsFor(service, method, path string, role identity.Role) Fields {
	rule, ok := Lookup(service, method, path)
	if !ok {
		return NoRecord
	}
	g, ok := rule.Grants[role]
	if !ok {
		return NoRecord
	}
	return g.Fields
}

// Requires reports whether the role's grant on a route holds only under
// the relation: whether the service must narrow what it returns to it.
func Requires(service, method, path string, role identity.Role, rel Relation) bool {
	rule, ok := Lookup(service, method, path)
	if !ok {
		return false
	}
	return slices.Contains(rule.Grants[role].Relations, rel)
}

// Holds reports whether the role's grant on a route holds for a record the
// caller stands to in the given relations: the role has a grant, and every
// relation the grant names is among them. A service answers a record for
// which it does not hold as missing (404), like one that does not exist.
func Holds(service, method, path string, role identity.Role, standing ...Relation) bool {
	rule, ok := Lookup(service, method, path)
	if !ok {
		return false
	}
	g, ok := rule.Grants[role]
	if !ok {
		return false
	}
	for _, rel := range g.Relations {
		if !slices.Contains(standing, rel) {
			return false
		}
	}
	return true
}

// Denial is a request the table refuses.
type Denial struct{ Reason string }

func (d *Denial) Error() string { return d.Reason }

var index = func() map[Route]Rule {
	m := make(map[Route]Rule, len(table))
	for _, r := range table {
		if _, dup := m[r.Route]; dup {
			panic("access: two rules for " + r.Route.String())
		}
		for _, g := range r.Grants {
			if slices.Contains(g.Relations, OtherCounty) {
				panic("access: " + r.Route.String() + " grants another county's records")
			}
		}
		m[r.Route] = r
	}
	return m
}()
