package console

import (
	"time"

	"fengqiao.dev/api/fengqiaoapi"
)

// The pages' view of the services' answers: built from the generated
// client's typed values (the …Of functions), with what a page needs of an
// optional field already resolved, so the templates compare plain values.

type agencyRef struct {
	Kind string
	ID   string
	Name string
}

type place struct {
	CountyCode   string
	TownshipCode string
	VillageCode  string
	Grid         string
}

type party struct {
	Role     string
	Name     string
	IDNumber string
	Phone    string
}

type dispute struct {
	ID              string
	CaseCode        string
	CountyCode      string
	Round           int
	Status          string
	Channel         string
	ExternalRef     string
	Place           place
	Address         string
	Category        string
	Subcategory     string
	RiskLevel       string
	Parties         []party
	Summary         string
	Narrative       string
	RecordedBy      agencyRef
	RegisteredAt    time.Time
	SecondHandledAt *time.Time
	Withheld        []string
}

type slipCopy struct {
	Copy       string
	Recipient  agencyRef
	AcceptBy   time.Time
	AcceptedAt *time.Time
	AcceptedBy string
	Level      string
	Warned     []int
	Returns    int
	Backstop   bool
	Paused     *pause
}

// pause is why and since when a copy's clock is paused.
type pause struct {
	Reason string
	Since  time.Time
}

type slip struct {
	ID        string
	DisputeID string
	CaseCode  string
	Round     int
	Category  string
	RiskLevel string
	Place     place
	IssuedBy  agencyRef
	IssuedAt  time.Time
	Copies    []slipCopy
}

type handoff struct {
	Type  string
	Label string
	From  agencyRef
	To    agencyRef
	At    time.Time
	Copy  string
	Round int
	// Note says what happened in Chinese, with the units' names
	// (supervision writes it for people).
	Note string
}

type timeline struct {
	DisputeID string
	CaseCode  string
	Stage     string
	Round     int
	Handoffs  []handoff
}

// jurisdiction is intake's GET /v1/jurisdiction: the county's tree and
// agencies, the names every page shows instead of codes.
type jurisdiction struct {
	County    struct{ Code, Name string }
	Townships []township
	Agencies  []struct{ ID, Name, Kind string }
	// Rooms are named like agencies: a mediation's handoffs name its room.
	Rooms []struct{ ID, Name string }
}

type township struct {
	ID, Code, Name string
	Villages       []struct{ ID, Code, Name string }
}

func jurisdictionOf(j fengqiaoapi.Jurisdiction) jurisdiction {
	var out jurisdiction
	out.County.Code, out.County.Name = j.County.Code, j.County.Name
	for _, tw := range j.Townships {
		t := township{ID: tw.Id, Code: deref(tw.Code), Name: tw.Name}
		for _, v := range deref(tw.Villages) {
			t.Villages = append(t.Villages, struct{ ID, Code, Name string }{v.Id, deref(v.Code), v.Name})
		}
		out.Townships = append(out.Townships, t)
	}
	for _, a := range j.Agencies {
		out.Agencies = append(out.Agencies, struct{ ID, Name, Kind string }{a.Id, a.Name, a.Kind})
	}
	for _, r := range j.Rooms {
		out.Rooms = append(out.Rooms, struct{ ID, Name string }{r.Id, r.Name})
	}
	return out
}

// taxonomy is intake's GET /v1/categories.
type taxonomy struct {
	Version    string
	Categories []categoryNode
}

type categoryNode struct {
	Code, Label string
	Children    []categoryNode
}

func taxonomyOf(t fengqiaoapi.Taxonomy) taxonomy {
	var nodes func([]fengqiaoapi.CategoryNode) []categoryNode
	nodes = func(in []fengqiaoapi.CategoryNode) []categoryNode {
		var out []categoryNode
		for _, n := range in {
			out = append(out, categoryNode{Code: n.Code, Label: n.Label, Children: nodes(deref(n.Children))})
		}
		return out
	}
	return taxonomy{Version: t.Version, Categories: nodes(t.Categories)}
}

func agencyOf(a fengqiaoapi.Agency) agencyRef {
	return agencyRef{Kind: deref(a.Kind), ID: deref(a.Id), Name: deref(a.Name)}
}

