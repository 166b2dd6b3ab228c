// Package agreement holds the mediation agreement (调解协议): its terms —
// who must do what, how much, in what manner, where and by when — and the
// parties' signatures, the text rendered from a template, and the tracking
// of its performance (履约): a missed term reopens the case. Plain
// Go, no I/O.
package agreement

import (
	"fmt"
	"strings"
	"time"

	"fengqiao.dev/api/events"
)

// FieldError names the request field at fault, as a JSON pointer.
type FieldError struct{ Pointer, Detail string }

func (e FieldError) Error() string { return e.Pointer + ": " + e.Detail }

// Obligation is one performable term of the agreement.
type Obligation struct {
	Obligor   events.PartyRole // who must perform
	Duty      string           // what, e.g. 拆除越界院墙
	AmountFen int64            // money, in fen (分)
	Manner    string           // e.g. 银行转账, 一次性支付
	Place     string           // where it is performed
	Deadline  time.Time
}

// Signature is a party's (or the mediator's) signature, by role only: the
// signed paper with names stays with the room.
type Signature struct {
	Signer   string // applicant, respondent, third_party, mediator
	SignedAt time.Time
}

// Agreement is the settled agreement. Terms are free-text terms (the form
// the first API took); Obligations are the performable ones.
type Agreement struct {
	Summary     string
	Terms       []string
	Obligations []Obligation
	Signatures  []Signature
	Text        string // rendered at signing
}

// Validate checks an agreement: a summary, at least one term, every
// obligation complete, and — once there are obligations to perform — the
// signatures of applicant and respondent, for an unsigned obligation cannot
// be held against anyone.
func (a Agreement) Validate() error {
	if strings.TrimSpace(a.Summary) == "" {
		return FieldError{"#/agreement/summary", "a resolution needs the agreement's summary"}
	}
	if len(a.Terms) == 0 && len(a.Obligations) == 0 {
		return FieldError{"#/agreement/terms", "a resolution needs at least one agreed term"}
	}
	for i, t := range a.Terms {
		if strings.TrimSpace(t) == "" {
			return FieldError{fmt.Sprintf("#/agreement/terms/%d", i), "a term cannot be empty"}
		}
	}
	for i, o := range a.Obligations {
		if err := o.validate(fmt.Sprintf("#/agreement/obligations/%d", i)); err != nil {
			return err
		}
	}
	if len(a.Obligations) > 0 {
		for _, role := range []string{string(events.PartyApplicant), string(events.PartyRespondent)} {
			if !a.signedBy(role) {
				return FieldError{"#/agreement/signatures", "the agreement needs the signature of the " + role}
			}
		}
	}
	return nil
}

func (o Obligation) validate(at string) error {
	switch {
	case o.Obligor != events.PartyApplicant && o.Obligor != events.PartyRespondent && o.Obligor != events.PartyThird:
		return FieldError{at + "/obligor", "must be applicant, respondent or third_party"}
	case strings.TrimSpace(o.Duty) == "":
		return FieldError{at + "/duty", "say what must be done"}
	case o.AmountFen < 0:
		return FieldError{at + "/amount_fen", "cannot be negative"}
	case strings.TrimSpace(o.Manner) == "":
		return FieldError{at + "/manner", "say how it is performed"}
	case strings.TrimSpace(o.Place) == "":
		return FieldError{at + "/place", "say where it is performed"}
	case o.Deadline.IsZero():
		return FieldError{at + "/deadline", "say by when it is performed"}
	}
	return nil
}

func (a Agreement) signedBy(role string) bool {
	for _, s := range a.Signatures {
		if s.Signer == role {
			return true
		}
	}
	return false
}

// Published is the agreement as events carry it: how many terms and
// obligations it has and the total they owe in money, and no text, for its
// text names people (docs/privacy.md); the roles that need it read it
// through the API.
func (a Agreement) Published() events.Agreement {
	var total int64
	for _, o := range a.Obligations {
		total += o.AmountFen
	}
	return events.Agreement{TermCount: len(a.Terms) + len(a.Obligations), AmountFen: total}
}

// TextFields lists the agreement's free text, each with a name that binds
// it to its place in the record when sealed at rest.
func (a *Agreement) TextFields() map[string]*string {
	f := map[string]*string{"summary": &a.Summary, "text": &a.Text}
	for i := range a.Terms {
		f[fmt.Sprintf("terms/%d", i)] = &a.Terms[i]
	}
	for i := range a.Obligations {
		o := &a.Obligations[i]
		f[fmt.Sprintf("obligations/%d/duty", i)], f[fmt.Sprintf("obligations/%d/place", i)] = &o.Duty, &o.Place
	}
	return f
}

// Line writes an obligation as one line of the agreement.
func (o Obligation) Line() string {
	s := fmt.Sprintf("%s应%s", RoleName(string(o.Obligor)), o.Duty)
	if o.AmountFen > 0 {
		s += fmt.Sprintf("，金额 %s", Yuan(o.AmountFen))
	}
	return s + fmt.Sprintf("，%s，地点 %s，%s前", o.Manner, o.Place, o.Deadline.In(cst).Format("2006年01月02日"))
}

// Yuan formats an amount in fen as yuan (元).
func Yuan(fen int64) string { return fmt.Sprintf("%d.%02d 元", fen/100, fen%100) }

// roleNames are the parties' and signers' roles as the agreement names
// them: the paper is read by the parties, in Chinese.
var roleNames = map[string]string{
	"applicant": "申请人", "respondent": "被申请人", "third_party": "第三人", "mediator": "调解员",
}

// RoleName is a role in the agreement's words; an unknown one as given.
func RoleName(role string) string {
	if n, ok := roleNames[role]; ok {
		return n
	}
	return role
}

var cst = time.FixedZone("CST", 8*3600)
