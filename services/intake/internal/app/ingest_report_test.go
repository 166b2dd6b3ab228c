package app

import (
	"errors"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/services/intake/internal/dispute"
)

func TestDeliveredReportsAreCheckedLikeRegistrations(t *testing.T) {
	valid := events.IntakeReportDelivered{
		Subject: events.Subject{DisputeID: "hotline_12345:W-1", CountyCode: "622901"},
		Channel: events.ChannelHotline12345, SystemID: "sys-12345", ExternalRef: "W-1",
		Place: events.IngestPlace{TownshipCode: "622901100"}, Category: events.CategoryLabour,
		Parties: []events.IngestParty{{Role: events.PartyApplicant, Name: "王五", Phone: "13900000000"}},
		Summary: "欠薪", Narrative: "工地欠薪。", Stage: "brewing",
	}
	for _, tc := range []struct {
		name    string
		change  func(*events.IntakeReportDelivered)
		pointer string // "" when valid
	}{
		{"valid", func(*events.IntakeReportDelivered) {}, ""},
		{"walk-in is not a delivering system", func(r *events.IntakeReportDelivered) { r.Channel = events.ChannelWalkIn }, "#/channel"},
		{"no external reference", func(r *events.IntakeReportDelivered) { r.ExternalRef = "" }, "#/external_ref"},
		{"unknown category", func(r *events.IntakeReportDelivered) { r.Category = "feng_shui" }, "#/category"},
		{"unknown stage", func(r *events.IntakeReportDelivered) { r.Stage = "boiling" }, "#/stage"},
		{"no parties", func(r *events.IntakeReportDelivered) { r.Parties = nil }, "#/parties"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := valid
			tc.change(&r)
			reg := registrationOf(r)
			err := checkIngestSource(reg)
			if err == nil {
				err = reg.Validate(time.Now())
			}
			var ve *dispute.ValidationError
			switch {
			case tc.pointer == "" && err != nil:
				t.Fatalf("rejected a valid report: %v", err)
			case tc.pointer != "" && (!errors.As(err, &ve) || ve.Fields[0].Pointer != tc.pointer):
				t.Fatalf("error %v, want one at %s", err, tc.pointer)
			}
		})
	}
}
