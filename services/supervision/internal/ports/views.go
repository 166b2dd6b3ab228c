package ports

import (
	"fmt"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/services/supervision/internal/app"
	"fengqiao.dev/services/supervision/internal/casefile"
)

type rateView struct {
	Value       float64 `json:"value"`
	Numerator   int     `json:"numerator"`
	Denominator int     `json:"denominator"`
}

// targetRateView is a rate with the county's target (0–1; null when the
// county set none).
type targetRateView struct {
	Value       float64  `json:"value"`
	Numerator   int      `json:"numerator"`
	Denominator int      `json:"denominator"`
	Target      *float64 `json:"target"`
}

type meanView struct {
	Seconds float64 `json:"seconds"`
	Hours   float64 `json:"hours"`
	Count   int     `json:"count"`
}

type kpisView struct {
	CountyCode       string                 `json:"county_code"`
	Month            string                 `json:"month,omitempty"` // registrations of this month only
	AsOf             time.Time              `json:"as_of"`
	Registered       int                    `json:"registered"`
	Stages           map[casefile.Stage]int `json:"stages"`
	ResolutionRate   targetRateView         `json:"resolution_rate"`
	OnTimeRate       rateView               `json:"on_time_rate"`
	TimeToSign       meanView               `json:"time_to_sign"`
	RevisitRate      targetRateView         `json:"revisit_rate"`
	ReboundRate      rateView               `json:"rebound_rate"`
	SatisfactionRate rateView               `json:"satisfaction_rate"`
	TimeToSettle     meanView               `json:"time_to_settle"`
	// Amount is what the agreements in force owe, in fen and in yuan, in
	// all and by category.
	AmountFen        int64                     `json:"amount_fen"`
	AmountYuan       string                    `json:"amount_yuan"`
	AmountByCategory map[events.Category]int64 `json:"amount_fen_by_category"`
	// Overdue is the open disputes past a deadline now, and their case
	// codes by responsible unit.
	Overdue       int                 `json:"overdue"`
	OverdueByUnit map[string][]string `json:"overdue_by_unit"`
}

func kpisOf(county string, month *casefile.Month, k casefile.KPIs) kpisView {
	v := kpisView{
		CountyCode: county, AsOf: k.AsOf, Registered: k.Registered, Stages: k.Stages,
		ResolutionRate: withTarget(k.Resolution, k.Targets.Resolution), OnTimeRate: rateView(k.OnTime),
		TimeToSign: meanOf(k.TimeToSign), RevisitRate: withTarget(k.Revisit, k.Targets.Revisit),
		ReboundRate: rateView(k.Rebound), SatisfactionRate: rateView(k.Satisfaction), TimeToSettle: meanOf(k.TimeToSettle),
		AmountFen: k.AmountFen, AmountYuan: fmt.Sprintf("%d.%02d", k.AmountFen/100, k.AmountFen%100), AmountByCategory: k.AmountByCategory,
		Overdue: k.Overdue, OverdueByUnit: k.OverdueByUnit,
	}
	if month != nil {
		v.Month = month.String()
	}
	return v
}

func withTarget(r casefile.Rate, target float64) targetRateView {
	v := targetRateView{Value: r.Value, Numerator: r.Numerator, Denominator: r.Denominator}
	if target > 0 {
		v.Target = &target
	}
	return v
}

func meanOf(m casefile.Mean) meanView {
	return meanView{Seconds: m.Seconds, Hours: m.Seconds / 3600, Count: m.Count}
}

type handoffView struct {
	EventID string        `json:"event_id"`
	Type    string        `json:"type"`
	Label   string        `json:"label"` // the step in Chinese, for people
	From    events.Agency `json:"from"`
	To      events.Agency `json:"to"`
	At      millis        `json:"at"`
	Copy    events.Copy   `json:"copy,omitempty"`
	Round   int           `json:"round"`
	Note    string        `json:"note"`
	TraceID string        `json:"trace_id,omitempty"`
}

