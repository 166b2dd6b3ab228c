package ports

import (
	"slices"

	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// withheldText is what a role that does not work on the case reads in
// place of the agreement's text.
const withheldText = ""

// readsAgreement reports whether the caller's role acts on the agreement:
// the mediators who wrote it, the jurisdiction that revisits it and the
// police who follow the case (docs/privacy.md). The committee, inspectors
// and outside systems see its structure and its performance, not its text.
func readsAgreement(c identity.Caller) bool {
	return c.Can(identity.RoleMediator, identity.RoleJurisdiction, identity.RoleOfficer)
}

// forCaller returns m as the caller may see it.
func forCaller(c identity.Caller, m mediation.Mediation) mediation.Mediation {
	if m.Settlement == nil || readsAgreement(c) {
		return m
	}
	a := *m.Settlement
	a.Terms, a.Obligations = slices.Clone(a.Terms), slices.Clone(a.Obligations)
	for _, f := range a.TextFields() {
		*f = withheldText
	}
	m.Settlement = &a
	return m
}
