package ports

import (
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/services/supervision/internal/casefile"
)

type rateView struct {
	Value       float64 `json:"value"`
	Numerator   int     `json:"numerator"`
	Denominator int     `json:"denominator"`
}

type kpisView struct {
	CountyCode     string                 `json:"county_code"`
	AsOf           time.Time              `json:"as_of"`
	Registered     int                    `json:"registered"`
	Stages         map[casefile.Stage]int `json:"stages"`
	ResolutionRate rateView               `json:"resolution_rate"`
	RevisitRate    rateView               `json:"revisit_rate"`
}

func kpisOf(county string, k casefile.KPIs) kpisView {
	return kpisView{
		CountyCode: county, AsOf: k.AsOf, Registered: k.Registered, Stages: k.Stages,
		ResolutionRate: rateView(k.Resolution), RevisitRate: rateView(k.Revisit),
	}
}

type handoffView struct {
	EventID string        `json:"event_id"`
	Type    string        `json:"type"`
	From    events.Agency `json:"from"`
	To      events.Agency `json:"to"`
	At      time.Time     `json:"at"`
	Copy    events.Copy   `json:"copy,omitempty"`
	Round   int           `json:"round"`
	Note    string        `json:"note"`
}

type timelineView struct {
	DisputeID  string         `json:"dispute_id"`
	CaseCode   string         `json:"case_code"`
	CountyCode string         `json:"county_code"`
	Stage      casefile.Stage `json:"stage"`
	Round      int            `json:"round"`
	Handoffs   []handoffView  `json:"handoffs"`
}

// timelineOf lists the handoffs in the case file's order: by time.
func timelineOf(cf casefile.CaseFile) timelineView {
	v := timelineView{
		DisputeID: cf.DisputeID, CaseCode: cf.CaseCode, CountyCode: cf.CountyCode,
		Stage: cf.Stage(), Round: cf.Round, Handoffs: make([]handoffView, len(cf.Timeline)),
	}
	for i, e := range cf.Timeline {
		v.Handoffs[i] = handoffView{
			EventID: e.EventID, Type: e.Type, From: e.From, To: e.To, At: e.At.UTC(),
			Copy: e.Copy, Round: e.Round, Note: e.Note,
		}
	}
	return v
}
