package console

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/fengqiaoapi"
)

// The officer's station: its open cases with where each stands in the loop
// and its next deadline, and the 二次处置 alerts — the station's disputes
// reopened by a rebound or a missed agreement term, which the station must
// handle again.

// caseRow is one of the station's disputes with its stage and next
// deadline, read from supervision.
type caseRow struct {
	dispute
	Stage string
	// Deadline is the next deadline the case waits on, DeadlineOf what it
	// is (a copy's signature, the settlement, a revisit); zero when the
	// case owes nothing.
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

// stagesPerCall is how many disputes supervision answers the stages of in
// one call.
const stagesPerCall = 100

// cases is the officer's station's disputes in a state (open unless asked)
// with each one's stage and next deadline, and the station's reopened
// disputes as alerts above them: a page of intake's list and one call to
// supervision for its rows, whatever the county's size.
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

// withStages reads the disputes' stages and next deadlines from
// supervision, up to stagesPerCall in one call. Rows whose figures cannot
// be read show without them: the list is the station's work and must not
// fail for the stages.
func (s *Console) withStages(ctx context.Context, u user, ds []dispute) []caseRow {
	rows := make([]caseRow, len(ds))
	at := make(map[string][]int, len(ds))
	ids := make([]string, 0, len(ds))
	for i, d := range ds {
		rows[i].dispute = d
		if _, asked := at[d.ID]; !asked {
			ids = append(ids, d.ID)
		}
		at[d.ID] = append(at[d.ID], i)
	}
	for start := 0; start < len(ids); start += stagesPerCall {
		batch := ids[start:min(len(ids), start+stagesPerCall)]
		answer, err := typed(s.api.supervision.ListDisputeStagesWithResponse(ctx,
			&fengqiaoapi.ListDisputeStagesParams{Id: batch}, as(u.Token)))
		if err != nil {
			s.log.WarnContext(ctx, "cannot read the cases' stages", "err", err, "cases", len(batch))
			continue
		}
		for _, st := range answer.Disputes {
			for _, i := range at[st.DisputeId] {
				rows[i].Stage = st.Stage
				if next := st.NextDeadline; next != nil {
					rows[i].Deadline, rows[i].DeadlineOf = next.DueBy, deadlineLabel(next.What)
				}
			}
		}
	}
	return rows
}

// deadlineLabel names what a deadline is, from supervision's words for
// it (sign_copy:<copy>, settle, revisit:<id>).
func deadlineLabel(what string) string {
	kind, _, _ := strings.Cut(what, ":")
	switch kind {
	case "sign_copy":
		return "签收"
	case "settle":
		return "化解"
	case "revisit":
		return "回访"
	}
	return "办理"
}
