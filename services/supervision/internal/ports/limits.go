package ports

import "fengqiao.dev/pkg/httpserver"

// textLimits bounds every text field of supervision's JSON bodies, in
// runes, checked before a body is decoded; a string not listed is bounded by
// httpserver.DefaultMaxText. docs/input-limits.md lists them.
var textLimits = httpserver.TextLimits{
	"/comment": 500, // an urge's (督办); app.Urge checks the same bound
}
