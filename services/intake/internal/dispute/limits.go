package dispute

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The bounds of a registration's text, in characters (runes), in one place:
// the HTTP ports check the same table before decoding (ports.TextLimits)
// and docs/input-limits.md lists them. They keep one record from swallowing
// the store and keep every event a registration causes far below the
// message size limit, even when JSON escapes each character to six bytes.
const (
	MaxExternalRef  = 64   // a channel's own reference, e.g. 110-20261123-0042
	MaxSubcategory  = 64   // a taxonomy path, e.g. divorce/custody
	MaxGrid         = 32   // a grid's ID in the county's jurisdiction tree
	MaxAddress      = 200  // a postal address
	MaxName         = 50   // a party's name
	MaxIDNumber     = 18   // GB 11643
	MaxPhone        = 20   // with +86 and spaces
	MaxSummary      = 200  // one line
	MaxNarrative    = 4000 // what happened
	MaxReason       = 500  // a redirect's or a risk override's reason
	MaxParties      = 50   // more is a group: use group_size
	MaxIdempotency  = 255  // the Idempotency-Key header, in bytes
	maxDurationDays = 36500
)

// checkFreeText adds a problem for text that is over max characters or is
// not clean text: NUL and invalid UTF-8 are refused, not rewritten, so what
// is stored is what was sent. required also refuses blank text.
func checkFreeText(e *ValidationError, pointer, s string, max int, required bool) {
	switch {
	case !validUTF8(s):
		e.add(pointer, "must be valid UTF-8 text")
	case strings.IndexByte(s, 0) >= 0:
		e.add(pointer, "must not contain NUL (U+0000)")
	case required && strings.TrimSpace(s) == "":
		e.add(pointer, "is required (at most %d characters)", max)
	case utf8.RuneCountInString(strings.TrimSpace(s)) > max:
		e.add(pointer, "must be at most %d characters", max)
	}
}

// validBirthDate checks the birth date an ID number carries (digits 7-14,
// YYYYMMDD): a real calendar date, from 1900, not after today. The check
// digit alone passes 19801332 or a date next year.
func validBirthDate(id string, today time.Time) bool {
	if len(id) != 18 {
		return false
	}
	born, err := time.ParseInLocation("20060102", id[6:14], time.UTC)
	if err != nil || born.Year() < 1900 {
		return false
	}
	y, m, d := today.In(chinaStandardTime).Date()
	return !born.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// chinaStandardTime is where ID numbers' dates are: a child born this
// morning in Beijing was born "tomorrow" in UTC until 08:00.
var chinaStandardTime = time.FixedZone("CST", 8*3600)

func checkIDNumber(e *ValidationError, pointer, id string, today time.Time) {
	switch {
	case !ValidIDNumber(id):
		e.add(pointer, "is not a valid resident ID number (GB 11643 check digit)")
	case !validBirthDate(id, today):
		// The digits are not echoed: they are personal data.
		e.add(pointer, "carries an impossible birth date (digits 7-14 must be a calendar date from 1900 to today)")
	}
}

// validUTF8 also refuses U+FFFD: in text that went through a JSON decoder
// it marks bytes or a lone surrogate that were replaced.
func validUTF8(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, utf8.RuneError)
}

// cleanText reports whether s is valid UTF-8 without NUL.
func cleanText(s string) bool { return validUTF8(s) && strings.IndexByte(s, 0) < 0 }
