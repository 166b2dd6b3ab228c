package problem

import "errors"

// The refusals every service's use cases share. They are defined once here,
// with their answer (Refusal), so that a service neither declares its own
// nor imports the store to recognise a missing record: the store's
// not-found (docstore.ErrNotFound) is ErrNotFound itself.
var (
	// ErrNotFound: the record asked for does not exist, or is not the
	// caller's to see, which is answered alike (docs/security.md).
	ErrNotFound = errors.New("not found")
	// ErrForbidden: the caller's role may not do this. The error wrapping
	// it says what, and is the answer's detail.
	ErrForbidden = errors.New("forbidden")
)

// Refusal is the problem answering err if it is one of the shared
// refusals, and nil otherwise: ErrNotFound answers 404 with missing as its
// detail (e.g. "no such slip in your county"), ErrForbidden 403 with the
// error's own text.
func Refusal(err error, missing string) *Details {
	switch {
	case errors.Is(err, ErrNotFound):
		return NotFound(missing)
	case errors.Is(err, ErrForbidden):
		return Forbidden(err.Error())
	}
	return nil
}
