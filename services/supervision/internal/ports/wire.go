package ports

import (
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/supervision/internal/actions"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// The wire types of the domain's answers: the JSON the API writes is
// theirs, so the domain's types carry no tags and can change without
// moving what clients read (testdata holds that JSON, and pkg/openapi
// describes it).

// supervisedView is the committee's actions on a dispute.
type supervisedView struct {
	DisputeID  string     `json:"dispute_id"`
	CountyCode string     `json:"county_code"`
	Urges      []urgeView `json:"urges"`
	Watched    bool       `json:"watched"`
	WatchedBy  string     `json:"watched_by,omitempty"`
	WatchedAt  *time.Time `json:"watched_at,omitempty"`
}

// urgeView is one urge with its read receipt.
type urgeView struct {
	ID      string     `json:"id"`
	Comment string     `json:"comment"`
	By      string     `json:"by"`
	At      time.Time  `json:"at"`
	ReadBy  string     `json:"read_by,omitempty"`
	ReadAt  *time.Time `json:"read_at,omitempty"`
}

func supervisedOf(s actions.Supervised) supervisedView {
	return supervisedView{DisputeID: s.DisputeID, CountyCode: s.CountyCode, Urges: mapping.Slice(s.Urges, urgeOf),
		Watched: s.Watched, WatchedBy: s.WatchedBy, WatchedAt: s.WatchedAt}
}

func urgeOf(u actions.Urge) urgeView {
	return urgeView{ID: u.ID, Comment: u.Comment, By: u.By, At: u.At, ReadBy: u.ReadBy, ReadAt: u.ReadAt}
}

// unstaffedView is an open mediation with a seat nobody could fill.
type unstaffedView struct {
	DisputeID string        `json:"dispute_id"`
	CaseCode  string        `json:"case_code"`
	Round     int           `json:"round"`
	Tier      int           `json:"tier"`
	Room      events.Agency `json:"room"`
	Since     time.Time     `json:"since"`
}

func unstaffedOf(u casefile.UnstaffedMediation) unstaffedView {
	return unstaffedView{DisputeID: u.DisputeID, CaseCode: u.CaseCode, Round: u.Round, Tier: u.Tier, Room: u.Room, Since: u.Since}
}

// ledgerView is a county's daily ledger (日清日结).
type ledgerView struct {
	Day      string           `json:"day"`
	AsOf     time.Time        `json:"as_of"`
	Units    []ledgerLineView `json:"units"`
	Officers []ledgerLineView `json:"officers"`
}

type ledgerLineView struct {
	Key          string           `json:"key"`
	DueToday     []ledgerItemView `json:"due_today"`
	Overdue      []ledgerItemView `json:"overdue"`
	Closed       []ledgerItemView `json:"closed"`
	OverdueCount int              `json:"overdue_count"`
}

type ledgerItemView struct {
	DisputeID string    `json:"dispute_id"`
	CaseCode  string    `json:"case_code"`
	What      string    `json:"what"`
	DueBy     time.Time `json:"due_by,omitzero"`
	At        time.Time `json:"at,omitzero"`
}

func ledgerOf(l casefile.Ledger) ledgerView {
	return ledgerView{Day: l.Day, AsOf: l.AsOf, Units: mapping.Slice(l.Units, ledgerLineOf), Officers: mapping.Slice(l.Officers, ledgerLineOf)}
}

func ledgerLineOf(l casefile.LedgerLine) ledgerLineView {
	return ledgerLineView{Key: l.Key, DueToday: mapping.Slice(l.DueToday, ledgerItemOf), Overdue: mapping.Slice(l.Overdue, ledgerItemOf),
		Closed: mapping.Slice(l.Closed, ledgerItemOf), OverdueCount: l.OverdueCount}
}

func ledgerItemOf(i casefile.LedgerItem) ledgerItemView {
	return ledgerItemView{DisputeID: i.DisputeID, CaseCode: i.CaseCode, What: i.What, DueBy: i.DueBy, At: i.At}
}

// ledgerCountsView is how many things a county's (or unit's) ledger holds,
// in a prefecture's or province's.
type ledgerCountsView struct {
	Key      string             `json:"key"`
	DueToday int                `json:"due_today"`
	Overdue  int                `json:"overdue"`
	Closed   int                `json:"closed"`
	Units    []ledgerCountsView `json:"units,omitempty"`
}

func ledgerCountsOf(c casefile.LedgerCounts) ledgerCountsView {
	return ledgerCountsView{Key: c.Key, DueToday: c.DueToday, Overdue: c.Overdue, Closed: c.Closed, Units: mapping.Slice(c.Units, ledgerCountsOf)}
}

// overdueItemView is one obligation past its due time.
type overdueItemView struct {
	CountyCode string    `json:"county_code"`
	Unit       string    `json:"unit"`
	Officer    string    `json:"officer,omitempty"`
	DisputeID  string    `json:"dispute_id"`
	CaseCode   string    `json:"case_code"`
	What       string    `json:"what"`
	DueBy      time.Time `json:"due_by"`
}

func overdueItemOf(i casefile.OverdueItem) overdueItemView {
	return overdueItemView{CountyCode: i.CountyCode, Unit: i.Unit, Officer: i.Officer, DisputeID: i.DisputeID,
		CaseCode: i.CaseCode, What: i.What, DueBy: i.DueBy}
}

// warningView is the warning index of one area in one month.
type warningView struct {
	Level         string          `json:"level"`
	Area          string          `json:"area"`
	Month         string          `json:"month"`
	Registered    int             `json:"registered"`
	Score         int             `json:"score"`
	Colour        string          `json:"colour"`
	Components    []componentView `json:"components"`
	Reasons       []string        `json:"reasons"`
	PreviousScore int             `json:"previous_score"`
	PreviousColor string          `json:"previous_colour"`
	Change        int             `json:"change"`
}

// componentView is one term of a warning's score.
type componentView struct {
	Name   string  `json:"name"`
	Count  int     `json:"count"`
	Ratio  float64 `json:"ratio"`
	Weight int     `json:"weight"`
	Points float64 `json:"points"`
}

func warningOf(w casefile.Warning) warningView {
	return warningView{Level: string(w.Level), Area: w.Area, Month: w.Month, Registered: w.Registered, Score: w.Score,
		Colour: w.Colour, Components: mapping.Slice(w.Components, componentOf), Reasons: w.Reasons,
		PreviousScore: w.PreviousScore, PreviousColor: w.PreviousColor, Change: w.Change}
}

func componentOf(c casefile.Component) componentView {
	return componentView{Name: c.Name, Count: c.Count, Ratio: c.Ratio, Weight: c.Weight, Points: c.Points}
}
