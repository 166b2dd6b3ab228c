package app

import (
	"context"
	"fmt"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/intake/internal/dispute"
)

// IngestReport registers a report the 110 or 12345 system delivered on the
// ingest topic through Register, the use case behind POST
// /v1/disputes: the same validation, and the same idempotency on the external
// reference (a redelivery finds the dispute it made, through the
// repeat-report linking). The caller is the delivering system, a system
// identity of the report's county.
func (a *App) IngestReport(ctx context.Context, r events.IntakeReportDelivered) (dispute.Dispute, Outcome, error) {
	reg := registrationOf(r)
	if err := checkIngestSource(reg); err != nil {
		return dispute.Dispute{}, Created, err
	}
	return a.Register(ctx, RegisterDispute{
		Registration: reg,
		Caller:       identity.Caller{County: r.CountyCode, Agency: r.SystemID, Role: identity.RoleSystem},
	})
}

// checkIngestSource admits on the ingest topic only what the 110 and 12345
// systems deliver, and only with their own reference (the idempotency key).
func checkIngestSource(reg dispute.Registration) error {
	var fields []dispute.FieldError
	if reg.Channel != events.ChannelAlert110 && reg.Channel != events.ChannelHotline12345 {
		fields = append(fields, dispute.FieldError{Pointer: "#/channel", Detail: fmt.Sprintf("the ingest topic takes %s or %s only", events.ChannelAlert110, events.ChannelHotline12345)})
	}
	if reg.ExternalRef == "" {
		fields = append(fields, dispute.FieldError{Pointer: "#/external_ref", Detail: "a delivered report needs the delivering system's reference"})
	}
	if len(fields) > 0 {
		return &dispute.ValidationError{Fields: fields}
	}
	return nil
}

// registrationOf maps a delivered report onto a registration, field by field.
func registrationOf(r events.IntakeReportDelivered) dispute.Registration {
	parties := make([]dispute.PartyInput, len(r.Parties))
	for i, p := range r.Parties {
		parties[i] = dispute.PartyInput{Role: p.Role, Name: p.Name, IDNumber: p.IDNumber, Phone: p.Phone}
	}
	return dispute.Registration{
		Channel: r.Channel, ExternalRef: r.ExternalRef, CountyCode: r.CountyCode,
		Place: dispute.PlaceInput{
			TownshipCode: r.Place.TownshipCode, VillageCode: r.Place.VillageCode, Grid: r.Place.Grid, Address: r.Place.Address,
		},
		Category: r.Category, Subcategory: r.Subcategory, Parties: parties, GroupSize: r.GroupSize, Summary: r.Summary, Narrative: r.Narrative,
		ThreatsOfViolence: r.Threats, VulnerableParties: r.Vulnerable, Stage: dispute.Stage(r.Stage), DurationDays: r.Duration,
	}
}
