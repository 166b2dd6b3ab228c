package ports

import (
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/services/intake/internal/dispute"
)

// textLimits bounds every text field of intake's JSON bodies, in runes,
// checked before a body is decoded; a string not listed is bounded by
// httpserver.DefaultMaxText. The domain (dispute.Validate) checks the same
// bounds, for registrations that arrive by Kafka. docs/input-limits.md
// lists them.
var textLimits = httpserver.TextLimits{
	"/external_ref":        dispute.MaxExternalRef,
	"/subcategory":         dispute.MaxSubcategory,
	"/place/grid":          dispute.MaxGrid,
	"/place/address":       dispute.MaxAddress,
	"/parties/*/name":      dispute.MaxName,
	"/parties/*/id_number": dispute.MaxIDNumber,
	"/parties/*/phone":     dispute.MaxPhone,
	"/summary":             dispute.MaxSummary,
	"/narrative":           dispute.MaxNarrative,
	"/redirect/reason":     dispute.MaxReason,
	"/reason":              dispute.MaxReason, // a risk override's
}

// formLimits bounds the Open311 form's fields by name, as textLimits does
// the JSON bodies; other fields take httpserver.DefaultMaxText.
var formLimits = httpserver.TextLimits{
	"description":             dispute.MaxNarrative,
	"address_string":          dispute.MaxAddress,
	"first_name":              dispute.MaxName,
	"last_name":               dispute.MaxName,
	"phone":                   dispute.MaxPhone,
	"attribute[external_ref]": dispute.MaxExternalRef,
	"attribute[grid]":         dispute.MaxGrid,
}