func disputeOf(d fengqiaoapi.Dispute) dispute {
	out := dispute{
		ID: d.Id, CaseCode: d.CaseCode, CountyCode: d.CountyCode, Round: d.Round, Status: d.Status, Channel: d.Channel,
		ExternalRef: deref(d.ExternalRef), Address: deref(d.Address), Category: d.Category, Subcategory: deref(d.Subcategory),
		RiskLevel: string(d.RiskLevel), Summary: d.Summary, Narrative: d.Narrative, RecordedBy: agencyOf(d.RecordedBy),
		RegisteredAt: d.RegisteredAt, SecondHandledAt: d.SecondHandledAt, Withheld: deref(d.Withheld),
		Place: placeOf(d.Place),
	}
	for _, p := range d.Parties {
		out.Parties = append(out.Parties, party{Role: p.Role, Name: p.Name, IDNumber: deref(p.IdNumber), Phone: deref(p.Phone)})
	}
	return out
}

func placeOf(p fengqiaoapi.DisputePlace) place {
	return place{CountyCode: p.CountyCode, TownshipCode: deref(p.TownshipCode), VillageCode: deref(p.VillageCode), Grid: deref(p.Grid)}
}

func copyOf(c fengqiaoapi.Copy) slipCopy {
	out := slipCopy{Copy: c.Copy, Recipient: agencyOf(c.Recipient), AcceptBy: c.AcceptBy, AcceptedAt: c.AcceptedAt,
		AcceptedBy: deref(c.AcceptedBy), Level: c.Level, Warned: deref(c.Warned), Returns: c.Returns, Backstop: c.Backstop}
	if p := c.Paused; p != nil {
		out.Paused = &pause{Reason: p.Reason, Since: p.Since}
	}
	return out
}

func slipOf(s fengqiaoapi.Slip) slip {
	out := slip{ID: s.Id, DisputeID: s.DisputeId, CaseCode: s.CaseCode, Round: s.Round, Category: s.Category,
		RiskLevel: string(s.RiskLevel), Place: placeOf(s.Place), IssuedBy: agencyOf(s.IssuedBy), IssuedAt: s.IssuedAt}
	for _, c := range s.Copies {
		out.Copies = append(out.Copies, copyOf(c))
	}
	return out
}

func slipsOf(ss []fengqiaoapi.Slip) []slip {
	var out []slip
	for _, s := range ss {
		out = append(out, slipOf(s))
	}
	return out
}

func revisitOf(r fengqiaoapi.Revisit) revisit {
	return revisit{ID: r.Id, DisputeID: r.DisputeId, Round: r.Round, Kind: deref(r.Kind), Category: r.Category,
		RiskLevel: string(r.RiskLevel), Revisitor: agencyOf(r.Revisitor), Officer: deref(r.Officer), SettledBy: agencyOf(r.SettledBy),
		Channel: r.Channel, Status: r.Status, SettledAt: r.SettledAt, DueBy: r.DueBy, Attempts: r.Attempts,
		MaxAttempts: r.MaxAttempts, Escalated: deref(r.Escalated), CompletedAt: r.CompletedAt, Outcome: deref(r.Outcome),
		Satisfaction: deref(r.Satisfaction), Note: deref(r.Note)}
}

func revisitsOf(rs []fengqiaoapi.Revisit) []revisit {
	var out []revisit
	for _, r := range rs {
		out = append(out, revisitOf(r))
	}
	return out
}

func timelineOf(t fengqiaoapi.Timeline) timeline {
	out := timeline{DisputeID: t.DisputeId, CaseCode: t.CaseCode, Stage: t.Stage, Round: t.Round}
	for _, h := range t.Handoffs {
		out.Handoffs = append(out.Handoffs, handoff{Type: h.Type, Label: h.Label, From: agencyOf(h.From), To: agencyOf(h.To),
			At: h.At, Copy: deref(h.Copy), Round: h.Round, Note: h.Note})
	}
	return out
}

func ledgerOf(l fengqiaoapi.Ledger) ledger {
	items := func(in []fengqiaoapi.LedgerItem) []ledgerItem {
		var out []ledgerItem
		for _, it := range in {
			out = append(out, ledgerItem{DisputeID: it.DisputeId, CaseCode: it.CaseCode, What: it.What,
				DueBy: deref(it.DueBy), At: deref(it.At)})
		}
		return out
	}
	lines := func(in []fengqiaoapi.LedgerLine) []ledgerLine {
		var out []ledgerLine
		for _, ln := range in {
			out = append(out, ledgerLine{Key: ln.Key, DueToday: items(ln.DueToday), Overdue: items(ln.Overdue), Closed: items(ln.Closed),
				OverdueCount: max(ln.OverdueCount, len(ln.Overdue))})
		}
		return out
	}
	return ledger{Day: l.Day, AsOf: l.AsOf, Units: lines(l.Units), Officers: lines(l.Officers)}
}
