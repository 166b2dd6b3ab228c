package ports

import (
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/services/referral/internal/referral"
)

// textLimits bounds every text field of referral's JSON bodies, in runes,
// checked before a body is decoded; a string not listed is bounded by
// httpserver.DefaultMaxText. docs/input-limits.md lists them.
var textLimits = httpserver.TextLimits{
	"/reason": referral.MaxReasonLength, // a return's (退单) or a pause's
}
