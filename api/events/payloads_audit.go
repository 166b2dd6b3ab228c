package events

import "time"

// TopicAudit carries the audit trail of every read or change of personal
// data, for the province's SIEM. Its records name who, when, which case,
// which fields, from which client and why, never the data itself, so it is
// safe to ship outside the platform. Each service appends to its own hash
// chains (pkg/audit) and publishes every record through its outbox.
const TopicAudit = "fengqiao.audit.v1"

// TypeAuditRecorded is one record of the audit trail.
const TypeAuditRecorded = "dev.fengqiao.audit.recorded.v1"

// AuditRecorded is one link of an audit hash chain: Hash is the SHA-256 of
// the record with PrevHash, the hash of the link before it, so a SIEM that
// receives the topic can verify the chain as the platform does.
type AuditRecorded struct {
	Subject
	Chain    string      `json:"chain"` // e.g. "intake.622901": one chain per service and county
	Seq      int64       `json:"seq"`   // 1, 2, 3, ... within the chain
	At       time.Time   `json:"at"`
	Actor    AuditActor  `json:"actor"`
	Action   AuditAction `json:"action"`
	Fields   []string    `json:"fields"` // JSON pointers into the case, e.g. "/parties"
	Client   string      `json:"client"` // the client address the request came from
	Purpose  string      `json:"purpose"`
	PrevHash string      `json:"prev_hash"` // hex; empty for the first link
	Hash     string      `json:"hash"`      // hex
}

// AuditActor is who read or changed the data: staff ID and unit, never a name.
type AuditActor struct {
	County  string `json:"county"`
	Agency  string `json:"agency"`
	Role    string `json:"role"`
	Officer string `json:"officer,omitempty"`
}

// AuditAction is what was done with the personal data.
type AuditAction string

// Audit actions.
const (
	AuditRead   AuditAction = "read"   // shown unmasked
	AuditCreate AuditAction = "create" // recorded for the first time
	AuditChange AuditAction = "change" // changed
)

// EventType implements Payload.
func (AuditRecorded) EventType() string { return TypeAuditRecorded }
