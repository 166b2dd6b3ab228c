package events

// TopicIntakeIngest is the restricted inbound topic on which the 110 and
// 12345 systems deliver reports to intake. Unlike the internal
// topics it carries personal data (the parties' names, ID numbers and
// phones), because a report is a command from an outside system, not a
// lifecycle event: its Kafka ACL lets only the 110/12345 producers write it
// and only intake read it. It is not one of InternalTopics.
const TopicIntakeIngest = "fengqiao.intake.ingest.v1"

// TypeIntakeReportDelivered is the command an outside system (110 接处警,
// 12345 热线) sends on TopicIntakeIngest to have a report registered.
const TypeIntakeReportDelivered = "dev.fengqiao.intake.report_delivered.v1"

// IntakeReportDelivered is a report delivered by the 110 or 12345 system:
// the fields of a registration (POST /v1/disputes), plus the delivering
// system and its own reference, which makes a redelivery idempotent. The
// Subject's dispute_id is a key the sender chooses (e.g.
// "alert_110:110-20261123-0042"), so one report's deliveries stay in order;
// intake assigns the dispute's real ID.
type IntakeReportDelivered struct {
	Subject
	Channel     Channel       `json:"channel"`      // alert_110 or hotline_12345
	SystemID    string        `json:"system_id"`    // the delivering system, e.g. "sys-110-622901"
	ExternalRef string        `json:"external_ref"` // the record in the delivering system
	Place       IngestPlace   `json:"place"`
	Category    Category      `json:"category"`
	Subcategory string        `json:"subcategory,omitempty"` // path under Category, e.g. "divorce/custody"
	Parties     []IngestParty `json:"parties"`
	GroupSize   int           `json:"group_size,omitempty"`
	Summary     string        `json:"summary"`
	Narrative   string        `json:"narrative"`
	Threats     bool          `json:"threats_of_violence,omitempty"`
	Vulnerable  bool          `json:"vulnerable_parties,omitempty"`
	Stage       string        `json:"stage,omitempty"` // brewing, intensifying, physical
	Duration    int           `json:"duration_days,omitempty"`
}

// IngestPlace is where a delivered report says the dispute is.
type IngestPlace struct {
	TownshipCode string `json:"township_code,omitempty"`
	VillageCode  string `json:"village_code,omitempty"`
	Grid         string `json:"grid,omitempty"`
	Address      string `json:"address,omitempty"`
}

// IngestParty is a party as the delivering system records it (personal
// data: only on the restricted ingest topic).
type IngestParty struct {
	Role     PartyRole `json:"role"`
	Name     string    `json:"name"`
	IDNumber string    `json:"id_number,omitempty"`
	Phone    string    `json:"phone,omitempty"`
}

// EventType implements Payload.
func (IntakeReportDelivered) EventType() string { return TypeIntakeReportDelivered }
