package audit

import (
	"errors"
	"net/http"
	"slices"
	"strings"
)

// Purpose is why a caller unmasks a case's personal data. It is one of a
// closed list rather than free text, so that a record can never carry a
// name or a phone number someone typed as their reason.
type Purpose string

// The purposes a caller may state.
const (
	PurposeHandleCase   Purpose = "handle_case"   // acting on the case (处置)
	PurposeContactParty Purpose = "contact_party" // calling or visiting a party
	PurposeMediation    Purpose = "mediation"     // preparing or holding a session
	PurposeRevisit      Purpose = "revisit"       // the revisit (回访)
	PurposeCourtRequest Purpose = "court_request" // a court's or procuratorate's request (司法协查)
	PurposeComplaint    Purpose = "complaint"     // reviewing a complaint about the handling
	PurposeSupervision  Purpose = "supervision"   // the committee's or an inspector's review
	// PurposeRegistration is implied by recording a dispute: the caller
	// states nothing, the act is its purpose.
	PurposeRegistration Purpose = "registration"
)

// StatedPurposes are the purposes a caller may state for unmasking.
func StatedPurposes() []Purpose {
	return []Purpose{PurposeHandleCase, PurposeContactParty, PurposeMediation, PurposeRevisit,
		PurposeCourtRequest, PurposeComplaint, PurposeSupervision}
}

// The query parameter and header a caller states its purpose in; the query
// parameter wins when both are sent.
const (
	PurposeParam  = "purpose"
	PurposeHeader = "Fengqiao-Purpose"
)

// Errors of PurposeOf.
var (
	ErrNoPurpose      = errors.New("no purpose stated")
	ErrUnknownPurpose = errors.New("not one of the purposes personal data may be unmasked for: " + purposeList())
)

// PurposeOf returns the purpose r states, ErrNoPurpose when it states none
// (the caller then gets the masked view) and ErrUnknownPurpose for one not
// on the list.
func PurposeOf(r *http.Request) (Purpose, error) {
	s := r.URL.Query().Get(PurposeParam)
	if s == "" {
		s = r.Header.Get(PurposeHeader)
	}
	if s == "" {
		return "", ErrNoPurpose
	}
	p := Purpose(s)
	if !slices.Contains(StatedPurposes(), p) {
		return "", ErrUnknownPurpose
	}
	return p, nil
}

func purposeList() string {
	var names []string
	for _, p := range StatedPurposes() {
		names = append(names, string(p))
	}
	return strings.Join(names, ", ")
}
