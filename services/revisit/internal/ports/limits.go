package ports

import "fengqiao.dev/pkg/httpserver"

// textLimits bounds every text field of revisit's JSON bodies, in runes,
// checked before a body is decoded; a string not listed (the outcome, the
// satisfaction, an officer's ID) is bounded by httpserver.DefaultMaxText.
// docs/input-limits.md lists them.
var textLimits = httpserver.TextLimits{
	"/note": 1000, // a result's; revisit.Result.Validate checks the same bound
}
