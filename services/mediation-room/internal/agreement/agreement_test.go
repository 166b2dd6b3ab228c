package agreement

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

var (
	t0     = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	pay    = Obligation{Obligor: events.PartyRespondent, Duty: "赔偿医药费", AmountFen: 200000, Manner: "银行转账", Place: "城关司法所", Deadline: t0.Add(7 * 24 * time.Hour)}
	wall   = Obligation{Obligor: events.PartyApplicant, Duty: "拆除越界院墙", Manner: "自行拆除", Place: "本村", Deadline: t0.Add(14 * 24 * time.Hour)}
	signed = []Signature{{Signer: "applicant", SignedAt: t0}, {Signer: "respondent", SignedAt: t0}}
)

func TestValidate(t *testing.T) {
	with := func(mod func(*Obligation)) []Obligation { o := pay; mod(&o); return []Obligation{o} }
	for _, tc := range []struct {
		name    string
		a       Agreement
		pointer string
	}{
		{"free-text terms, as before", Agreement{Summary: "s", Terms: []string{"t"}}, ""},
		{"obligations, signed", Agreement{Summary: "s", Obligations: []Obligation{pay, wall}, Signatures: signed}, ""},
		{"no summary", Agreement{Terms: []string{"t"}}, "#/agreement/summary"},
		{"no term at all", Agreement{Summary: "s"}, "#/agreement/terms"},
		{"an empty term", Agreement{Summary: "s", Terms: []string{" "}}, "#/agreement/terms/0"},
		{"obligations unsigned by the respondent", Agreement{Summary: "s", Obligations: []Obligation{pay}, Signatures: signed[:1]}, "#/agreement/signatures"},
		{"unknown obligor", Agreement{Summary: "s", Obligations: with(func(o *Obligation) { o.Obligor = "mediator" }), Signatures: signed}, "#/agreement/obligations/0/obligor"},
		{"no duty", Agreement{Summary: "s", Obligations: with(func(o *Obligation) { o.Duty = "" }), Signatures: signed}, "#/agreement/obligations/0/duty"},
		{"negative amount", Agreement{Summary: "s", Obligations: with(func(o *Obligation) { o.AmountFen = -1 }), Signatures: signed}, "#/agreement/obligations/0/amount_fen"},
		{"no manner", Agreement{Summary: "s", Obligations: with(func(o *Obligation) { o.Manner = "" }), Signatures: signed}, "#/agreement/obligations/0/manner"},
		{"no place", Agreement{Summary: "s", Obligations: with(func(o *Obligation) { o.Place = "" }), Signatures: signed}, "#/agreement/obligations/0/place"},
		{"no deadline", Agreement{Summary: "s", Obligations: with(func(o *Obligation) { o.Deadline = time.Time{} }), Signatures: signed}, "#/agreement/obligations/0/deadline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.a.Validate()
			var fe FieldError
			if tc.pointer == "" && err != nil || tc.pointer != "" && (!errors.As(err, &fe) || fe.Pointer != tc.pointer) {
				t.Fatalf("Validate() = %v, want field %q", err, tc.pointer)
			}
		})
	}
}

func TestRenderAndPublish(t *testing.T) {
	a := Agreement{Summary: "邻里因院墙纠纷达成和解", Terms: []string{"双方互不追究"}, Obligations: []Obligation{pay}, Signatures: signed}
	text, err := Render(Header{CaseCode: "LX-1", MediationID: "d-1.r1.m1", Room: "room-1", Tier: 2, SignedAt: t0}, a)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"人民调解协议书", "LX-1", "第 2 级调解", "双方互不追究", "赔偿医药费", "2000.00 元", "被申请人应", "银行转账", "城关司法所", "2026年11月30日前", "签字: 被申请人"} {
		if !strings.Contains(text, want) {
			t.Errorf("agreement text lacks %q:\n%s", want, text)
		}
	}
	if pub := a.Published(); pub.TermCount != 2 || pub.AmountFen != pay.AmountFen {
		t.Fatalf("published %+v, want 2 terms, the amount owed and no text", pub)
	}
}

func TestPerformance(t *testing.T) {
	if Track(Agreement{Summary: "s", Terms: []string{"t"}}) != nil {
		t.Fatal("free-text terms have nothing to track")
	}
	p := Track(Agreement{Obligations: []Obligation{pay, wall}})
	if got := p.Overdue(t0.Add(8 * 24 * time.Hour)); len(got) != 1 || got[0] != 1 {
		t.Fatalf("overdue after 8 days %v, want [1]", got)
	}
	for _, tc := range []struct {
		name      string
		term      int
		performed bool
		status    Status
		err       error
	}{
		{"performed", 1, true, Performed, nil},
		{"recorded twice", 1, false, "", ErrRecorded},
		{"no such term", 3, true, "", ErrNoSuchTerm},
		{"missed", 2, false, Missed, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.Record(tc.term, tc.performed, "", t0)
			if !errors.Is(err, tc.err) || got.Status != tc.status {
				t.Fatalf("Record = %+v, %v; want %s, %v", got, err, tc.status, tc.err)
			}
		})
	}
	if p.Open() || len(p.Overdue(t0.Add(30*24*time.Hour))) != 0 {
		t.Fatal("every term is recorded: nothing open, nothing overdue")
	}
}
