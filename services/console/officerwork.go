package console

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// The officer's station: its open cases with where each stands in the loop
// and its next deadline, and the 二次处置 alerts — the station's disputes
// reopened by a rebound or a missed agreement term, which the station must
// handle again.

// caseRow is one of the station's disputes with its stage and next
// deadline, read from supervision, referral and revisit.
type caseRow struct {
	dispute
	Stage string
	// Deadline is the next deadline the case waits on, DeadlineOf what it
	// is (a copy's signature, a revisit); zero when none is running.
	Deadline   time.Time
	DeadlineOf string
}

// casesPage is the station's cases in a state, and its alerts.
type casesPage struct {
	queuePage[caseRow]
	State  string
	Alerts []caseRow
}

// caseStates are the lists the page offers: the open first round, the
// reopened (二次处置) and the closed.
var caseStates = []choice{{"registered", "办理中"}, {"reopened", "二次处置"}, {"closed", "已办结"}}

// caseLookups bounds the calls a page makes at once for its rows' stages
// and deadlines.
const caseLookups = 8

// cases is the officer's station's disputes in a state (open unless asked)
// with each one's stage and next deadline, and the station's reopened
// disputes as alerts above them.
func (s *Console) cases(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	state := c.QueryParam("state")
	if choiceName(caseStates, state) == state {
		state = "registered"
	}
	list, err := s.stationDisputes(ctx, u, u.Agency, state, c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	p := casesPage{State: state}
	p.Total, p.NextCursor, p.Unavailable = list.Total, list.NextCursor, list.Unavailable
	p.Items = s.withStages(ctx, u, list.Items)
	if state != "reopened" && !list.Unavailable {
		reopened, err := s.stationDisputes(ctx, u, u.Agency, "reopened", "")
		if err != nil {
			return err
		}
		p.Alerts = s.withStages(ctx, u, reopened.Items)
	}
	return s.render(c, http.StatusOK, "cases", page{Title: "本所案件", Data: p})
}

// withStages reads each dispute's stage and next deadline, a few at a
// time. A row whose figures cannot be read shows without them: the list
// is the station's work and must not fail for one case's stage.
func (s *Console) withStages(ctx context.Context, u user, ds []dispute) []caseRow {
	rows := make([]caseRow, len(ds))
	sem := make(chan struct{}, caseLookups)
	var wg sync.WaitGroup
	for i := range ds {
		rows[i].dispute = ds[i]
		wg.Add(1)
		sem <- struct{}{}
		go func(r *caseRow) {
			defer func() { <-sem; wg.Done() }()
			s.fillStage(ctx, u, r)
		}(&rows[i])
	}
	wg.Wait()
	return rows
}

func (s *Console) fillStage(ctx context.Context, u user, r *caseRow) {
	t, err := typed(s.api.supervision.GetTimelineWithResponse(ctx, r.ID, as(u.Token)))
	if err != nil {
		s.log.WarnContext(ctx, "cannot read a case's stage", "err", err)
		return
	}
	r.Stage = t.Stage
	switch t.Stage {
	case "referred", "registered", "reopened":
		slips, err := typed(s.api.referral.ListSlipsOfDisputeWithResponse(ctx, r.ID, as(u.Token)))
		if err != nil {
			s.log.WarnContext(ctx, "cannot read a case's slips", "err", err)
			return
		}
		r.Deadline, r.DeadlineOf = nextSignature(slipsOf(slips.Slips), r.Round)
	case "revisit_scheduled", "resolved":
		rs, err := typed(s.api.revisit.ListRevisitsOfDisputeWithResponse(ctx, r.ID, as(u.Token)))
		if err != nil {
			s.log.WarnContext(ctx, "cannot read a case's revisits", "err", err)
			return
		}
		r.Deadline, r.DeadlineOf = nextRevisit(revisitsOf(rs.Revisits))
	}
}

// nextSignature is the earliest deadline of the round's copies still
// unsigned.
func nextSignature(slips []slip, round int) (time.Time, string) {
	var at time.Time
	for _, sl := range slips {
		if sl.Round != round {
			continue
		}
		for _, cp := range sl.Copies {
			if cp.AcceptedAt == nil && (at.IsZero() || cp.AcceptBy.Before(at)) {
				at = cp.AcceptBy
			}
		}
	}
	if at.IsZero() {
		return at, ""
	}
	return at, "签收"
}

// nextRevisit is the earliest deadline of the revisits still owed.
func nextRevisit(rs []revisit) (time.Time, string) {
	var at time.Time
	for _, r := range rs {
		if r.Status == "scheduled" && !r.DueBy.IsZero() && (at.IsZero() || r.DueBy.Before(at)) {
			at = r.DueBy
		}
	}
	if at.IsZero() {
		return at, ""
	}
	return at, "回访"
}