type timelineView struct {
	DisputeID  string         `json:"dispute_id"`
	CaseCode   string         `json:"case_code"`
	CountyCode string         `json:"county_code"`
	Stage      casefile.Stage `json:"stage"`
	Round      int            `json:"round"`
	Handoffs   []handoffView  `json:"handoffs"`
}

// stageView is where one dispute stands and, when it owes anything, its
// next deadline and what it is (the daily ledger's words).
type stageView struct {
	DisputeID    string         `json:"dispute_id"`
	CaseCode     string         `json:"case_code"`
	Stage        casefile.Stage `json:"stage"`
	Round        int            `json:"round"`
	NextDeadline *deadlineView  `json:"next_deadline,omitempty"`
}

type deadlineView struct {
	What  string `json:"what"`
	DueBy millis `json:"due_by"`
}

func stageOf(s app.DisputeStage) stageView {
	v := stageView{DisputeID: s.CaseFile.DisputeID, CaseCode: s.CaseFile.CaseCode, Stage: s.CaseFile.Stage(), Round: s.CaseFile.Round}
	if s.Next != nil {
		v.NextDeadline = &deadlineView{What: s.Next.What, DueBy: millis(s.Next.DueBy)}
	}
	return v
}

// timelineOf lists the handoffs in the case file's order: by time, each
// unit an event named only by its ID named by names.
func timelineOf(cf casefile.CaseFile, names casefile.UnitNames) timelineView {
	v := timelineView{
		DisputeID: cf.DisputeID, CaseCode: cf.CaseCode, CountyCode: cf.CountyCode,
		Stage: cf.Stage(), Round: cf.Round, Handoffs: []handoffView{},
	}
	for _, e := range cf.Timeline {
		v.Handoffs = append(v.Handoffs, handoffView{
			EventID: e.EventID, Type: e.Type, Label: e.Label(), From: e.From, To: e.To, At: millis(e.At.UTC()),
			Copy: e.Copy, Round: e.Round, Note: e.NoteNamed(names), TraceID: e.TraceID,
		})
	}
	return v
}

// millis is a time written with exactly three decimals ("…05.210Z"): the
// store keeps milliseconds, and a fixed width makes the timeline's times
// sort as strings too (RFC 3339 with trailing zeros trimmed does not:
// "…26.212Z" < "…26.21Z").
type millis time.Time

// MarshalJSON writes the time with millisecond precision.
func (m millis) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(m).UTC().Format("2006-01-02T15:04:05.000Z07:00") + `"`), nil
}

// countyLineView is one county's figures in its prefecture's or
// province's.
type countyLineView struct {
	CountyCode     string         `json:"county_code"`
	Registered     int            `json:"registered"`
	ResolutionRate targetRateView `json:"resolution_rate"`
	OnTimeRate     rateView       `json:"on_time_rate"`
	RevisitRate    targetRateView `json:"revisit_rate"`
	Overdue        int            `json:"overdue"`
}

// areaKPIsView is a prefecture's or province's figures: the KPIs of all
// its counties together (overdue_by_unit stays empty: units are a
// county's), and county by county.
type areaKPIsView struct {
	kpisView
	Level    string           `json:"level"`
	Code     string           `json:"code"`
	Counties []countyLineView `json:"counties"`
}

func areaKPIsOf(kind areaKind, code string, month *casefile.Month, total casefile.KPIs, counties []app.CountyInArea) areaKPIsView {
	v := areaKPIsView{kpisView: kpisOf("", month, total), Level: kind.name, Code: code, Counties: []countyLineView{}}
	for _, c := range counties {
		v.Counties = append(v.Counties, countyLineView{
			CountyCode: c.CountyCode, Registered: c.KPIs.Registered,
			ResolutionRate: withTarget(c.KPIs.Resolution, c.KPIs.Targets.Resolution), OnTimeRate: rateView(c.KPIs.OnTime),
			RevisitRate: withTarget(c.KPIs.Revisit, c.KPIs.Targets.Revisit), Overdue: c.KPIs.Overdue,
		})
	}
	return v
}
