package ports

import (
	"fengqiao.dev/pkg/access"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// withheldText is what a role that does not work on the case reads in
// place of the agreement's text.
const withheldText = ""

// readsAgreement reports whether the caller's role acts on the agreement
// and the session records: the mediators who wrote them, the jurisdiction
// that revisits the case and the police who follow it (docs/privacy.md).
// The committee, inspectors and outside systems see the structure, results
// and performance, not the text. pkg/access's table says which roles these
// are.
func readsAgreement(c identity.Caller) bool {
	fields := access.FieldsFor("mediation-room", "GET", "/v1/mediations/:id", c.Role)
	return fields == access.Full || fields == access.LabelsAndText
}

// forCaller returns m as the caller may see it.
func forCaller(c identity.Caller, m mediation.Mediation) mediation.Mediation {
	if readsAgreement(c) {
		return m
	}
	for _, f := range m.PrivateText() {
		*f = withheldText
	}
	return m
}
