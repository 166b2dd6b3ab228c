package console

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/fengqiaoapi"
)

// Work queues. The services' list routes answer, each, a page
// {"items": [...], "next_cursor": "...", "total": n}, with total only when
// the page is the whole list (docs/work-queues.md, "Totals"):
//
//	referral        GET /v1/copies?unit=&state=awaiting&overdue=true&limit=&cursor=
//	intake          GET /v1/disputes?station=&state=&limit=&cursor=
//	mediation-room  GET /v1/mediations?mediator=&state=&limit=&cursor=
//	revisit         GET /v1/revisits?due_before=&assignee=&limit=&cursor=
//
// A service that does not serve its list yet
// answers 404 or 405, and the inbox says the queue is not open rather than
// failing the page.

// queuePage is one page of a work queue; Total is 0 unless the page is
// the whole list, and the page then says how many items it shows.
type queuePage[T any] struct {
	Items      []T
	NextCursor string
	Total      int
	// Unavailable: the service has no list route yet.
	Unavailable bool
}

// awaitingCopy is one copy of a slip waiting for a unit's signature: the
// copy of the listed slip that referral says is queued.
type awaitingCopy struct {
	SlipID, DisputeID, CaseCode string
	slipCopy
	IssuedAt time.Time
}

func awaitingOf(item fengqiaoapi.CopyItem) awaitingCopy {
	a := awaitingCopy{SlipID: item.Id, DisputeID: item.DisputeId, CaseCode: item.CaseCode, IssuedAt: item.IssuedAt,
		slipCopy: slipCopy{Copy: item.Queued.Copy, AcceptBy: item.Queued.At}}
	for _, c := range item.Copies {
		if c.Copy == item.Queued.Copy {
			a.slipCopy = copyOf(c)
		}
	}
	return a
}

// Urgency is the copy's deadline as a colour (see urgency).
func (a awaitingCopy) Urgency(now time.Time) string { return urgency(a.slipCopy, a.IssuedAt, now) }

// queueLimit is the page size of an inbox.
const queueLimit = 50

// copiesAwaiting lists the copies awaiting unit's signature, earliest
// deadline first.
func (s *Console) copiesAwaiting(ctx context.Context, u user, unit string, overdue bool, cursor string) (queuePage[awaitingCopy], error) {
	params := &fengqiaoapi.ListCopiesParams{Unit: &unit, State: new("awaiting"), Limit: new(queueLimit), Cursor: optional(cursor)}
	if overdue {
		params.Overdue = new("true")
	}
	answer, err := typed(s.api.referral.ListCopiesWithResponse(ctx, params, as(u.Token)))
	out := queuePage[awaitingCopy]{NextCursor: answer.NextCursor, Total: deref(answer.Total)}
	for _, item := range answer.Items {
		out.Items = append(out.Items, awaitingOf(item))
	}
	var ae *apiError
	if asAPIError(err, &ae) && (ae.Status == http.StatusNotFound || ae.Status == http.StatusMethodNotAllowed) {
		return queuePage[awaitingCopy]{Unavailable: true}, nil
	}
	return out, err
}

// stationDisputes lists the disputes a police station recorded, newest
// first as intake orders them; state narrows them (empty: every state).
func (s *Console) stationDisputes(ctx context.Context, u user, station, state, cursor string) (queuePage[dispute], error) {
	params := &fengqiaoapi.ListDisputesParams{Station: &station, State: optional(state), Limit: new(queueLimit), Cursor: optional(cursor)}
	answer, err := typed(s.api.intake.ListDisputesWithResponse(ctx, params, as(u.Token)))
	out := queuePage[dispute]{NextCursor: answer.NextCursor, Total: deref(answer.Total)}
	for _, d := range answer.Items {
		out.Items = append(out.Items, disputeOf(d))
	}
	var ae *apiError
	if asAPIError(err, &ae) && (ae.Status == http.StatusNotFound || ae.Status == http.StatusMethodNotAllowed) {
		return queuePage[dispute]{Unavailable: true}, nil
	}
	return out, err
}

// inbox is the unit's copies to sign, by deadline.
func (s *Console) inbox(c echo.Context) error {
	u := currentUser(c)
	q, err := s.copiesAwaiting(c.Request().Context(), u, u.Agency, c.QueryParam("overdue") == "true", c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "inbox", page{Title: "待签收", Data: q})
}
