// Package audit keeps the audit trail of personal data: every read or
// change of a case's personal fields becomes a record naming who, when,
// which case, which fields, from which client and why — never the data
// itself — appended to a hash chain, one chain per service and county.
//
// Each record carries the hash of the one before it, and its own hash
// covers that, so a record removed from the middle, edited, or inserted
// breaks every later link; a head document per chain holds the newest
// sequence number and hash, so removing the newest records is noticed too.
// The chain logic here (Link, Verify) is pure; Store keeps the records and
// heads in MongoDB and publishes every record through the outbox on
// events.TopicAudit for the province's SIEM.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"fengqiao.dev/api/events"
)

// Record is one link of a chain. It is the event published on
// events.TopicAudit as it is: what the SIEM receives is what was hashed.
type Record = events.AuditRecorded

// Entry is what a service reports; Link makes it a Record.
type Entry struct {
	County  string // the case's county: it picks the chain
	CaseID  string
	Actor   events.AuditActor
	Action  events.AuditAction
	Fields  []string // JSON pointers of the personal fields read or changed
	Client  string
	Purpose string
	At      time.Time
}

// Head is the end of a chain: the newest record's position and hash. The
// zero Head is an empty chain.
type Head struct {
	Seq  int64  `bson:"seq" json:"seq"`
	Hash string `bson:"hash" json:"hash"`
}

// ChainID names the chain of a service's records about one county's cases.
func ChainID(service, county string) string { return service + "." + county }

// Link makes e the next record of chain after head, and returns it with the
// chain's new head.
func Link(chain string, head Head, e Entry) (Record, Head) {
	fields := e.Fields
	if fields == nil {
		fields = []string{}
	}
	r := Record{
		Subject: events.Subject{DisputeID: e.CaseID, CountyCode: e.County},
		Chain:   chain, Seq: head.Seq + 1, At: e.At.UTC().Truncate(time.Millisecond),
		Actor: e.Actor, Action: e.Action, Fields: fields, Client: e.Client, Purpose: e.Purpose,
		PrevHash: head.Hash,
	}
	r.Hash = HashOf(r)
	return r, Head{Seq: r.Seq, Hash: r.Hash}
}

// HashOf is the SHA-256, in hex, of r's canonical form: its JSON encoding
// (fields in declaration order, times in UTC to the millisecond, the order
// the store keeps) with Hash left empty. It covers PrevHash, which is what
// chains the records.
func HashOf(r Record) string {
	r.Hash = ""
	r.At = r.At.UTC()
	b, err := json.Marshal(r)
	if err != nil {
		// A Record holds only strings, integers, a time and a slice of
		// strings: encoding it cannot fail.
		panic(fmt.Sprintf("cannot encode an audit record: %v", err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Errors Verify reports, wrapped with where the chain broke.
var (
	ErrEdited    = errors.New("a record does not match its hash")
	ErrBroken    = errors.New("a record does not follow the one before it")
	ErrTruncated = errors.New("the chain ends before its head")
)

// Verify checks records, the whole of one chain in sequence order, against
// the chain's head: every record's hash is its content's, every record
// carries the hash of the one before, the sequence runs 1, 2, 3, ... without
// a gap, and the last record is the head. It reports the first break.
func Verify(chain string, records []Record, head Head) error {
	prev := Head{}
	for _, r := range records {
		if r.Chain != chain {
			return fmt.Errorf("record %d belongs to chain %q: %w", r.Seq, r.Chain, ErrBroken)
		}
		if r.Hash != HashOf(r) {
			return fmt.Errorf("record %d of %s: %w", r.Seq, chain, ErrEdited)
		}
		if r.Seq != prev.Seq+1 || r.PrevHash != prev.Hash {
			return fmt.Errorf("record %d of %s after record %d: %w", r.Seq, chain, prev.Seq, ErrBroken)
		}
		prev = Head{Seq: r.Seq, Hash: r.Hash}
	}
	if prev != head {
		return fmt.Errorf("%s ends at record %d, its head at %d: %w", chain, prev.Seq, head.Seq, ErrTruncated)
	}
	return nil
}

// isChainError reports whether err is a break Verify found, rather than a
// failure to read the chain.
func isChainError(err error) bool {
	return errors.Is(err, ErrEdited) || errors.Is(err, ErrBroken) || errors.Is(err, ErrTruncated)
}
